package io.indicativegateway.ingest;

import static io.indicativegateway.GatewayHarness.WRITE_KEY;
import static io.indicativegateway.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.indicativegateway.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS on the ingestion port when configured, and CORS answers browsers can use. */
@ExtendWith(VertxExtension.class)
class TransportSecurityTest {

  @Test
  void withAPemCertificateThePortSpeaksHttpsOnly(Vertx vertx, @TempDir Path dir) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of(
        "GATEWAY_TLS_CERT", certificate.certificatePath(), "GATEWAY_TLS_KEY", certificate.privateKeyPath()))) {
      WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true)
          .setVerifyHost(false));
      HttpResponse<Buffer> response = https.post(gw.port, "127.0.0.1", "/v1/track")
          .putHeader("Authorization", GatewayHarness.basic(WRITE_KEY))
          .sendJsonObject(new JsonObject().put("userId", "u").put("event", "Over TLS"))
          .await(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      eventually(Duration.ofSeconds(15), "delivered", () -> gw.simulator.events().stream()
          .anyMatch(e -> "Over TLS".equals(e.getString("eventName"))));
      assertThatThrownBy(() -> gw.send("/v1/track", WRITE_KEY, new JsonObject().put("userId", "u")
          .put("event", "plain"))).isNotNull(); // plain HTTP is not answered
      https.close();
    }
  }

  @Test
  void browsersGetCorsAnswersForPreflightsAndBeacons(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of())) {
      HttpResponse<Buffer> preflight = gw.client.request(HttpMethod.OPTIONS, gw.port, "127.0.0.1", "/v1/batch")
          .putHeader("Origin", "https://shop.example.com")
          .putHeader("Access-Control-Request-Method", "POST")
          .putHeader("Access-Control-Request-Headers", "content-type,authorization")
          .send().await(10, TimeUnit.SECONDS);
      assertThat(preflight.statusCode()).isIn(200, 204);
      assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isIn("*", "https://shop.example.com");
      assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("POST");
      assertThat(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase()).contains("content-type",
          "authorization");
      assertThat(preflight.getHeader("Access-Control-Allow-Credentials")).isNull();

      // navigator.sendBeacon: text/plain, no preflight, key in the body
      HttpResponse<Buffer> beacon = gw.post("/v1/track").putHeader("Origin", "https://shop.example.com")
          .putHeader("Content-Type", "text/plain;charset=UTF-8")
          .sendBuffer(new JsonObject().put("writeKey", WRITE_KEY).put("userId", "u").put("event", "Beacon")
              .toBuffer()).await(10, TimeUnit.SECONDS);
      assertThat(beacon.statusCode()).isEqualTo(200);
      assertThat(beacon.getHeader("Access-Control-Allow-Origin")).isIn("*", "https://shop.example.com");
    }
  }

  @Test
  void onlyConfiguredOriginsWhenRestricted(Vertx vertx, @TempDir Path dir) throws Exception {
    try (GatewayHarness gw = GatewayHarness.start(vertx, dir, Map.of("GATEWAY_CORS_ORIGINS",
        "https://app.example.com"))) {
      HttpResponse<Buffer> allowed = gw.post("/v1/track", WRITE_KEY).putHeader("Origin", "https://app.example.com")
          .sendJsonObject(new JsonObject().put("userId", "u").put("event", "Allowed")).await(10, TimeUnit.SECONDS);
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.getHeader("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
      HttpResponse<Buffer> other = gw.post("/v1/track", WRITE_KEY).putHeader("Origin", "https://evil.example.com")
          .sendJsonObject(new JsonObject().put("userId", "u").put("event", "Other")).await(10, TimeUnit.SECONDS);
      assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
      assertThat(other.statusCode()).isEqualTo(403);
      // server-to-server calls carry no Origin and are not affected
      assertThat(gw.send("/v1/track", WRITE_KEY, new JsonObject().put("userId", "u").put("event", "Server"))
          .statusCode()).isEqualTo(200);
    }
  }
}
