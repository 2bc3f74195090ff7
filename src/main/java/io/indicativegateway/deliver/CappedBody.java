package io.indicativegateway.deliver;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.charset.StandardCharsets;

/**
 * Where Indicative's answer body goes: its first {@code cap} bytes are kept (enough for a dead letter's detail),
 * the rest is read and dropped, so an answer of any size costs a bounded amount of memory.
 */
final class CappedBody implements WriteStream<Buffer> {

  private final int cap;
  private final Buffer kept = Buffer.buffer();

  CappedBody(int cap) {
    this.cap = cap;
  }

  String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  @Override
  public Future<Void> write(Buffer data) {
    int room = cap - kept.length();
    if (room > 0) {
      kept.appendBuffer(data, 0, Math.min(room, data.length()));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
