package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP event-bus bridge as a non-JVM producer sees it: a real socket speaking the bridge's frames (a 4-byte
 * big-endian length, then a JSON object). Requests to the ingest address are answered after the durable write;
 * anything else is refused with an error frame.
 */
@ExtendWith(VertxExtension.class)
class TcpBridgeTest {

  private static final String ADDRESS = "indicative.ingest";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private GatewayHarness gw;
  private Socket socket;
  private DataOutputStream out;
  private DataInputStream in;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    int bridgePort = GatewayHarness.freePort();
    gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_BRIDGE_ENABLED", "true",
        "GATEWAY_BRIDGE_HOST", "127.0.0.1", "GATEWAY_BRIDGE_PORT", Integer.toString(bridgePort),
        "GATEWAY_EVENTBUS_REPLY_TIMEOUT_MS", "1000"));
    socket = new Socket("127.0.0.1", bridgePort);
    socket.setSoTimeout(15_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      socket.close();
    } finally {
      gw.close();
    }
  }

  private static JsonObject track(String event) {
    return new JsonObject().put("type", "track").put("userId", "tcp-user").put("event", event);
  }

  private void write(JsonObject frame) throws IOException {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  private JsonObject read() throws IOException {
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }

  private JsonObject frame(String type, String address, JsonObject body) {
    return new JsonObject().put("type", type).put("address", address)
        .put("headers", new JsonObject().put("writeKey", WRITE_KEY)).put("body", body);
  }

  @Test
  void aRequestToTheIngestAddressIsAnsweredAfterTheDurableWriteAndReachesIndicative() throws Exception {
    gw.simulator.failAlways(503); // hold delivery: the message must be stored when the reply comes
    write(frame("send", ADDRESS, track("Over TCP")).put("replyAddress", "reply-1"));
    JsonObject reply = read();
    assertThat(reply.getString("type")).isEqualTo("message");
    assertThat(reply.getString("address")).isEqualTo("reply-1");
    assertThat(reply.getJsonObject("body")).isEqualTo(new JsonObject().put("success", true));
    assertThat(gw.gateway.store().undeliveredCount()).isEqualTo(1);

    gw.simulator.clearBehaviors();
    eventually(WAIT, "the event at Indicative", () -> gw.simulator.events().stream()
        .anyMatch(e -> "Over TCP".equals(e.getString("eventName"))));
  }

  @Test
  void aRefusedMessageGetsItsStatusAsFailureCode() throws Exception {
    write(frame("send", ADDRESS, track("Bad key")).put("replyAddress", "reply-2")
        .put("headers", new JsonObject().put("writeKey", "wk-unknown")));
    JsonObject reply = read();
    assertThat(reply.getString("type")).isEqualTo("err");
    assertThat(reply.getInteger("failureCode")).isEqualTo(401);
  }

  @Test
  void aRequestWithoutTimeoutHeaderWaitsTheConfiguredReplyTimeout() throws Exception {
    // a second consumer on the ingest address that never answers: the event bus takes turns between the two
    MessageConsumer<Object> silent = gw.vertx.eventBus().consumer(ADDRESS, message -> { });
    silent.completion().await(10, TimeUnit.SECONDS);
    try {
      long started = System.nanoTime();
      write(frame("send", ADDRESS, track("One")).put("replyAddress", "reply-a"));
      write(frame("send", ADDRESS, track("Two")).put("replyAddress", "reply-b"));
      List<JsonObject> replies = List.of(read(), read()); // without the configured 1 s, the bridge waits 30 s
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(replies).anySatisfy(r -> assertThat(r.getString("type")).isEqualTo("message"));
      assertThat(replies).anySatisfy(r -> {
        assertThat(r.getString("type")).isEqualTo("err");
        assertThat(r.getString("failureType")).isEqualTo("TIMEOUT");
      });
    } finally {
      silent.unregister().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSendToAnotherAddressIsRefused() throws Exception {
    write(frame("send", "some.other.address", track("Elsewhere")).put("replyAddress", "reply-3"));
    JsonObject reply = read();
    assertThat(reply.getString("type")).isEqualTo("err");
    assertThat(reply.getString("message")).isEqualTo("access_denied");
  }

  @Test
  void aPublishOrASendWithoutReplyAddressIsRefusedAndNothingIsStored() throws Exception {
    write(frame("publish", ADDRESS, track("Published")));
    JsonObject refusedPublish = read();
    assertThat(refusedPublish.getString("type")).isEqualTo("err");
    assertThat(refusedPublish.getString("message")).contains("blocked");

    write(frame("send", ADDRESS, track("Fire and forget")));
    JsonObject refusedSend = read();
    assertThat(refusedSend.getString("type")).isEqualTo("err");
    assertThat(refusedSend.getString("message")).contains("blocked");

    // frames are handled in order: once this request is answered, the refused ones were not stored
    write(frame("send", ADDRESS, track("After")).put("replyAddress", "reply-4"));
    assertThat(read().getString("address")).isEqualTo("reply-4");
    eventually(WAIT, "the request's event at Indicative", () -> gw.simulator.events().stream()
        .anyMatch(e -> "After".equals(e.getString("eventName"))));
    eventually(WAIT, "nothing left in the store", () -> gw.gateway.store().undeliveredCount() == 0);
    assertThat(gw.simulator.events()).noneMatch(e -> "Published".equals(e.getString("eventName"))
        || "Fire and forget".equals(e.getString("eventName")));
  }
}
