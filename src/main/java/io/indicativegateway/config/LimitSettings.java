package io.indicativegateway.config;

/**
 * What one request and one message may be. Over a size, count or shape limit a request gets 413 (a message
 * inside a batch is rejected on its own); nesting deeper than {@code maxJsonDepth} gets 400, as JSON the gateway
 * will not read.
 *
 * @param maxJsonDepth deepest nesting of objects and arrays in a body
 * @param maxPropertiesPerMessage object keys and array elements in one message, all levels counted
 * @param maxKeyLength longest object key (UTF-16 units)
 * @param maxValueLength longest string value (UTF-16 units); every unit takes at least one byte, so this only
 *     bites when it is below {@code maxMessageBytes}
 * @param rateLimitPerSecond messages per second each source may send (0: no limit)
 * @param rateLimitBurst messages a source may send at once above its rate
 */
public record LimitSettings(
    int maxMessageBytes,
    int maxBatchBytes,
    int maxBatchMessages,
    int maxJsonDepth,
    int maxPropertiesPerMessage,
    int maxKeyLength,
    int maxValueLength,
    int rateLimitPerSecond,
    int rateLimitBurst) {

  public boolean rateLimited() {
    return rateLimitPerSecond > 0;
  }
}
