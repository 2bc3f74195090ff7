package io.indicativegateway.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OutcomeTest {

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "200, DELIVERED", "202, DELIVERED", "400, REJECTED", "413, REJECTED", "422, REJECTED",
      "401, AUTH_FAILED", "403, AUTH_FAILED", "408, RETRY", "429, RETRY", "500, RETRY", "502, RETRY",
      "503, RETRY", "404, RETRY", "302, RETRY"})
  void classifiesStatusesAsTheContractSays(int status, Outcome.Type expected) {
    assertThat(Outcome.ofResponse(status, null, "", Instant.now()).type()).isEqualTo(expected);
  }

  @Test
  void keepsRetryAfterAndAnAbbreviatedBody() {
    Outcome outcome = Outcome.ofResponse(429, "12", "x".repeat(10_000), Instant.now());
    assertThat(outcome.retryAfterMs()).hasValue(12_000);
    assertThat(outcome.detail()).startsWith("HTTP 429: xxx").hasSizeLessThan(Outcome.MAX_DETAIL + 20);
  }

  @Test
  void connectionErrorsAreRetried() {
    Outcome outcome = Outcome.ofError(new IOException("Connection refused"));
    assertThat(outcome.type()).isEqualTo(Outcome.Type.RETRY);
    assertThat(outcome.detail()).contains("Connection refused");
    assertThat(outcome.cause()).isEqualTo("connection");
  }
}
