package io.indicativegateway.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Binary layout of the store's keys and values.
 *
 * <ul>
 *   <li>queue: {@code projectId(8) seq(8)} -> {@code version(1) receivedAtMillis(8) messageJson}. Big-endian, so
 *       one project's messages sort together in arrival order.</li>
 *   <li>projects: {@code projectId(8)} -> project API key (UTF-8)</li>
 *   <li>dedup ledger and its expiry index: see {@link DedupLedger}</li>
 *   <li>dead letters: {@code kind(1) seq(8)} -> JSON document; kind 'R' = refused at ingestion, 'U' = undeliverable</li>
 * </ul>
 */
public final class StoreKeys {

  static final byte RECORD_VERSION = 1;
  static final int RECORD_HEADER = 9;

  private StoreKeys() {}

  /** A stable 64-bit id for a key (project API key or write key): the first 8 bytes of its SHA-256. */
  public static long idOf(String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(hash, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] queueKey(long projectId, long seq) {
    return ByteBuffer.allocate(16).putLong(projectId).putLong(seq).array();
  }

  static long projectOf(byte[] queueKey) {
    return ByteBuffer.wrap(queueKey, 0, 8).getLong();
  }

  static long seqOf(byte[] queueKey) {
    return ByteBuffer.wrap(queueKey, 8, 8).getLong();
  }

  static byte[] longKey(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long readLong(byte[] bytes, int offset) {
    return ByteBuffer.wrap(bytes, offset, 8).getLong();
  }

  static byte[] deadLetterKey(byte kind, long seq) {
    return ByteBuffer.allocate(9).put(kind).putLong(seq).array();
  }

  static byte[] recordValue(long receivedAtMillis, byte[] message) {
    return ByteBuffer.allocate(RECORD_HEADER + message.length)
        .put(RECORD_VERSION).putLong(receivedAtMillis).put(message).array();
  }
}
