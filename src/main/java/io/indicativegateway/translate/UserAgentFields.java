package io.indicativegateway.translate;

/**
 * What a user-agent string says about the client, as Indicative event properties. A {@code null} field is not
 * sent.
 *
 * @param browser the browser family ({@code "Chrome"}, {@code "Mobile Safari"})
 * @param browserVersion {@code major.minor.patch}, stopping at the first missing part ({@code "113.0.0"},
 *     {@code "2.1"}); {@code null} without a major version
 * @param os the OS family with its major version when known ({@code "iOS 17"}, {@code "Windows 10"},
 *     {@code "Mac OS X 10"}): the major version is what separates platforms in practice, while minor and patch
 *     versions would split every chart into fragments
 * @param device the device family ({@code "iPhone"}, {@code "Mac"}, {@code "Samsung SM-S908B"})
 */
record UserAgentFields(String browser, String browserVersion, String os, String device) {

  static final UserAgentFields NONE = new UserAgentFields(null, null, null, null);

  void addAbsentTo(FlatProperties properties) {
    properties.addAbsent("browser", browser);
    properties.addAbsent("browser_version", browserVersion);
    properties.addAbsent("os", os);
    properties.addAbsent("device", device);
  }
}
