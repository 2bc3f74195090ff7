package io.indicativegateway.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable object between verticles of the same JVM by reference, instead of the copy the event bus
 * makes of a JsonObject. These messages never leave the process, so there is no wire format.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /** Registers the codec as the default for {@code type}; safe to call more than once. */
  public static <T> void register(Vertx vertx, Class<T> type) {
    try {
      vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // another deployment in this Vert.x instance registered it first
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new IllegalStateException(type.getSimpleName() + " is sent only within one JVM (local delivery)");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(type.getSimpleName() + " is sent only within one JVM (local delivery)");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "local:" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
