package io.indicativegateway.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdFormatterTest {

  @Test
  void integersKeepEveryDigit() {
    assertThat(IdFormatter.format(42)).isEqualTo("42");
    assertThat(IdFormatter.format(12345678901234567L)).isEqualTo("12345678901234567");
    assertThat(IdFormatter.format(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
    assertThat(IdFormatter.format(new BigInteger("92233720368547758070000"))).isEqualTo("92233720368547758070000");
  }

  @Test
  void decimalsArePlainAndShortest() {
    assertThat(IdFormatter.format(42.0)).isEqualTo("42");
    assertThat(IdFormatter.format(-0.0)).isEqualTo("0");
    assertThat(IdFormatter.format(1.5)).isEqualTo("1.5");
    assertThat(IdFormatter.format(9007199254740991.0)).isEqualTo("9007199254740991");
    assertThat(IdFormatter.format(1e20)).isEqualTo("100000000000000000000");
    assertThat(IdFormatter.format(1.5f)).isEqualTo("1.5");
    assertThat(IdFormatter.format(new BigDecimal("12345678901234567.000"))).isEqualTo("12345678901234567");
    assertThat(IdFormatter.format(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(IdFormatter.format(new BigDecimal("0.000123"))).isEqualTo("0.000123");
  }

  @Test
  void idsFromParsedJsonKeepEveryDigit() {
    JsonObject message = new JsonObject("{\"a\":12345678901234567,\"b\":123456789012345678901234567890}");

    assertThat(IdFormatter.format(message.getValue("a"))).isEqualTo("12345678901234567");
    assertThat(IdFormatter.format(message.getValue("b"))).isEqualTo("123456789012345678901234567890");
  }

  @Test
  void notAnId() {
    assertThat(IdFormatter.format(null)).isNull();
    assertThat(IdFormatter.format("")).isNull();
    assertThat(IdFormatter.format(true)).isNull();
    assertThat(IdFormatter.format(new JsonObject())).isNull();
    assertThat(IdFormatter.format(List.of("u"))).isNull();
    assertThat(IdFormatter.format(Double.NaN)).isNull();
    assertThat(IdFormatter.format(Double.POSITIVE_INFINITY)).isNull();
    assertThat(IdFormatter.format(new BigDecimal("1E+100000000"))).as("would print 100 million zeros").isNull();
  }

  @Test
  void stringsAreKeptAsGiven() {
    assertThat(IdFormatter.format(" u-1 ")).isEqualTo(" u-1 ");
    assertThat(IdFormatter.format(new StringBuilder("sb"))).isEqualTo("sb");
  }
}
