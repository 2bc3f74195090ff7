package io.indicativegateway.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * What the store remembers for the dedup window: accepted {@code (writeKey, messageId)} pairs and delivered alias
 * pairs, each as {@code ledgerKey -> acceptedAtMillis} in the dedup family.
 *
 * <p>Expiry walks a time-ordered index. One index entry covers every key one write remembered
 * ({@code acceptedAt(8) '#' n(8) -> [length(4) ledgerKey]...}), so a synced group of thousands of messages adds
 * one index entry, not one per message. Entries written by earlier versions, one per key
 * ({@code acceptedAt(8) ledgerKey -> empty}), are still read and expired.
 */
final class DedupLedger {

  static final byte MESSAGE = 'D';
  static final byte ALIAS = 'A';
  private static final byte GROUP_ENTRY = '#';

  private final Duration window;
  private final AtomicLong entries = new AtomicLong();
  private volatile long expiredUpTo;

  DedupLedger(Duration window) {
    this.window = window;
  }

  boolean enabled() {
    return !window.isZero();
  }

  static byte[] messageKey(long writeKeyId, String messageId) {
    byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 8 + id.length).put(MESSAGE).putLong(writeKeyId).put(id).array();
  }

  static byte[] aliasKey(EventStore.AliasPair pair) {
    byte[] previous = pair.previousId().getBytes(StandardCharsets.UTF_8);
    byte[] next = pair.newId().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 8 + 4 + previous.length + next.length)
        .put(ALIAS).putLong(pair.projectId()).putInt(previous.length).put(previous).put(next).array();
  }

  /** Which of {@code keys} were remembered within the window before {@code now}. */
  BitSet seenWithinWindow(RocksHandles r, List<byte[]> keys, long now) throws RocksDBException {
    BitSet seen = new BitSet();
    if (keys.isEmpty()) {
      return seen;
    }
    List<byte[]> found = r.db.multiGetAsList(Collections.nCopies(keys.size(), r.dedup), keys);
    long windowStart = now - window.toMillis();
    for (int k = 0; k < found.size(); k++) {
      if (found.get(k) != null && StoreKeys.readLong(found.get(k), 0) > windowStart) {
        seen.set(k);
      }
    }
    return seen;
  }

  /** Adds to {@code batch}: each key as seen at {@code now}, and one index entry for all of them. */
  void remember(RocksHandles r, WriteBatch batch, List<byte[]> keys, long now) throws RocksDBException {
    if (keys.isEmpty()) {
      return;
    }
    byte[] acceptedAt = StoreKeys.longKey(now);
    int packed = 0;
    for (byte[] key : keys) {
      batch.put(r.dedup, key, acceptedAt);
      packed += 4 + key.length;
    }
    ByteBuffer index = ByteBuffer.allocate(packed);
    keys.forEach(key -> index.putInt(key.length).put(key));
    byte[] indexKey = ByteBuffer.allocate(17).putLong(now).put(GROUP_ENTRY).putLong(entries.incrementAndGet())
        .array();
    batch.put(r.dedupExpiry, indexKey, index.array());
  }

  /**
   * Forgets what was remembered before the window, oldest first, in whole index entries until at least
   * {@code maxKeys} keys were looked at. Walks the index from where the previous call stopped, so it never
   * scans live entries. A key remembered again later (after it had expired, before this removed it) is kept.
   * Returns how many keys were looked at.
   */
  int expire(RocksHandles r, long nowMillis, int maxKeys) throws RocksDBException {
    long cutoff = Math.max(0, nowMillis - window.toMillis());
    int looked = 0;
    long reached = expiredUpTo;
    try (Slice lower = new Slice(StoreKeys.longKey(expiredUpTo));
         Slice upper = new Slice(StoreKeys.longKey(cutoff));
         ReadOptions options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
         RocksIterator it = r.db.newIterator(r.dedupExpiry, options);
         WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid() && looked < maxKeys; it.next()) {
        byte[] indexKey = it.key();
        long acceptedAt = StoreKeys.readLong(indexKey, 0);
        List<byte[]> keys = keysOf(indexKey, it.value());
        List<byte[]> current = r.db.multiGetAsList(Collections.nCopies(keys.size(), r.dedup), keys);
        for (int k = 0; k < keys.size(); k++) {
          if (current.get(k) != null && StoreKeys.readLong(current.get(k), 0) <= acceptedAt) {
            batch.delete(r.dedup, keys.get(k));
          }
        }
        batch.delete(r.dedupExpiry, indexKey);
        reached = acceptedAt;
        looked += keys.size();
      }
      it.status();
      if (looked > 0) {
        r.db.write(r.walWrite, batch);
      }
      expiredUpTo = looked < maxKeys ? cutoff : reached;
    }
    return looked;
  }

  private static List<byte[]> keysOf(byte[] indexKey, byte[] value) {
    if (value.length == 0) { // one key per entry, inside the index key
      byte[] key = new byte[indexKey.length - 8];
      System.arraycopy(indexKey, 8, key, 0, key.length);
      return List.of(key);
    }
    List<byte[]> keys = new ArrayList<>();
    ByteBuffer packed = ByteBuffer.wrap(value);
    while (packed.remaining() >= 4) {
      byte[] key = new byte[packed.getInt()];
      packed.get(key);
      keys.add(key);
    }
    return keys;
  }
}
