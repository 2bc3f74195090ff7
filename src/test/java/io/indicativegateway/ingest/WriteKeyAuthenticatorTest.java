package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.indicativegateway.config.Source;
import io.indicativegateway.config.SourceRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteKeyAuthenticatorTest {

  private final WriteKeyAuthenticator auth = new WriteKeyAuthenticator(new SourceRegistry(List.of(
      new Source("web", "wk-web", "proj-web", true),
      new Source("old", "wk-old", "proj-old", false))));

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheKeyFromBasicAuthWithOrWithoutAPassword() {
    assertThat(WriteKeyAuthenticator.basicUser(basic("wk-web:"))).isEqualTo("wk-web");
    assertThat(WriteKeyAuthenticator.basicUser(basic("wk-web:ignored"))).isEqualTo("wk-web");
    assertThat(WriteKeyAuthenticator.basicUser(basic("wk-web"))).isEqualTo("wk-web");
    assertThat(WriteKeyAuthenticator.basicUser("basic " + Base64.getEncoder().encodeToString(
        "wk-web:".getBytes(StandardCharsets.UTF_8)))).isEqualTo("wk-web");
    assertThat(WriteKeyAuthenticator.basicUser("Bearer abc")).isNull();
    assertThat(WriteKeyAuthenticator.basicUser("Basic !!!notbase64")).isNull();
    assertThat(WriteKeyAuthenticator.basicUser(null)).isNull();
  }

  @Test
  void findsTheSourceFromHeaderOrBody() {
    assertThat(auth.authenticate("wk-web", null).name()).isEqualTo("web");
    assertThat(auth.authenticate(null, new JsonObject().put("writeKey", "wk-web")).projectKey())
        .isEqualTo("proj-web");
    assertThat(auth.authenticate("nope", new JsonObject().put("writeKey", "wk-web")).name()).isEqualTo("web");
  }

  @Test
  void unknownMissingAndDisabledKeysAre401WithoutEchoingTheKey() {
    assertThatThrownBy(() -> auth.authenticate("guess-123", new JsonObject()))
        .isInstanceOfSatisfying(IngestException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.getMessage()).contains("write key").doesNotContain("guess-123");
        });
    assertThatThrownBy(() -> auth.authenticate(null, new JsonObject()))
        .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.getMessage()).startsWith("missing"));
    assertThatThrownBy(() -> auth.authenticate("wk-old", null))
        .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.getMessage()).contains("disabled"));
    assertThatThrownBy(() -> auth.authenticate(null, new JsonObject().put("writeKey", 12)))
        .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(401));
  }
}
