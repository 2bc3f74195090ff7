package io.indicativegateway.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code simulator} command: {@code java -jar indicative-gateway.jar simulator [options]} runs an
 * {@link IndicativeSimulator} until the process stops.
 *
 * <pre>
 *   --port N           port to listen on (default 0: a free port, printed at start)
 *   --host H           address to listen on (default 127.0.0.1)
 *   --api-keys k1,k2   only these api keys are valid, others get 401 (default: any key)
 *   --max-recorded N   items and request records kept in memory (default 1000000)
 *   --instances N      HTTP server instances / event loops (default: processors, at most 4)
 * </pre>
 * Options also take the {@code --name=value} form.
 */
public final class SimulatorCommand {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorCommand.class);

  private SimulatorCommand() {
  }

  /** Parses {@code args}, starts the simulator and logs its URLs. Fails (nothing started) on a bad argument. */
  public static Future<IndicativeSimulator> run(Vertx vertx, String[] args) {
    SimulatorOptions options;
    try {
      options = parseArgs(args);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return IndicativeSimulator.start(vertx, options).onSuccess(simulator -> LOG.info(
        "Indicative simulator listening: API {} , controls {}/ (api keys: {}, max recorded {}, {} instance(s))",
        simulator.baseUrl(), simulator.controlUrl(),
        options.getValidApiKeys().isEmpty() ? "any" : options.getValidApiKeys().size() + " configured",
        options.getMaxRecorded(), options.getInstances()));
  }

  /**
   * The options {@code args} describe.
   *
   * @throws IllegalArgumentException on an unknown option, a missing or bad value, or {@code --help}; the message
   *     includes {@link #usage()}
   */
  public static SimulatorOptions parseArgs(String... args) {
    SimulatorOptions options = new SimulatorOptions();
    List<String> list = Arrays.asList(args);
    for (int i = 0; i < list.size(); i++) {
      String arg = list.get(i);
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        throw new IllegalArgumentException(usage());
      }
      if (!List.of("--port", "--host", "--api-keys", "--max-recorded", "--instances").contains(name)) {
        throw new IllegalArgumentException("unknown simulator option '" + arg + "'\n" + usage());
      }
      if (value == null) {
        if (i + 1 >= list.size()) {
          throw new IllegalArgumentException("missing value for " + name + "\n" + usage());
        }
        value = list.get(++i);
      }
      try {
        switch (name) {
          case "--port" -> options.setPort(parseInt(name, value));
          case "--host" -> options.setHost(value);
          case "--api-keys" -> options.setValidApiKeys(
              Arrays.stream(value.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList());
          case "--max-recorded" -> options.setMaxRecorded(parseInt(name, value));
          case "--instances" -> options.setInstances(parseInt(name, value));
          default -> throw new IllegalStateException(name);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage() + "\n" + usage(), e);
      }
    }
    return options;
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer: '" + value + "'");
    }
  }

  public static String usage() {
    return """
        usage: simulator [--port N] [--host H] [--api-keys k1,k2] [--max-recorded N] [--instances N]
          --port N           port to listen on (default 0: a free port, printed at start)
          --host H           address to listen on (default 127.0.0.1)
          --api-keys k1,k2   only these api keys are valid, others get 401 (default: any key)
          --max-recorded N   items and request records kept in memory (default 1000000)
          --instances N      HTTP server instances / event loops (default: processors, at most 4)""";
  }
}
