package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.OTHER_PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.OTHER_WRITE_KEY;
import static io.indicativegateway.GatewayHarness.PROJECT_KEY;
import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Hostile and broken input, all against one running gateway while a well-behaved client keeps sending: each
 * gets its clear status; after each the gateway is ready and another source's event reaches Indicative; the
 * well-behaved client never gets anything but a 200 and every one of its events is delivered; no key ever reaches
 * a log line.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbuseTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private GatewayHarness gw;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final AtomicBoolean goodClientRunning = new AtomicBoolean(true);
  private final Set<Integer> goodAccepted = ConcurrentHashMap.newKeySet();
  private final List<String> goodFailures = Collections.synchronizedList(new ArrayList<>());
  private WebClient goodClientConnection;
  private Thread goodClient;

  @BeforeAll
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_HTTP_REQUEST_TIMEOUT_SECONDS", "1",
        "GATEWAY_HTTP_IDLE_TIMEOUT_SECONDS", "2", "GATEWAY_HTTP_MAX_CONNECTIONS", "40"));
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    // Its own keep-alive connection, opened before any abuse: the abuse must not cost it a single request.
    goodClientConnection = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
    sendGood(0);
    goodClient = new Thread(() -> {
      for (int n = 1; goodClientRunning.get(); n++) {
        sendGood(n);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    goodClient.start();
  }

  /** One event of the well-behaved client; anything but a 200 is recorded as a failure. */
  private void sendGood(int n) {
    JsonObject event = new JsonObject().put("userId", "good").put("event", "Good")
        .put("messageId", "good-" + n).put("properties", new JsonObject().put("n", n));
    try {
      int status = goodClientConnection.post(gw.port, "127.0.0.1", "/v1/track")
          .putHeader("Authorization", GatewayHarness.basic(WRITE_KEY)).timeout(10_000)
          .sendBuffer(event.toBuffer()).await(15, TimeUnit.SECONDS).statusCode();
      if (status == 200) {
        goodAccepted.add(n);
      } else {
        goodFailures.add("event " + n + ": HTTP " + status);
      }
    } catch (Exception e) {
      goodFailures.add("event " + n + ": " + e);
    }
  }

  /** After each abuse: still ready, and another source's event still goes all the way to Indicative. */
  @AfterEach
  void otherClientsStillServed(TestInfo test) throws Exception {
    eventually(Duration.ofSeconds(5), "ready", () -> gw.client.get(gw.port, "127.0.0.1", "/health/ready").send()
        .await(5, TimeUnit.SECONDS).statusCode() == 200);
    String name = "Other after " + test.getDisplayName();
    assertThat(gw.send("/v1/track", OTHER_WRITE_KEY, new JsonObject().put("userId", "other").put("event", name))
        .statusCode()).as("another source's event after " + test.getDisplayName()).isEqualTo(200);
    eventually(WAIT, "'" + name + "' delivered", () -> gw.simulator.events().stream()
        .anyMatch(e -> name.equals(e.getString("eventName")) && OTHER_PROJECT_KEY.equals(e.getString("apiKey"))));
  }

  @AfterAll
  void everyGoodEventDeliveredAndNoKeyLogged() throws Exception {
    goodClientRunning.set(false);
    goodClient.join(20_000);
    try {
      assertThat(goodFailures).as("requests of the well-behaved client that were not accepted").isEmpty();
      assertThat(goodAccepted).hasSizeGreaterThan(10);
      eventually(WAIT, "each of the good client's " + goodAccepted.size() + " events delivered",
          () -> goodDelivered().containsAll(goodAccepted));
      List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines).noneMatch(line -> line.contains(WRITE_KEY) || line.contains(PROJECT_KEY));
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
      goodClientConnection.close();
      gw.close();
    }
  }

  /** The numbers of the good client's events that reached Indicative. */
  private Set<Integer> goodDelivered() {
    return gw.simulator.events().stream().filter(e -> "Good".equals(e.getString("eventName")))
        .map(e -> e.getJsonObject("properties").getInteger("n")).collect(Collectors.toSet());
  }

  private HttpResponse<Buffer> post(String path, Buffer body, String... headers) throws Exception {
    var request = gw.post(path, WRITE_KEY);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.sendBuffer(body).await(30, TimeUnit.SECONDS);
  }

  private static Buffer text(String json) {
    return Buffer.buffer(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void malformedAndTruncatedJson() throws Exception {
    for (String bad : new String[] {"{\"userId\":", "{\"userId\":\"u\",\"event\":\"e\"", "{'userId':'u'}",
        "{\"userId\":\"u\" \"event\":\"e\"}", "[1,2,3]", "null", "{\"a\":1}}", "\u0000\u0000"}) {
      HttpResponse<Buffer> response = post("/v1/track", text(bad));
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getBoolean("success")).isFalse();
    }
  }

  @Test
  void wrongTypesForEveryFieldNeverCrash() throws Exception {
    String[] fields = {"type", "userId", "anonymousId", "event", "properties", "traits", "context", "integrations",
        "messageId", "timestamp", "originalTimestamp", "sentAt", "previousId", "groupId", "name", "writeKey"};
    Object[] values = {12345, -1.5e300, true, false, new JsonArray().add(1).add("x"), new JsonObject().put("a", 1),
        "", "x".repeat(300), null};
    for (String endpoint : new String[] {"track", "identify", "page", "screen", "alias", "group"}) {
      for (String field : fields) {
        for (Object value : values) {
          JsonObject message = new JsonObject().put("userId", "u").put("anonymousId", "a").put("event", "e")
              .put("previousId", "p").put("groupId", "g").put(field, value);
          HttpResponse<Buffer> response = post("/v1/" + endpoint, message.toBuffer());
          assertThat(response.statusCode()).as(endpoint + " " + field + "=" + value).isIn(200, 400, 401, 413);
          assertThat(response.bodyAsJsonObject().containsKey("success")).isTrue();
        }
      }
    }
    // a timestamp of any shape never rejects a message
    for (Object value : values) {
      assertThat(post("/v1/track", new JsonObject().put("userId", "u").put("event", "e").put("timestamp", value)
          .toBuffer()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void deepNestingManyPropertiesAndHugeStringsAreRefusedBounded() throws Exception {
    String deep = "{\"userId\":\"u\",\"event\":\"e\",\"properties\":{\"p\":" + "[".repeat(100_000)
        + "]".repeat(100_000) + "}}";
    HttpResponse<Buffer> nested = post("/v1/batch", text("{\"batch\":[" + deep + "]}"));
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.bodyAsJsonObject().getString("error")).contains("nests deeper");

    StringBuilder many = new StringBuilder("{\"userId\":\"u\",\"event\":\"e\",\"properties\":{");
    for (int i = 0; i < 100_000; i++) {
      many.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":1");
    }
    many.append("}}");
    assertThat(post("/v1/track", text(many.toString())).statusCode()).isEqualTo(413);
    assertThat(post("/v1/batch", text("{\"batch\":[" + many + "]}")).statusCode()).isEqualTo(413);

    String huge = "{\"userId\":\"u\",\"event\":\"e\",\"properties\":{\"s\":\"" + "x".repeat(10 << 20) + "\"}}";
    assertThat(post("/v1/track", text(huge)).statusCode()).isEqualTo(413);
    assertThat(post("/v1/batch", text(huge)).statusCode()).isEqualTo(413);
  }

  /**
   * The shape limits with their defaults, in bodies small enough to pass the byte limit (the sizes above are
   * refused by it first): 10,000 keys and array elements per message, keys of 1,024 characters. The default
   * 32,768-character value limit cannot be reached this way: a string that long needs more than the 32 KB a
   * message may have.
   */
  @Test
  void propertyCountAndKeyLengthLimitsUnderTheByteLimit() throws Exception {
    String tooMany = "{\"userId\":\"u\",\"event\":\"Too many\",\"properties\":{\"zeros\":[" + zeros(10_001) + "]}}";
    // userId, event, properties, zeros and 9,996 elements: exactly 10,000
    String atTheLimit = "{\"userId\":\"u\",\"event\":\"At the limit\",\"properties\":{\"zeros\":["
        + zeros(9_996) + "]}}";
    String longKey = "{\"userId\":\"u\",\"event\":\"Long key\",\"properties\":{\"" + "k".repeat(1025) + "\":1}}";
    String longTopKey = "{\"userId\":\"u\",\"event\":\"Long top key\",\"" + "k".repeat(1025) + "\":1}";
    for (String body : new String[] {tooMany, atTheLimit, longKey, longTopKey}) {
      assertThat(body.length()).isLessThan(32 * 1024);
    }
    assertRefused(post("/v1/track", text(tooMany)), "more than 10000 properties");
    assertRefused(post("/v1/track", text(longKey)), "key in the message is longer than 1024 characters");
    assertRefused(post("/v1/track", text(longTopKey)), "key in the message is longer than 1024 characters");
    assertThat(post("/v1/track", text(atTheLimit)).statusCode()).isEqualTo(200);

    JsonArray batch = new JsonArray()
        .add(new JsonObject().put("type", "track").put("userId", "u").put("event", "Shape batch good 1"))
        .add(new JsonObject(tooMany).put("type", "track"))
        .add(new JsonObject().put("type", "track").put("userId", "u").put("event", "Shape batch good 2"))
        .add(new JsonObject(longKey).put("type", "track"));
    JsonObject answer = post("/v1/batch", new JsonObject().put("batch", batch).toBuffer()).bodyAsJsonObject();
    assertThat(answer.getInteger("accepted")).isEqualTo(2);
    JsonArray rejected = answer.getJsonArray("rejected");
    assertThat(rejected).hasSize(2);
    assertThat(rejected.getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(rejected.getJsonObject(0).getString("error")).contains("more than 10000 properties");
    assertThat(rejected.getJsonObject(1).getInteger("index")).isEqualTo(3);
    assertThat(rejected.getJsonObject(1).getString("error")).contains("longer than 1024 characters");
    eventually(WAIT, "the batch's good messages and the message at the limit delivered", () -> {
      List<String> names = gw.simulator.events().stream().map(e -> e.getString("eventName")).toList();
      return names.containsAll(List.of("Shape batch good 1", "Shape batch good 2", "At the limit"));
    });
    assertThat(gw.simulator.events()).extracting(e -> e.getString("eventName"))
        .doesNotContain("Too many", "Long key", "Long top key");
  }

  /** Every message stores its own copy of the batch's context: it counts against each message's 32 KB. */
  @Test
  void aBatchContextCannotMultiplyWhatIsStored() throws Exception {
    JsonObject small = new JsonObject().put("type", "track").put("userId", "u").put("event", "Small with context");
    JsonObject huge = new JsonObject().put("context", new JsonObject().put("pad", "c".repeat(33_000)))
        .put("batch", new JsonArray().add(small.copy()).add(small.copy()));
    assertRefused(post("/v1/batch", huge.toBuffer()), "the batch's context and integrations exceed");

    JsonObject big = new JsonObject().put("type", "track").put("userId", "u").put("event", "Big with context")
        .put("properties", new JsonObject().put("pad", "p".repeat(15_000)));
    JsonObject shared = new JsonObject().put("context", new JsonObject().put("pad", "c".repeat(20_000)))
        .put("batch", new JsonArray().add(small).add(big));
    HttpResponse<Buffer> answer = post("/v1/batch", shared.toBuffer());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.bodyAsJsonObject().getInteger("accepted")).isEqualTo(1);
    assertThat(answer.bodyAsJsonObject().getJsonArray("rejected").getJsonObject(0).getString("error"))
        .contains("with the batch's context and integrations exceeds the limit of 32768 bytes");
    eventually(WAIT, "the small message delivered", () -> gw.simulator.events().stream()
        .anyMatch(e -> "Small with context".equals(e.getString("eventName"))));
    assertThat(gw.simulator.events()).extracting(e -> e.getString("eventName")).doesNotContain("Big with context");
  }

  private static String zeros(int count) {
    return "0,".repeat(count - 1) + "0";
  }

  private static void assertRefused(HttpResponse<Buffer> response, String error) {
    assertThat(response.statusCode()).as(error).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getBoolean("success")).isFalse();
    assertThat(response.bodyAsJsonObject().getString("error")).contains(error);
  }

  @Test
  void invalidUtf8LoneSurrogatesAndNulBytes() throws Exception {
    ByteArrayOutputStream invalid = new ByteArrayOutputStream();
    invalid.writeBytes("{\"userId\":\"u\",\"event\":\"bad ".getBytes(StandardCharsets.UTF_8));
    invalid.writeBytes(new byte[] {(byte) 0xC0, (byte) 0x80, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
    invalid.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(post("/v1/track", Buffer.buffer(invalid.toByteArray())).statusCode()).isEqualTo(200);
    assertThat(post("/v1/track", text("{\"userId\":\"u\",\"event\":\"lone \\ud800 \\udfff\","
        + "\"properties\":{\"\\udc00\":\"\\ud83d\"}}")).statusCode()).isEqualTo(200);
    assertThat(post("/v1/track", text("{\"userId\":\"u\",\"event\":\"nul \\u0000 escaped\"}")).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/track", text("{\"userId\":\"u\",\"event\":\"nul \u0000 raw\"}")).statusCode())
        .isEqualTo(400);
    eventually(WAIT, "the broken-but-valid events delivered with clean strings", () ->
        gw.simulator.events().stream().map(e -> e.getString("eventName"))
            .filter(n -> n.startsWith("bad ") || n.startsWith("lone ") || n.startsWith("nul ")).count() == 3);
    JsonObject lone = gw.simulator.events().stream().filter(e -> e.getString("eventName").startsWith("lone "))
        .findFirst().orElseThrow();
    assertThat(lone.getString("eventName")).isEqualTo("lone \uFFFD \uFFFD");
    assertThat(lone.getJsonObject("properties").getString("\uFFFD")).isEqualTo("\uFFFD");
    for (JsonObject event : gw.simulator.events()) {
      assertThat(unpairedSurrogates(event)).as(event.encode()).isEmpty();
    }
  }

  /** Every key and string inside {@code value} that holds a UTF-16 surrogate without its pair. */
  private static List<String> unpairedSurrogates(Object value) {
    List<String> found = new ArrayList<>();
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        found.addAll(unpairedSurrogates(entry.getKey()));
        found.addAll(unpairedSurrogates(entry.getValue()));
      }
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        found.addAll(unpairedSurrogates(element));
      }
    } else if (value instanceof String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1));
        if (paired) {
          i++;
        } else if (Character.isSurrogate(c)) {
          found.add(text);
          break;
        }
      }
    }
    return found;
  }

  @Test
  void aGzipBombIsStoppedAtTheLimit() throws Exception {
    // 1 GB of zeros gzipped twice is about a kilobyte; one inflation gives a megabyte of gzip, over the limit
    ByteArrayOutputStream outer = new ByteArrayOutputStream();
    try (GZIPOutputStream second = new GZIPOutputStream(outer);
         GZIPOutputStream first = new GZIPOutputStream(second, 1 << 16)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 1024; i++) {
        first.write(zeros);
      }
    }
    assertThat(outer.size()).isLessThan(16 * 1024);
    HttpResponse<Buffer> bomb = post("/v1/batch", Buffer.buffer(outer.toByteArray()), "Content-Encoding", "gzip");
    assertThat(bomb.statusCode()).isEqualTo(413);

    ByteArrayOutputStream single = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(single)) {
      gzip.write(new byte[400 << 20]); // 400 MB of zeros, about 400 KB compressed
    }
    assertThat(post("/v1/batch", Buffer.buffer(single.toByteArray()), "Content-Encoding", "gzip").statusCode())
        .isEqualTo(413);
  }

  @Test
  void unknownEndpointsAndMethods() throws Exception {
    assertThat(post("/v1/unknown", text("{}")).statusCode()).isEqualTo(404);
    assertThat(post("/v2/track", text("{}")).statusCode()).isEqualTo(404);
    for (HttpMethod method : new HttpMethod[] {HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH,
        HttpMethod.GET}) {
      HttpResponse<Buffer> response = gw.client.request(method, gw.port, "127.0.0.1", "/v1/track")
          .send().await(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(method.name()).isEqualTo(405);
      assertThat(response.bodyAsJsonObject().getBoolean("success")).isFalse();
    }
  }

  @Test
  void contentLengthLiesAndHugeHeaders() throws Exception {
    String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    // declares more than it sends: the request deadline ends it
    String shortBody = rawExchange("POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nContent-Length: 100\r\n\r\n{\"userId\":\"u\"", 5000);
    assertThat(shortBody).satisfiesAnyOf(s -> assertThat(s).startsWith("HTTP/1.1 408"), s -> assertThat(s).isEmpty());
    // declares less than it sends: the declared bytes are the body, the rest is not a valid request
    String longBody = rawExchange("POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
        + "\r\nContent-Length: 5\r\n\r\n{\"userId\":\"u\",\"event\":\"e\"}", 5000);
    assertThat(longBody).startsWith("HTTP/1.1 400");
    // headers over the limit
    String bigHeader = rawExchange("POST /v1/track HTTP/1.1\r\nHost: x\r\nX-Junk: " + "j".repeat(64 * 1024)
        + "\r\nContent-Length: 2\r\n\r\n{}", 5000);
    assertThat(bigHeader).startsWith("HTTP/1.1 431");
  }

  @Test
  void slowClientsAreCutOffAndDoNotStarveOthers() throws Exception {
    String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
    List<Socket> slowBodies = new ArrayList<>();
    List<Socket> slowHeaders = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        // headers done, body trickling: the request deadline (1 s here) ends it
        Socket body = new Socket("127.0.0.1", gw.port);
        body.getOutputStream().write(("POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: " + auth
            + "\r\nContent-Length: 1000\r\n\r\n{\"userId\":").getBytes(StandardCharsets.UTF_8));
        slowBodies.add(body);
        // headers never finished and then silent: the idle timeout (2 s here) ends it
        Socket headers = new Socket("127.0.0.1", gw.port);
        headers.getOutputStream().write("POST /v1/track HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes());
        slowHeaders.add(headers);
      }
      long started = System.nanoTime();
      assertThat(gw.send("/v1/track", WRITE_KEY, new JsonObject().put("userId", "u").put("event", "Not starved"))
          .statusCode()).isEqualTo(200);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1000);
      for (int second = 0; second < 2; second++) {
        Thread.sleep(600);
        for (Socket body : slowBodies) {
          body.getOutputStream().write('"'); // still trickling, never idle
        }
      }
      for (Socket body : slowBodies) {
        body.setSoTimeout(3000);
        String answer = new String(body.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).as("a trickled body ends in 408 and a closed connection").startsWith("HTTP/1.1 408");
      }
      for (Socket headers : slowHeaders) {
        headers.setSoTimeout(5000);
        assertThat(headers.getInputStream().read()).as("an idle half-request is closed").isEqualTo(-1);
      }
    } finally {
      for (Socket socket : slowBodies) {
        socket.close();
      }
      for (Socket socket : slowHeaders) {
        socket.close();
      }
    }
  }

  @Test
  void connectionsBeyondTheCapAreClosedAndServiceResumes() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      int closed = 0;
      for (int i = 0; i < 60; i++) {
        Socket socket = new Socket("127.0.0.1", gw.port);
        socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        held.add(socket);
      }
      for (Socket socket : held) {
        socket.setSoTimeout(1000);
        byte[] answer = new byte[12];
        int n = socket.getInputStream().read(answer);
        if (n == -1) {
          closed++; // refused: over the cap
        } else {
          assertThat(new String(answer, 0, n, StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200");
        }
      }
      assertThat(closed).isGreaterThanOrEqualTo(60 - 40);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    eventually(Duration.ofSeconds(5), "served again", () -> gw.send("/v1/track", WRITE_KEY,
        new JsonObject().put("userId", "u").put("event", "After the flood")).statusCode() == 200);
  }

  /** Writes raw bytes and returns what came back within the wait (empty when the connection was just closed). */
  private String rawExchange(String request, int waitMs) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gw.port)) {
      socket.setSoTimeout(waitMs);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] chunk = new byte[4096];
      try {
        int n;
        while ((n = in.read(chunk)) > 0) {
          answer.write(chunk, 0, n);
          if (answer.toString(StandardCharsets.UTF_8).contains("\r\n\r\n")) {
            break;
          }
        }
      } catch (java.net.SocketTimeoutException | java.net.SocketException done) {
        // nothing more
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
