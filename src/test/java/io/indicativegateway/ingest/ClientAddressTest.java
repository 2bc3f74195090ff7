package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The client address: the peer, or X-Forwarded-For read from the right when (and only when) the peer is trusted. */
class ClientAddressTest {

  private static final ClientAddress NONE = ClientAddress.trusting(List.of());
  private static final ClientAddress PROXIES = ClientAddress.trusting(List.of("10.0.0.0/8", "192.0.2.10",
      "fd00::/8"));

  private static String resolve(ClientAddress trust, String peer, String... forwardedFor) {
    return trust.resolve(peer, List.of(forwardedFor));
  }

  @Test
  void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
    assertThat(resolve(NONE, "198.51.100.7")).isEqualTo("198.51.100.7");
    assertThat(resolve(NONE, "198.51.100.7", "203.0.113.9")).isEqualTo("198.51.100.7");
    assertThat(NONE.trustsAnyProxy()).isFalse();
  }

  @Test
  void anUntrustedPeerCannotForgeItsAddressWithTheHeader() {
    assertThat(resolve(PROXIES, "198.51.100.7", "203.0.113.9")).isEqualTo("198.51.100.7");
    assertThat(resolve(PROXIES, "198.51.100.7", "10.0.0.1")).isEqualTo("198.51.100.7");
  }

  @Test
  void aTrustedPeerIsBelievedAndTheRightMostUntrustedAddressIsTheClient() {
    assertThat(resolve(PROXIES, "10.1.2.3", "203.0.113.9")).isEqualTo("203.0.113.9");
    // the client wrote "1.1.1.1" itself; the trusted proxies appended the address they saw
    assertThat(resolve(PROXIES, "10.1.2.3", "1.1.1.1, 203.0.113.9, 10.9.9.9")).isEqualTo("203.0.113.9");
    assertThat(resolve(PROXIES, "192.0.2.10", "1.1.1.1,203.0.113.9,192.0.2.10")).isEqualTo("203.0.113.9");
    // several header lines are one list, in order
    assertThat(resolve(PROXIES, "10.1.2.3", "1.1.1.1", "203.0.113.9, 10.0.0.5")).isEqualTo("203.0.113.9");
  }

  @Test
  void noHeaderOrOnlyProxiesInIt() {
    assertThat(resolve(PROXIES, "10.1.2.3")).isEqualTo("10.1.2.3");
    assertThat(resolve(PROXIES, "10.1.2.3", "10.0.0.9, 10.0.0.8")).as("the farthest proxy known")
        .isEqualTo("10.0.0.9");
  }

  @Test
  void somethingThatIsNotAnAddressEndsTheWalkAtTheHopThatReportedIt() {
    assertThat(resolve(PROXIES, "10.1.2.3", "unknown")).isEqualTo("10.1.2.3");
    assertThat(resolve(PROXIES, "10.1.2.3", "203.0.113.9, garbage, 10.0.0.7")).isEqualTo("10.0.0.7");
    assertThat(resolve(PROXIES, "10.1.2.3", "example.com")).as("names are never resolved").isEqualTo("10.1.2.3");
    assertThat(resolve(PROXIES, "10.1.2.3", "")).isEqualTo("10.1.2.3");
    assertThat(resolve(PROXIES, "10.1.2.3", "203.0.113.9,")).as("a trailing comma").isEqualTo("203.0.113.9");
  }

  @Test
  void portsBracketsQuotesAndIpv6() {
    assertThat(resolve(PROXIES, "10.1.2.3", "203.0.113.9:5123")).isEqualTo("203.0.113.9");
    assertThat(resolve(PROXIES, "10.1.2.3", "[2001:db8::1]:443")).isEqualTo("2001:db8::1");
    assertThat(resolve(PROXIES, "10.1.2.3", "\"[2001:db8::1]\"")).isEqualTo("2001:db8::1");
    assertThat(resolve(PROXIES, "10.1.2.3", "2001:0db8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
    assertThat(resolve(PROXIES, "fd12::1", "2001:db8::2")).as("an IPv6 proxy range").isEqualTo("2001:db8::2");
    assertThat(resolve(NONE, "0:0:0:0:0:0:0:1")).isEqualTo("::1");
  }

  @Test
  void ipv4MappedAddressesCountAsIpv4() {
    assertThat(resolve(NONE, "::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
    assertThat(resolve(PROXIES, "::ffff:10.0.0.1", "203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(resolve(ClientAddress.trusting(List.of("::ffff:10.0.0.0/104")), "10.3.3.3", "203.0.113.9"))
        .isEqualTo("203.0.113.9");
  }

  @Test
  void rangesMatchOnTheirPrefixOnly() {
    ClientAddress range = ClientAddress.trusting(List.of("172.16.0.0/12"));
    assertThat(range.isTrusted("172.16.0.1")).isTrue();
    assertThat(range.isTrusted("172.31.255.255")).isTrue();
    assertThat(range.isTrusted("172.32.0.1")).isFalse();
    assertThat(range.isTrusted("172.15.255.255")).isFalse();
    assertThat(range.isTrusted("::ffff:172.20.0.1")).isTrue();
    assertThat(range.isTrusted("2001:db8::1")).isFalse();
    assertThat(ClientAddress.trusting(List.of("0.0.0.0/0")).isTrusted("8.8.8.8")).isTrue();
    assertThat(ClientAddress.trusting(List.of("192.0.2.10")).isTrusted("192.0.2.11")).isFalse();
  }

  @Test
  void anUnknownPeerHasNoAddress() {
    assertThat(resolve(PROXIES, null, "203.0.113.9")).isNull();
    assertThat(resolve(NONE, "not-an-address")).isNull();
  }

  @Test
  void badProxyEntriesAreNamed() {
    assertThat(ClientAddress.problems(List.of("10.0.0.1", "10.0.0.0/33", "proxy.internal", "fd00::/129", "1.2.3",
        "10.0.0.0/x", "::1/128"))).hasSize(5)
        .anySatisfy(p -> assertThat(p).contains("'proxy.internal'").contains("host names are not resolved"));
    assertThatThrownBy(() -> ClientAddress.trusting(List.of("lb.example.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lb.example.com");
  }
}
