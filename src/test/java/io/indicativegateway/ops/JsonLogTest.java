package io.indicativegateway.ops;

import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.indicativegateway.GatewayHarness;
import io.indicativegateway.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The log as production writes it (logback's JSON encoder, configured as in logback.xml): one JSON object per
 * line, refusals carry the fields to find the client by, and no write key or Indicative project key appears in
 * full, even when Indicative refuses a project key or a client presents an unknown write key.
 */
@ExtendWith(VertxExtension.class)
class JsonLogTest {

  private static final String WRITE_KEY = "wk-logs-flowing-0001";
  private static final String PROJECT_KEY = "proj-logs-flowing-0001";
  private static final String REFUSED_WRITE_KEY = "wk-logs-refused-0002";
  private static final String REFUSED_PROJECT_KEY = "proj-logs-refused-0002";
  private static final String UNKNOWN_WRITE_KEY = "wk-logs-unknown-0003";
  private static final List<String> SECRETS = List.of(WRITE_KEY, PROJECT_KEY, REFUSED_WRITE_KEY,
      REFUSED_PROJECT_KEY, UNKNOWN_WRITE_KEY);

  @Test
  void everyLineIsJsonAndNoKeyAppearsInFull(Vertx vertx, @TempDir Path dir) throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender = jsonAppender(output);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    SimulatorOptions refusesOneProject = new SimulatorOptions().setValidApiKeys(List.of(PROJECT_KEY));
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_SOURCES",
        WRITE_KEY + "=" + PROJECT_KEY + "," + REFUSED_WRITE_KEY + "=" + REFUSED_PROJECT_KEY), refusesOneProject)) {
      // Indicative answers 401 to one project's key
      assertThat(gw.send("/v1/track", REFUSED_WRITE_KEY, new JsonObject().put("userId", "u").put("event", "Held"))
          .statusCode()).isEqualTo(200);
      eventually(Duration.ofSeconds(20), "the refused project key logged", () -> text(output)
          .contains("Indicative refuses project key"));
      // a client with an unknown write key, over HTTP and over the event bus
      assertThat(gw.post("/v1/track", UNKNOWN_WRITE_KEY).putHeader("Content-Type", "application/json")
          .putHeader("X-Request-Id", "request-42")
          .sendBuffer(new JsonObject().put("userId", "u").put("event", "e").toBuffer())
          .await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(401);
      assertThatThrownBy(() -> vertx.eventBus().request("indicative.ingest", new JsonObject().put("userId", "u")
              .put("event", "e"), new DeliveryOptions().addHeader("writeKey", UNKNOWN_WRITE_KEY))
          .await(10, TimeUnit.SECONDS)).isInstanceOf(ReplyException.class);
      eventually(Duration.ofSeconds(10), "both refusals logged", () -> lines(output).stream()
          .filter(line -> line.contains("refused a")).count() >= 2);
    } finally {
      root.detachAppender(appender);
      appender.stop();
    }

    List<String> lines = lines(output);
    assertThat(lines).hasSizeGreaterThan(5);
    for (String line : lines) {
      JsonObject event = new JsonObject(line); // throws if a line is not one JSON object
      assertThat(event.getString("level")).as(line).isNotNull();
      assertThat(SECRETS).as(line).noneMatch(line::contains);
    }
    JsonObject httpRefusal = lines.stream().map(JsonObject::new)
        .filter(e -> e.getString("formattedMessage", "").startsWith("refused a request"))
        .findFirst().orElseThrow();
    assertThat(httpRefusal.encode()).contains("request-42", "\"transport\"", "\"http\"", "401",
        "wk-l"); // the presented key, masked
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("refused a message", "eventbus"));
  }

  private static OutputStreamAppender<ILoggingEvent> jsonAppender(ByteArrayOutputStream output) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(output);
    appender.start();
    return appender;
  }

  private static String text(ByteArrayOutputStream output) {
    synchronized (output) {
      return output.toString(StandardCharsets.UTF_8);
    }
  }

  private static List<String> lines(ByteArrayOutputStream output) {
    return Arrays.stream(text(output).split("\n")).filter(line -> !line.isBlank()).toList();
  }
}
