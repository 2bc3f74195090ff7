package io.indicativegateway.ingest;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The address of the client behind a request: the connection's peer, or, when that peer is one of the trusted
 * proxies, what the proxies wrote in {@code X-Forwarded-For}.
 *
 * <p>Each proxy appends the address it received the request from, so the list is read from the right: trusted
 * proxies are skipped and the first address that is not one of them is the client. Everything left of it was
 * written by the client itself (or by proxies nobody vouches for) and is never believed. When every entry is a
 * trusted proxy, the left-most is the best known. An entry that is not an address ({@code unknown}, garbage) ends
 * the walk: the client is then the trusted hop that reported it. A peer that is not trusted is the answer
 * whatever the headers say, so a client cannot forge its address by sending the header itself.
 *
 * <p>Trusted proxies are addresses ({@code 10.0.0.7}, {@code ::1}) or CIDR ranges ({@code 10.0.0.0/8},
 * {@code fd00::/8}). IPv4-mapped IPv6 addresses count as their IPv4 address. Nothing here resolves host names:
 * only literal addresses are parsed. Answers are canonical text ({@code 203.0.113.9}, {@code 2001:db8::1}).
 * Immutable and thread-safe.
 */
public final class ClientAddress {

  private static final ClientAddress NO_PROXIES = new ClientAddress(List.of());

  private final List<Range> trusted;

  private ClientAddress(List<Range> trusted) {
    this.trusted = trusted;
  }

  /**
   * @param proxies addresses or CIDR ranges, as {@code GATEWAY_TRUSTED_PROXIES} lists them
   * @throws IllegalArgumentException naming the first entry that is neither
   */
  public static ClientAddress trusting(List<String> proxies) {
    if (proxies == null || proxies.isEmpty()) {
      return NO_PROXIES;
    }
    List<Range> ranges = new ArrayList<>(proxies.size());
    for (String proxy : proxies) {
      Range range = Range.parse(proxy);
      if (range == null) {
        throw new IllegalArgumentException(problem(proxy));
      }
      ranges.add(range);
    }
    return new ClientAddress(List.copyOf(ranges));
  }

  /** What is wrong with each entry that is neither an address nor a CIDR range; empty when all are fine. */
  public static List<String> problems(List<String> proxies) {
    List<String> problems = new ArrayList<>();
    for (String proxy : proxies) {
      if (Range.parse(proxy) == null) {
        problems.add(problem(proxy));
      }
    }
    return problems;
  }

  private static String problem(String proxy) {
    return "GATEWAY_TRUSTED_PROXIES / http.trustedProxies: '" + proxy
        + "' is neither an IP address nor a CIDR range such as 10.0.0.0/8 (host names are not resolved)";
  }

  public boolean trustsAnyProxy() {
    return !trusted.isEmpty();
  }

  /** Whether the connection's peer is a trusted proxy, whose forwarding headers may be believed. */
  public boolean isTrusted(String peer) {
    byte[] address = parse(peer);
    return address != null && isTrusted(address);
  }

  /**
   * @param peer the connection's remote address (literal), or null when unknown
   * @param forwardedFor the {@code X-Forwarded-For} header values in the order received (may be empty)
   * @return the client's address in canonical form, or null when the peer is unknown or not an address
   */
  public String resolve(String peer, List<String> forwardedFor) {
    byte[] peerAddress = parse(peer);
    if (peerAddress == null) {
      return null;
    }
    String client = format(peerAddress);
    if (!isTrusted(peerAddress) || forwardedFor == null || forwardedFor.isEmpty()) {
      return client;
    }
    List<String> hops = new ArrayList<>();
    for (String header : forwardedFor) {
      if (header != null) {
        hops.addAll(Arrays.asList(header.split(",")));
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i).trim();
      if (hop.isEmpty() && i == hops.size() - 1) {
        continue; // a trailing comma
      }
      byte[] address = parse(stripPort(hop));
      if (address == null) {
        return client; // a trusted hop wrote something that is not an address: that hop is what we know
      }
      client = format(address);
      if (!isTrusted(address)) {
        return client;
      }
    }
    return client;
  }

  private boolean isTrusted(byte[] address) {
    for (Range range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 1.2.3.4:5678} and {@code [2001:db8::1]:443} as proxies may write them, and quoted forms. */
  static String stripPort(String hop) {
    String text = hop;
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1);
    }
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      return close < 0 ? text : text.substring(1, close);
    }
    int colon = text.indexOf(':');
    if (colon > 0 && colon == text.lastIndexOf(':') && text.indexOf('.') > 0) {
      return text.substring(0, colon); // IPv4 with a port; a bare IPv6 address has several colons
    }
    return text;
  }

  /** 4 bytes for IPv4 (also for IPv4-mapped IPv6), 16 for IPv6; null for anything that is not a literal. */
  static byte[] parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    String literal = text;
    int zone = literal.indexOf('%');
    if (zone > 0) {
      literal = literal.substring(0, zone);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 16 && isIpv4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  static String format(byte[] address) {
    try {
      return NetUtil.toAddressString(InetAddress.getByAddress(address)); // no lookup: bytes given
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address of 4 or 16 bytes", e);
    }
  }

  /** An address with a prefix length; a single address is a range of its full length. */
  private record Range(byte[] network, int prefixBits) {

    static Range parse(String text) {
      if (text == null) {
        return null;
      }
      String trimmed = text.trim();
      int slash = trimmed.indexOf('/');
      byte[] address = ClientAddress.parse(slash < 0 ? trimmed : trimmed.substring(0, slash));
      if (address == null) {
        return null;
      }
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          int prefix = Integer.parseInt(trimmed.substring(slash + 1));
          boolean mapped = address.length == 4 && trimmed.substring(0, slash).contains(":");
          if (mapped) {
            prefix -= 96; // ::ffff:10.0.0.0/104 is 10.0.0.0/8
          }
          if (prefix < 0 || prefix > bits) {
            return null;
          }
          bits = prefix;
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return new Range(address, bits);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
