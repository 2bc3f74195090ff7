package io.indicativegateway.translate;

import ua_parser.Client;
import ua_parser.Parser;

/**
 * Derives {@link UserAgentFields} from user-agent strings with uap-java (the ua-parser project's maintained
 * regexes), behind a bounded LRU cache: a parse tries hundreds of regexes and costs milliseconds, while real
 * traffic repeats a small set of user agents. Safe for concurrent use.
 *
 * <p>ua-parser answers {@code "Other"} when it does not recognise a browser, OS or device (desktop browsers have
 * no device, for instance). {@code "Other"} says nothing about the client and would lump unrelated users together
 * in Indicative, so such fields are left out rather than sent.
 */
final class UserAgentDescriber {

  /**
   * Only this many leading characters are parsed. Parse time grows linearly with the length (a 30 KB string
   * takes about a second), real user agents stay well under 512 characters, and their telling tokens come first.
   */
  static final int MAX_PARSED_LENGTH = 512;

  private static final String UNKNOWN = "Other";

  private final Parser parser;
  private final BoundedLruCache<String, UserAgentFields> cache;

  UserAgentDescriber(int cacheSize) {
    this.parser = new Parser();
    this.cache = new BoundedLruCache<>(cacheSize);
  }

  UserAgentFields describe(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return UserAgentFields.NONE;
    }
    String parsed = userAgent.length() > MAX_PARSED_LENGTH ? userAgent.substring(0, MAX_PARSED_LENGTH) : userAgent;
    UserAgentFields fields = cache.get(parsed);
    if (fields == null) {
      fields = parse(parsed);
      cache.put(parsed, fields);
    }
    return fields;
  }

  int cachedEntries() {
    return cache.size();
  }

  private UserAgentFields parse(String userAgent) {
    Client client;
    try {
      client = parser.parse(userAgent);
    } catch (RuntimeException e) {
      return UserAgentFields.NONE; // a regex engine failure must not cost the event
    }
    String browser = null;
    String browserVersion = null;
    if (client.userAgent != null && known(client.userAgent.family)) {
      browser = client.userAgent.family;
      browserVersion = version(client.userAgent.major, client.userAgent.minor, client.userAgent.patch);
    }
    String os = null;
    if (client.os != null && known(client.os.family)) {
      os = present(client.os.major) ? client.os.family + " " + client.os.major : client.os.family;
    }
    String device = client.device != null && known(client.device.family) ? client.device.family : null;
    return new UserAgentFields(browser, browserVersion, os, device);
  }

  private static boolean known(String family) {
    return present(family) && !UNKNOWN.equals(family);
  }

  private static String version(String major, String minor, String patch) {
    if (!present(major)) {
      return null;
    }
    StringBuilder version = new StringBuilder(major);
    if (present(minor)) {
      version.append('.').append(minor);
      if (present(patch)) {
        version.append('.').append(patch);
      }
    }
    return version.toString();
  }

  private static boolean present(String part) {
    return part != null && !part.isEmpty();
  }
}
