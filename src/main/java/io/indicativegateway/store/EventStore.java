package io.indicativegateway.store;

import io.indicativegateway.config.StoreSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's durable store: an embedded RocksDB in the data directory.
 *
 * <p>Accepted messages wait here, one queue per Indicative project, until Indicative has them; the store, not
 * the heap, holds the backlog however long Indicative is away. {@link #append} is the only write that clients
 * wait for: it is group-committed and synced before its future completes. Every other method blocks and must run
 * on a worker thread.
 */
public final class EventStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventStore.class);

  static {
    RocksDB.loadLibrary();
  }

  /** Notified, on the writer thread, after a group commit that stored messages for these projects. */
  public interface AppendListener {
    void appended(Set<Long> projectIds);
  }

  /** A synced write slower than this is logged: clients wait for it. */
  private static final long SLOW_COMMIT_MS = 200;

  /**
   * @param bytes what it counts against {@code store.maxBytes} while pending
   * @param writeBytes what it adds to the group commit
   */
  private record PendingAppend(AppendBatch batch, long bytes, long writeBytes, Promise<AppendResult> promise,
                               Context context) {}

  private final StoreSettings settings;
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> familyOptions;
  private final List<ColumnFamilyHandle> handles;
  private final RocksDB db;
  private final ColumnFamilyHandle queue;
  private final ColumnFamilyHandle projects;
  private final ColumnFamilyHandle dedup;
  private final ColumnFamilyHandle dedupExpiry;
  private final ColumnFamilyHandle deadLetters;
  private final WriteOptions syncWrite = new WriteOptions().setSync(true);
  private final WriteOptions walWrite = new WriteOptions();
  private final AtomicLong liveBytes = new AtomicLong();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicLong queuedRecords = new AtomicLong();
  private final AtomicLong nextSeq = new AtomicLong(1);
  private final AtomicLong groupCommits = new AtomicLong();
  private final AtomicLong rejectedBytes = new AtomicLong();
  private final AtomicLong rejectedEvicted = new AtomicLong();
  private long rejectedHead; // writer thread only: oldest rejected seq that may still exist
  private final Map<Long, String> projectKeys = new ConcurrentHashMap<>();
  private final Map<String, Long> writeKeyIds = new HashMap<>(); // writer thread only
  private final List<AppendListener> listeners = new CopyOnWriteArrayList<>();
  private final GroupCommitWriter<PendingAppend> writer;
  private volatile long dedupExpiredUpTo;
  private volatile boolean closed;
  /** Store operations hold it shared; close() holds it exclusively, so native handles never vanish mid-call. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock lifecycle =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  private EventStore(StoreSettings settings, DBOptions dbOptions, List<ColumnFamilyOptions> familyOptions,
                     RocksDB db, List<ColumnFamilyHandle> handles) {
    this.settings = settings;
    this.dbOptions = dbOptions;
    this.familyOptions = familyOptions;
    this.db = db;
    this.handles = handles;
    this.queue = handles.get(1);
    this.projects = handles.get(2);
    this.dedup = handles.get(3);
    this.dedupExpiry = handles.get(4);
    this.deadLetters = handles.get(5);
    this.writer = new GroupCommitWriter<>("store-writer", settings.writeQueueCapacity(), settings.maxGroupBytes(),
        PendingAppend::writeBytes, this::commitGroup);
  }

  /** Opens (creating if needed) the store in the configured directory. Blocking. */
  public static EventStore open(StoreSettings settings) {
    Path dir = settings.dataDir().toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new StoreOpenException("the data directory " + dir + " exists but is not a directory", null);
    }
    try {
      Files.createDirectories(dir);
    } catch (Exception e) {
      throw new StoreOpenException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir)) {
      throw new StoreOpenException("the data directory " + dir + " is not writable", null);
    }
    DBOptions dbOptions = walCompressed()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setMaxBackgroundJobs(2)
        .setMaxTotalWalSize(256L << 20)
        .setKeepLogFileNum(3)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    ColumnFamilyOptions bulk = new ColumnFamilyOptions()
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setWriteBufferSize(64L << 20)
        .setMaxWriteBufferNumber(3);
    ColumnFamilyOptions lookups = new ColumnFamilyOptions()
        .setWriteBufferSize(32L << 20)
        .setMaxWriteBufferNumber(3)
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)));
    ColumnFamilyOptions small = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, small),
        new ColumnFamilyDescriptor(bytes("queue"), bulk),
        new ColumnFamilyDescriptor(bytes("projects"), small),
        new ColumnFamilyDescriptor(bytes("dedup"), lookups),
        new ColumnFamilyDescriptor(bytes("dedup_expiry"), small),
        new ColumnFamilyDescriptor(bytes("dead_letters"), bulk));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      throw new StoreOpenException("cannot open the store in " + dir + ": " + e.getMessage()
          + " (is another gateway using this directory?)", e);
    }
    EventStore store = new EventStore(settings, dbOptions, List.of(small, bulk, lookups), db, handles);
    store.recover();
    store.writer.start();
    return store;
  }

  /**
   * Options with a zstd-compressed write-ahead log: clients wait for its sync, and JSON shrinks about four times,
   * so a synced group carries far fewer bytes. RocksJava has no setter for it; the options string does.
   */
  private static DBOptions walCompressed() {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("wal_compression", "kZSTD");
    DBOptions options = DBOptions.getDBOptionsFromProps(properties);
    return options != null ? options : new DBOptions();
  }

  /** Rebuilds the in-memory counters from what is on disk. */
  private void recover() {
    long maxSeq = 0;
    long bytes = 0;
    long records = 0;
    try (ReadOptions scan = new ReadOptions().setFillCache(false);
         RocksIterator it = db.newIterator(queue, scan)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        bytes += key.length + it.value().length;
        records++;
        maxSeq = Math.max(maxSeq, StoreKeys.seqOf(key));
      }
    }
    long rejected = 0;
    try (ReadOptions scan = new ReadOptions().setFillCache(false);
         RocksIterator it = db.newIterator(deadLetters, scan)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        long size = key.length + it.value().length;
        if (key[0] == DeadLetter.Kind.REJECTED.prefix) {
          rejected += size;
        } else {
          bytes += size;
        }
        maxSeq = Math.max(maxSeq, StoreKeys.readLong(key, 1));
      }
    }
    rejectedBytes.set(rejected);
    try (RocksIterator it = db.newIterator(projects)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        projectKeys.put(StoreKeys.readLong(it.key(), 0), new String(it.value(), StandardCharsets.UTF_8));
      }
    }
    nextSeq.set(maxSeq + 1);
    liveBytes.set(bytes);
    queuedRecords.set(records);
    log.info("store opened at {}: {} undelivered messages, {} bytes held, {} projects", settings.dataDir(),
        records, bytes, projectKeys.size());
  }

  public void addAppendListener(AppendListener listener) {
    listeners.add(listener);
  }

  /**
   * Stores a request's messages durably. The future completes, on the caller's context, only after the write is
   * synced to disk; it fails with {@link StoreRejectedException} when the store is full, its write queue is full,
   * or the disk refused the write, and then nothing of the batch was stored.
   */
  public Future<AppendResult> append(AppendBatch batch) {
    long bytes = batch.messageBytes();
    if (closed) {
      return Future.failedFuture(new StoreRejectedException(StoreRejectedException.Cause.CLOSED,
          "the store is shutting down"));
    }
    if (liveBytes.get() + pendingBytes.get() + bytes > settings.maxBytes()) {
      return Future.failedFuture(new StoreRejectedException(StoreRejectedException.Cause.FULL,
          "the gateway's store is full (" + settings.maxBytes() + " bytes); retry later"));
    }
    Context context = Vertx.currentContext();
    Promise<AppendResult> promise = Promise.promise();
    pendingBytes.addAndGet(bytes);
    if (!writer.offer(new PendingAppend(batch, bytes, batch.writeBytes(), promise, context))) {
      pendingBytes.addAndGet(-bytes);
      return Future.failedFuture(new StoreRejectedException(StoreRejectedException.Cause.BUSY,
          "the gateway's write queue is full; retry later"));
    }
    return promise.future();
  }

  /** Runs on the writer thread: dedup, one WriteBatch for the whole group, one sync, then answer everyone. */
  private void commitGroup(List<PendingAppend> group) {
    long started = System.nanoTime();
    long now = System.currentTimeMillis();
    long groupBytes = 0;
    for (PendingAppend pending : group) {
      groupBytes += pending.bytes();
    }
    List<BitSet> duplicates;
    Set<Long> touchedProjects = new HashSet<>();
    long written = 0;
    long rejectedWritten = 0;
    long records = 0;
    try (WriteBatch batch = new WriteBatch()) {
      duplicates = findDuplicates(group, now);
      for (int g = 0; g < group.size(); g++) {
        AppendBatch request = group.get(g).batch();
        long projectId = registerProject(request.projectKey(), batch);
        long writeKeyId = writeKeyId(request.writeKey());
        List<IncomingMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
          if (duplicates.get(g).get(i)) {
            continue;
          }
          IncomingMessage message = messages.get(i);
          byte[] key = StoreKeys.queueKey(projectId, nextSeq.getAndIncrement());
          byte[] value = StoreKeys.recordValue(request.receivedAtMillis(), message.json());
          batch.put(queue, key, value);
          written += key.length + value.length;
          records++;
          touchedProjects.add(projectId);
          if (dedupEnabled()) {
            byte[] dedupKey = StoreKeys.dedupKey(writeKeyId, message.messageId());
            batch.put(dedup, dedupKey, StoreKeys.longKey(now));
            batch.put(dedupExpiry, StoreKeys.expiryKey(now, dedupKey), new byte[0]);
          }
        }
        for (DeadLetter letter : request.deadLetters()) {
          long size = putDeadLetter(batch, letter);
          if (letter.kind() == DeadLetter.Kind.REJECTED) {
            rejectedWritten += size;
          } else {
            written += size;
          }
        }
      }
      db.write(syncWrite, batch);
    } catch (RocksDBException | RuntimeException e) {
      pendingBytes.addAndGet(-groupBytes);
      log.error("store write failed; answering {} requests with 503", group.size(), e);
      StoreRejectedException failure = new StoreRejectedException(StoreRejectedException.Cause.UNAVAILABLE,
          "the gateway could not write to its store; retry later");
      for (PendingAppend pending : group) {
        answer(pending, null, failure);
      }
      return;
    }
    liveBytes.addAndGet(written);
    queuedRecords.addAndGet(records);
    groupCommits.incrementAndGet();
    if (rejectedBytes.addAndGet(rejectedWritten) > settings.maxRejectedBytes()) {
      evictRejected();
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    if (tookMs >= SLOW_COMMIT_MS) {
      log.warn("slow synced write: {} ms for {} requests, {} bytes", tookMs, group.size(), written);
    }
    pendingBytes.addAndGet(-groupBytes);
    for (int g = 0; g < group.size(); g++) {
      PendingAppend pending = group.get(g);
      BitSet dups = duplicates.get(g);
      answer(pending, new AppendResult(pending.batch().messages().size() - dups.cardinality(), dups), null);
    }
    if (!touchedProjects.isEmpty()) {
      for (AppendListener listener : listeners) {
        listener.appended(touchedProjects);
      }
    }
  }

  private static void answer(PendingAppend pending, AppendResult result, Throwable failure) {
    Runnable complete = () -> {
      if (failure != null) {
        pending.promise().fail(failure);
      } else {
        pending.promise().complete(result);
      }
    };
    if (pending.context() != null) {
      pending.context().runOnContext(v -> complete.run());
    } else {
      complete.run();
    }
  }

  private boolean dedupEnabled() {
    return !settings.dedupWindow().isZero();
  }

  /** Marks messages already accepted within the dedup window, and later copies of a messageId in this group. */
  private List<BitSet> findDuplicates(List<PendingAppend> group, long now) throws RocksDBException {
    List<BitSet> result = new ArrayList<>(group.size());
    for (PendingAppend pending : group) {
      result.add(new BitSet());
    }
    if (!dedupEnabled()) {
      return result;
    }
    Set<ByteBuffer> seenInGroup = new HashSet<>();
    List<byte[]> lookups = new ArrayList<>();
    List<int[]> positions = new ArrayList<>();
    for (int g = 0; g < group.size(); g++) {
      AppendBatch request = group.get(g).batch();
      long writeKeyId = writeKeyId(request.writeKey());
      for (int i = 0; i < request.messages().size(); i++) {
        byte[] key = StoreKeys.dedupKey(writeKeyId, request.messages().get(i).messageId());
        if (!seenInGroup.add(ByteBuffer.wrap(key))) {
          result.get(g).set(i);
        } else {
          lookups.add(key);
          positions.add(new int[] {g, i});
        }
      }
    }
    if (lookups.isEmpty()) {
      return result;
    }
    List<byte[]> found = db.multiGetAsList(Collections.nCopies(lookups.size(), dedup), lookups);
    long windowStart = now - settings.dedupWindow().toMillis();
    for (int k = 0; k < found.size(); k++) {
      byte[] acceptedAt = found.get(k);
      if (acceptedAt != null && StoreKeys.readLong(acceptedAt, 0) > windowStart) {
        result.get(positions.get(k)[0]).set(positions.get(k)[1]);
      }
    }
    return result;
  }

  private long registerProject(String projectKey, WriteBatch batch) throws RocksDBException {
    long id = StoreKeys.idOf(projectKey);
    if (!projectKeys.containsKey(id)) {
      batch.put(projects, StoreKeys.longKey(id), bytes(projectKey));
      projectKeys.put(id, projectKey);
    }
    return id;
  }

  private long writeKeyId(String writeKey) {
    return writeKeyIds.computeIfAbsent(writeKey, StoreKeys::idOf);
  }

  /**
   * Drops the oldest messages refused at ingestion until their budget holds again, so a flood of invalid input
   * can never crowd out accepted messages. Writer thread.
   */
  private void evictRejected() {
    byte[] prefix = {DeadLetter.Kind.REJECTED.prefix};
    long freed = 0;
    long evicted = 0;
    long excess = rejectedBytes.get() - settings.maxRejectedBytes();
    try (Slice lower = new Slice(StoreKeys.deadLetterKey(DeadLetter.Kind.REJECTED.prefix, rejectedHead));
         Slice upper = new Slice(new byte[] {(byte) (prefix[0] + 1)});
         ReadOptions options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
         RocksIterator it = db.newIterator(deadLetters, options);
         WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid() && freed < excess; it.next()) {
        byte[] key = it.key();
        freed += key.length + it.value().length;
        evicted++;
        batch.delete(deadLetters, key);
        rejectedHead = StoreKeys.readLong(key, 1) + 1;
      }
      db.write(walWrite, batch);
    } catch (RocksDBException e) {
      log.warn("could not drop old rejected messages: {}", e.getMessage());
      return;
    }
    rejectedBytes.addAndGet(-freed);
    rejectedEvicted.addAndGet(evicted);
  }

  private long putDeadLetter(WriteBatch batch, DeadLetter letter) throws RocksDBException {
    byte[] key = StoreKeys.deadLetterKey(letter.kind().prefix, nextSeq.getAndIncrement());
    byte[] value = letter.toJson().toBuffer().getBytes();
    batch.put(deadLetters, key, value);
    return key.length + value.length;
  }

  /** Up to {@code maxRecords} / {@code maxBytes} (at least one record) of a project's messages after a seq. */
  public List<StoredRecord> readChunk(long projectId, long afterSeq, int maxRecords, long maxBytes) {
    openForUse();
    try {
      List<StoredRecord> chunk = new ArrayList<>();
      long bytes = 0;
      try (Slice upper = new Slice(StoreKeys.queueKey(projectId, Long.MAX_VALUE));
           ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
           RocksIterator it = db.newIterator(queue, options)) {
        for (it.seek(StoreKeys.queueKey(projectId, afterSeq + 1));
             it.isValid() && chunk.size() < maxRecords && (chunk.isEmpty() || bytes < maxBytes);
             it.next()) {
          byte[] key = it.key();
          byte[] value = it.value();
          byte[] message = new byte[value.length - StoreKeys.RECORD_HEADER];
          System.arraycopy(value, StoreKeys.RECORD_HEADER, message, 0, message.length);
          chunk.add(new StoredRecord(projectId, StoreKeys.seqOf(key), StoreKeys.readLong(value, 1), message,
              key.length + value.length));
          bytes += value.length;
        }
        it.status();
      } catch (RocksDBException e) {
        throw new IllegalStateException("store read failed: " + e.getMessage(), e);
      }
      return chunk;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Removes delivered messages and moves dead letters in, atomically. Not synced: the write-ahead log reaches the
   * OS before this returns, which survives a killed process; a power cut can at worst resend some delivered
   * messages, never lose one.
   */
  public void complete(List<StoredRecord> done, List<DeadLetter> letters) {
    openForUse();
    try {
      if (done.isEmpty() && letters.isEmpty()) {
        return;
      }
      long freed = 0;
      long added = 0;
      try (WriteBatch batch = new WriteBatch()) {
        for (StoredRecord record : done) {
          batch.delete(queue, record.key());
          freed += record.storedBytes();
        }
        for (DeadLetter letter : letters) {
          added += putDeadLetter(batch, letter);
        }
        db.write(walWrite, batch);
      } catch (RocksDBException e) {
        throw new IllegalStateException("store write failed: " + e.getMessage(), e);
      }
      liveBytes.addAndGet(added - freed);
      queuedRecords.addAndGet(-done.size());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Forgets dedup entries older than the window, oldest first, at most {@code maxEntries} per call. Walks the
   * time-ordered expiry index from where the previous call stopped, so it never scans live entries.
   * Returns how many were removed.
   */
  public int expireDedup(long nowMillis, int maxEntries) {
    openForUse();
    try {
      long cutoff = Math.max(0, nowMillis - settings.dedupWindow().toMillis());
      int removed = 0;
      long reached = dedupExpiredUpTo;
      try (Slice lower = new Slice(StoreKeys.longKey(dedupExpiredUpTo));
           Slice upper = new Slice(StoreKeys.longKey(cutoff));
           ReadOptions options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
           RocksIterator it = db.newIterator(dedupExpiry, options);
           WriteBatch batch = new WriteBatch()) {
        for (it.seekToFirst(); it.isValid() && removed < maxEntries; it.next()) {
          byte[] indexKey = it.key();
          long acceptedAt = StoreKeys.readLong(indexKey, 0);
          byte[] dedupKey = StoreKeys.dedupKeyOfExpiry(indexKey);
          byte[] current = db.get(dedup, dedupKey);
          if (current != null && StoreKeys.readLong(current, 0) <= acceptedAt) {
            batch.delete(dedup, dedupKey); // not if the id was accepted again later
          }
          batch.delete(dedupExpiry, indexKey);
          reached = acceptedAt;
          removed++;
        }
        it.status();
        if (removed > 0) {
          db.write(walWrite, batch);
        }
        dedupExpiredUpTo = removed < maxEntries ? cutoff : reached;
      } catch (RocksDBException e) {
        throw new IllegalStateException("dedup expiry failed: " + e.getMessage(), e);
      }
      return removed;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Dead letters of one kind in the order they were written, starting after id {@code afterId}. */
  public List<Map.Entry<Long, DeadLetter>> deadLetters(DeadLetter.Kind kind, long afterId, int limit) {
    openForUse();
    try {
      List<Map.Entry<Long, DeadLetter>> out = new ArrayList<>();
      try (Slice upper = new Slice(new byte[] {(byte) (kind.prefix + 1)});
           ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
           RocksIterator it = db.newIterator(deadLetters, options)) {
        for (it.seek(StoreKeys.deadLetterKey(kind.prefix, afterId + 1)); it.isValid() && out.size() < limit;
             it.next()) {
          JsonObject json = new JsonObject(io.vertx.core.buffer.Buffer.buffer(it.value()));
          out.add(Map.entry(StoreKeys.readLong(it.key(), 1), DeadLetter.fromJson(json)));
        }
      }
      return out;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Bytes of messages refused at ingestion being kept, bounded by {@code store.maxRejectedBytes}. */
  public long rejectedBytes() {
    return rejectedBytes.get();
  }

  /** Messages refused at ingestion dropped so far to keep within their budget. */
  public long rejectedEvicted() {
    return rejectedEvicted.get();
  }

  /** Ids of every project that ever had messages here. */
  public Set<Long> projectIds() {
    return projectKeys.keySet();
  }

  /** The Indicative API key of a project id returned by {@link #projectIds()}. */
  public String projectKey(long projectId) {
    return projectKeys.get(projectId);
  }

  /** Bytes of undelivered and dead-lettered messages: what {@code store.maxBytes} bounds. */
  public long sizeBytes() {
    return liveBytes.get();
  }

  /** Synced writes so far; with concurrent clients far fewer than the requests they carried. */
  public long groupCommits() {
    return groupCommits.get();
  }

  public long undeliveredCount() {
    return queuedRecords.get();
  }

  public StoreSettings settings() {
    return settings;
  }

  /** Takes the shared lifecycle lock; fails when the store is closed. */
  private void openForUse() {
    lifecycle.readLock().lock();
    if (closed) {
      lifecycle.readLock().unlock();
      throw new IllegalStateException("the store is closed");
    }
  }

  /**
   * Stops accepting appends, commits what is queued, waits for operations in progress, and closes the database.
   * Blocking.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lifecycle.writeLock().lock();
    try {
      writer.stopAndDrain(late -> {
        pendingBytes.addAndGet(-late.bytes());
        answer(late, null, new StoreRejectedException(StoreRejectedException.Cause.CLOSED,
            "the store is shutting down"));
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      log.warn("store: final WAL sync failed: {}", e.getMessage());
    }
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    try {
      db.closeE();
    } catch (RocksDBException e) {
      log.warn("store: close reported {}", e.getMessage());
    }
    syncWrite.close();
    walWrite.close();
    dbOptions.close();
    familyOptions.forEach(ColumnFamilyOptions::close);
    lifecycle.writeLock().unlock();
    log.info("store closed");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
