package io.indicativegateway.ops;

import io.indicativegateway.config.GatewayConfig;
import io.indicativegateway.store.DeadLetter;
import io.indicativegateway.store.EventStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar indicative-gateway.jar dlq list|show|replay|purge ...}: the admin API's dead-letter actions
 * from the command line. Talks to a running gateway's admin port; with {@code --offline} it opens the store
 * itself, which works only while no gateway uses that data directory.
 */
public final class DeadLetterCommand {

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public DeadLetterCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static String usage() {
    return """
        dlq list [--kind undeliverable|rejected] [--after ID] [--limit N]   one JSON line per dead letter
        dlq show ID                                 the whole dead letter, with its message
        dlq replay ID... | --all                    send undeliverable messages again
        dlq purge [--kind K] ID... | --all          delete dead letters for good
          --url URL     the gateway's admin API (default GATEWAY_ADMIN_URL or http://127.0.0.1:<admin port>)
          --token T     the admin token (default GATEWAY_ADMIN_TOKEN)
          --offline     open the store in the configured data directory instead (no gateway running on it)""";
  }

  /** Runs the command; returns the process exit code (0 done, 1 failed, 2 wrong usage). */
  public int run(String[] args) {
    Args parsed;
    try {
      parsed = Args.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "\n\n" + usage());
      return 2;
    }
    try {
      JsonObject result = parsed.offline ? offline(parsed) : online(parsed);
      print(parsed.action, result);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("dlq " + parsed.action + " failed: " + e.getMessage());
      return 1;
    }
  }

  private void print(String action, JsonObject result) {
    if (action.equals("list")) {
      result.getJsonArray("deadLetters").forEach(item -> out.println(((JsonObject) item).encode()));
      if (result.getValue("next") != null) {
        err.println("more: --after " + result.getValue("next"));
      }
    } else {
      out.println(result.encodePrettily());
    }
  }

  private JsonObject offline(Args a) {
    GatewayConfig config = GatewayConfig.load(env);
    try (EventStore store = EventStore.open(config.store())) {
      DeadLetterService service = new DeadLetterService(store);
      DeadLetter.Kind kind = DeadLetterService.kind(a.kind);
      return switch (a.action) {
        case "list" -> service.list(kind, a.after, a.limit);
        case "show" -> {
          JsonObject letter = service.show(a.ids.get(0));
          if (letter == null) {
            throw new IllegalArgumentException("no dead letter " + a.ids.get(0));
          }
          yield letter;
        }
        case "replay" -> a.all ? service.replayAll() : service.replay(a.ids);
        default -> a.all ? service.purgeAll(kind) : service.purge(kind, a.ids);
      };
    }
  }

  private JsonObject online(Args a) throws Exception {
    String token = a.token != null ? a.token : env.get("GATEWAY_ADMIN_TOKEN");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no admin token: set GATEWAY_ADMIN_TOKEN or pass --token (or use --offline)");
    }
    String base = a.url != null ? a.url : env.getOrDefault("GATEWAY_ADMIN_URL",
        "http://127.0.0.1:" + GatewayConfig.load(env).admin().port());
    String kind = a.kind == null ? "undeliverable" : a.kind;
    HttpRequest.Builder request = switch (a.action) {
      case "list" -> HttpRequest.newBuilder(URI.create(base + "/admin/dead-letters?kind=" + kind + "&after="
          + a.after + "&limit=" + a.limit)).GET();
      case "show" -> HttpRequest.newBuilder(URI.create(base + "/admin/dead-letters/" + a.ids.get(0))).GET();
      default -> {
        JsonObject body = new JsonObject().put("kind", kind);
        if (a.all) {
          body.put("all", true);
        } else {
          body.put("ids", new JsonArray(new ArrayList<>(a.ids)));
        }
        yield HttpRequest.newBuilder(URI.create(base + "/admin/dead-letters/" + a.action))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
      }
    };
    HttpResponse<String> response;
    try {
      response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(5)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      // a ConnectException has no message: say where it looked and how to point it elsewhere
      throw new IllegalStateException("cannot reach the admin API at " + base + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is the gateway running with "
          + "GATEWAY_ADMIN_TOKEN set? Point the command at it with --url, GATEWAY_ADMIN_URL or GATEWAY_ADMIN_PORT, "
          + "or use --offline when it is stopped", e);
    }
    JsonObject body = new JsonObject(response.body());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode() + ": " + body.getString("error"));
    }
    return body;
  }

  /** The parsed command line. */
  private static final class Args {
    String action;
    String kind;
    String url;
    String token;
    long after;
    int limit = 100;
    boolean all;
    boolean offline;
    final List<Long> ids = new ArrayList<>();

    static Args parse(String[] args) {
      if (args.length == 0) {
        throw new IllegalArgumentException("dlq needs an action");
      }
      Args a = new Args();
      a.action = args[0];
      if (!List.of("list", "show", "replay", "purge").contains(a.action)) {
        throw new IllegalArgumentException("unknown dlq action '" + a.action + "'");
      }
      for (int i = 1; i < args.length; i++) {
        switch (args[i]) {
          case "--kind" -> a.kind = value(args, ++i);
          case "--url" -> a.url = value(args, ++i);
          case "--token" -> a.token = value(args, ++i);
          case "--after" -> a.after = number(value(args, ++i));
          case "--limit" -> a.limit = (int) number(value(args, ++i));
          case "--all" -> a.all = true;
          case "--offline" -> a.offline = true;
          default -> a.ids.add(number(args[i]));
        }
      }
      boolean needsIds = !a.action.equals("list");
      if (needsIds && a.ids.isEmpty() && !a.all) {
        throw new IllegalArgumentException("dlq " + a.action + " needs dead-letter ids" + (a.action.equals("show")
            ? "" : " or --all"));
      }
      if (a.action.equals("show") && (a.all || a.ids.size() != 1)) {
        throw new IllegalArgumentException("dlq show takes exactly one id");
      }
      return a;
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }

    private static long number(String text) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a dead-letter id");
      }
    }
  }
}
