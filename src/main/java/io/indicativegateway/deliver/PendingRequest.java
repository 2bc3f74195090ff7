package io.indicativegateway.deliver;

import io.indicativegateway.translate.IndicativeItem;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/** One request to Indicative: a single identify or alias, or a batch of events. */
record PendingRequest(IndicativeItem.Kind kind, List<ItemRef> items) {

  private static final Buffer EVENTS_OPEN = Buffer.buffer(",\"events\":[");
  private static final Buffer EVENTS_CLOSE = Buffer.buffer("]}");

  /** Bytes the event-batch body adds around its events for a given {@code {"apiKey":"..."}} prefix. */
  static int batchOverhead(Buffer apiKeyPrefix) {
    return apiKeyPrefix.length() + EVENTS_OPEN.length() + EVENTS_CLOSE.length();
  }

  /**
   * The JSON body: the items were serialized by translation, so this only joins bytes.
   *
   * @param apiKeyPrefix {@code {"apiKey":"<key>"} without the closing brace
   */
  Buffer body(Buffer apiKeyPrefix) {
    if (kind == IndicativeItem.Kind.EVENT) {
      int size = batchOverhead(apiKeyPrefix) + items.size();
      for (ItemRef ref : items) {
        size += ref.size();
      }
      Buffer body = Buffer.buffer(size).appendBuffer(apiKeyPrefix).appendBuffer(EVENTS_OPEN);
      for (int i = 0; i < items.size(); i++) {
        if (i > 0) {
          body.appendByte((byte) ',');
        }
        body.appendBuffer(items.get(i).item().json());
      }
      return body.appendBuffer(EVENTS_CLOSE);
    }
    Buffer item = items.get(0).item().json(); // {"uniqueId":...} -> {"apiKey":"k","uniqueId":...}
    Buffer body = Buffer.buffer(apiKeyPrefix.length() + item.length() + 1).appendBuffer(apiKeyPrefix);
    return item.length() <= 2 ? body.appendString("}") : body.appendString(",").appendBuffer(item, 1,
        item.length() - 1);
  }

  List<PendingRequest> halves() {
    int middle = items.size() / 2;
    return List.of(new PendingRequest(kind, items.subList(0, middle)),
        new PendingRequest(kind, items.subList(middle, items.size())));
  }
}
