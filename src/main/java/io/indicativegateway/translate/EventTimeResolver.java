package io.indicativegateway.translate;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Decides an event's time from the times a Segment message carries.
 *
 * <p>The client's {@code timestamp} (else {@code originalTimestamp}) is taken, corrected for the client's clock
 * skew when {@code sentAt} is known: {@code receivedAt - (sentAt - timestamp)} keeps the delay between the event
 * and its sending but measures it from the gateway's clock. A result before 2000 or more than 24 h after
 * {@code receivedAt} is not believable, and neither is an unparseable time: then {@code receivedAt} is used.
 *
 * <p>The plausibility checks apply to the corrected time, so a device whose clock says 1970 still gets a sound
 * time as long as it sent {@code sentAt} from the same clock.
 */
final class EventTimeResolver {

  static final long EARLIEST = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  static final long MAX_AHEAD_OF_RECEIPT = Duration.ofHours(24).toMillis();

  private EventTimeResolver() {}

  /**
   * Epoch milliseconds of the event. Empty only when the message has no usable {@code receivedAt} and no
   * believable timestamp either (ingestion always sets {@code receivedAt}, so this does not happen in practice).
   */
  static OptionalLong resolve(JsonObject message) {
    OptionalLong received = TimestampParser.toEpochMillis(message.getValue("receivedAt"));
    OptionalLong clientTime = TimestampParser.toEpochMillis(message.getValue("timestamp"));
    if (clientTime.isEmpty()) {
      clientTime = TimestampParser.toEpochMillis(message.getValue("originalTimestamp"));
    }
    if (received.isEmpty()) {
      // Nothing to correct against or fall back to: keep a believable client time, else give up.
      return clientTime.isPresent() && clientTime.getAsLong() >= EARLIEST ? clientTime : OptionalLong.empty();
    }
    long receivedAt = received.getAsLong();
    if (clientTime.isEmpty()) {
      return received;
    }
    long eventTime = clientTime.getAsLong();
    OptionalLong sentAt = TimestampParser.toEpochMillis(message.getValue("sentAt"));
    if (sentAt.isPresent()) {
      // Parsed times lie within the years 0000-9999, so this cannot overflow.
      eventTime = receivedAt - (sentAt.getAsLong() - eventTime);
    }
    if (eventTime < EARLIEST || eventTime > receivedAt + MAX_AHEAD_OF_RECEIPT) {
      return received;
    }
    return OptionalLong.of(eventTime);
  }
}
