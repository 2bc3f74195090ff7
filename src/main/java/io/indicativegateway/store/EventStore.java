package io.indicativegateway.store;

import io.indicativegateway.config.StoreSettings;
import io.indicativegateway.json.ExactJson;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's durable store: an embedded RocksDB in the data directory.
 *
 * <p>Accepted messages wait here, one queue per Indicative project, until Indicative has them; the store, not
 * the heap, holds the backlog however long Indicative is away. {@link #append} is the only write clients wait
 * for: it is group-committed and synced before its future completes. Every other method blocks and must run on a
 * worker thread.
 *
 * <p>When the disk refuses a write (full, I/O error) the store says so in {@link #writeFailure()}, answers
 * appends at once with a 503-worthy refusal, and reopens the database every few seconds until writes succeed
 * again. Nothing already synced is lost; nothing refused was stored.
 */
public final class EventStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventStore.class);
  /** A synced write slower than this is logged: clients wait for it. */
  private static final long SLOW_COMMIT_MS = 200;
  /** After a failed write, how often the writer tries to reopen the database. */
  private static final long RECOVERY_INTERVAL_MS = 2000;

  /** Notified, on the writer thread, after a write that stored messages for these projects. */
  public interface AppendListener {
    void appended(Set<Long> projectIds);
  }

  /** An alias request already delivered for a project is not sent again within the dedup window. */
  public record AliasPair(long projectId, String previousId, String newId) {}

  /**
   * @param bytes what it counts against {@code store.maxBytes} while pending
   * @param writeBytes what it adds to the group commit
   */
  private record PendingAppend(AppendBatch batch, long bytes, long writeBytes, Promise<AppendResult> promise,
                               Context context) {}

  private final StoreSettings settings;
  private final Path dir;
  private volatile RocksHandles rocks;
  private final AtomicLong liveBytes = new AtomicLong();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicLong queuedRecords = new AtomicLong();
  private final AtomicLong nextSeq = new AtomicLong(1);
  private final AtomicLong groupCommits = new AtomicLong();
  private final AtomicLong rejectedBytes = new AtomicLong();
  private final AtomicLong rejectedEvicted = new AtomicLong();
  private final Map<Long, String> projectKeys = new ConcurrentHashMap<>();
  /** Per project, a seq below which no record exists any more (see {@link #oldestUndeliveredMillis}). */
  private final Map<Long, Long> oldestSeqSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> writeKeyIds = new HashMap<>(); // writer thread only
  private final List<AppendListener> listeners = new CopyOnWriteArrayList<>();
  private final GroupCommitWriter<PendingAppend> writer;
  private final DedupLedger ledger;
  /** Store operations hold it shared; close() and reopening hold it exclusively, so handles never vanish. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  /**
   * Held from taking queue seqs until their write is visible (the writer's group commits, replays), so records
   * become visible in seq order: a delivery cursor past a seq never meets a smaller one later.
   */
  private final Object queueOrder = new Object();
  private long rejectedHead; // writer thread only: oldest rejected seq that may still exist
  private long lastRecoveryAttempt; // writer thread only
  private volatile String writeFailure;
  private volatile boolean closed;

  private EventStore(StoreSettings settings, Path dir, RocksHandles rocks) {
    this.settings = settings;
    this.dir = dir;
    this.rocks = rocks;
    this.ledger = new DedupLedger(settings.dedupWindow());
    this.writer = new GroupCommitWriter<>("store-writer", settings.writeQueueCapacity(), settings.maxGroupBytes(),
        PendingAppend::writeBytes, this::commitGroup, this::recoverIfFailed);
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
    RocksHandles rocks;
    try {
      rocks = RocksHandles.open(dir);
    } catch (RocksDBException e) {
      throw new StoreOpenException("cannot open the store in " + dir + ": " + e.getMessage()
          + " (is another gateway using this directory?)", e);
    }
    EventStore store = new EventStore(settings, dir, rocks);
    store.recountFromDisk();
    store.writer.start();
    return store;
  }

  /** Rebuilds the in-memory counters from what is on disk. */
  private void recountFromDisk() {
    RocksHandles r = rocks;
    long maxSeq = 0;
    long bytes = 0;
    long records = 0;
    long rejected = 0;
    try (ReadOptions scan = new ReadOptions().setFillCache(false);
         RocksIterator it = r.db.newIterator(r.queue, scan)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        bytes += key.length + it.value().length;
        records++;
        maxSeq = Math.max(maxSeq, StoreKeys.seqOf(key));
      }
    }
    try (ReadOptions scan = new ReadOptions().setFillCache(false);
         RocksIterator it = r.db.newIterator(r.deadLetters, scan)) {
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
    try (RocksIterator it = r.db.newIterator(r.projects)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        projectKeys.put(StoreKeys.readLong(it.key(), 0), new String(it.value(), StandardCharsets.UTF_8));
      }
    }
    nextSeq.set(Math.max(nextSeq.get(), maxSeq + 1));
    liveBytes.set(bytes);
    queuedRecords.set(records);
    rejectedBytes.set(rejected);
    log.info("store opened at {}: {} undelivered messages, {} bytes held, {} projects", dir, records, bytes,
        projectKeys.size());
  }

  public void addAppendListener(AppendListener listener) {
    listeners.add(listener);
  }

  // ---------------------------------------------------------------- appends (group commit)

  /**
   * Stores a request's messages durably. The future completes, on the caller's context, only after the write is
   * synced to disk; it fails with {@link StoreRejectedException} when the store is full, its write queue is full,
   * or the disk refused the write, and then nothing of the batch was stored.
   */
  public Future<AppendResult> append(AppendBatch batch) {
    long bytes = batch.messageBytes();
    if (closed) {
      return refused(StoreRejectedException.Cause.CLOSED, "the store is shutting down");
    }
    if (writeFailure != null) {
      return refused(StoreRejectedException.Cause.UNAVAILABLE,
          "the gateway cannot write to its store right now; retry later");
    }
    if (liveBytes.get() + pendingBytes.get() + bytes > settings.maxBytes()) {
      return refused(StoreRejectedException.Cause.FULL,
          "the gateway's store is full (" + settings.maxBytes() + " bytes); retry later");
    }
    Context context = Vertx.currentContext();
    Promise<AppendResult> promise = Promise.promise();
    pendingBytes.addAndGet(bytes);
    if (!writer.offer(new PendingAppend(batch, bytes, batch.writeBytes(), promise, context))) {
      pendingBytes.addAndGet(-bytes);
      return refused(StoreRejectedException.Cause.BUSY, "the gateway's write queue is full; retry later");
    }
    return promise.future();
  }

  private static Future<AppendResult> refused(StoreRejectedException.Cause cause, String message) {
    return Future.failedFuture(new StoreRejectedException(cause, message));
  }

  /** What one group commit wrote, for the books once it is synced. */
  private record GroupWrite(List<BitSet> duplicates, Set<Long> touchedProjects, long written, long rejectedWritten,
                            long records) {}

  /** Runs on the writer thread: dedup, one WriteBatch for the whole group, one sync, then answer everyone. */
  private void commitGroup(List<PendingAppend> group) {
    long started = System.nanoTime();
    long groupBytes = 0;
    for (PendingAppend pending : group) {
      groupBytes += pending.bytes();
    }
    recoverIfFailed();
    GroupWrite write;
    try {
      write = writeGroup(rocks, group, System.currentTimeMillis());
    } catch (RocksDBException | RuntimeException e) {
      pendingBytes.addAndGet(-groupBytes);
      noteWriteFailure(e);
      StoreRejectedException failure = new StoreRejectedException(StoreRejectedException.Cause.UNAVAILABLE,
          "the gateway could not write to its store; retry later");
      group.forEach(pending -> answer(pending, null, failure));
      return;
    }
    liveBytes.addAndGet(write.written());
    queuedRecords.addAndGet(write.records());
    groupCommits.incrementAndGet();
    pendingBytes.addAndGet(-groupBytes);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    if (tookMs >= SLOW_COMMIT_MS) {
      log.warn("slow synced write: {} ms for {} requests, {} bytes", tookMs, group.size(), write.written());
    }
    if (rejectedBytes.addAndGet(write.rejectedWritten()) > settings.maxRejectedBytes()) {
      evictRejected(); // before answering, so the budget holds whenever a client hears back
    }
    for (int g = 0; g < group.size(); g++) {
      PendingAppend pending = group.get(g);
      BitSet dups = write.duplicates().get(g);
      answer(pending, new AppendResult(pending.batch().messages().size() - dups.cardinality(), dups), null);
    }
    notifyAppended(write.touchedProjects());
  }

  /** Builds the group's one WriteBatch (queue records, dedup ledger, dead letters) and writes it synced. */
  private GroupWrite writeGroup(RocksHandles r, List<PendingAppend> group, long now) throws RocksDBException {
    if (writeFailure != null) {
      throw new RocksDBException("the store is failing: " + writeFailure);
    }
    List<byte[]>[] ledgerKeys = ledgerKeys(group);
    List<BitSet> duplicates = findDuplicates(r, ledgerKeys, group, now);
    List<byte[]> remembered = new ArrayList<>();
    Set<Long> touchedProjects = new HashSet<>();
    long written = 0;
    long rejectedWritten = 0;
    long records = 0;
    try (WriteBatch batch = new WriteBatch()) {
      synchronized (queueOrder) {
        for (int g = 0; g < group.size(); g++) {
          AppendBatch request = group.get(g).batch();
          long projectId = registerProject(r, request.projectKey(), batch);
          List<IncomingMessage> messages = request.messages();
          BitSet dups = duplicates.get(g);
          for (int i = 0; i < messages.size(); i++) {
            if (dups.get(i)) {
              continue;
            }
            byte[] key = StoreKeys.queueKey(projectId, nextSeq.getAndIncrement());
            byte[] value = StoreKeys.recordValue(request.receivedAtMillis(), messages.get(i).json());
            batch.put(r.queue, key, value);
            written += key.length + value.length;
            records++;
            if (ledgerKeys != null) {
              remembered.add(ledgerKeys[g].get(i));
            }
          }
          if (dups.cardinality() < messages.size()) {
            touchedProjects.add(projectId);
          }
          for (DeadLetter letter : request.deadLetters()) {
            long size = putDeadLetter(r, batch, letter);
            if (letter.kind() == DeadLetter.Kind.REJECTED) {
              rejectedWritten += size;
            } else {
              written += size;
            }
          }
        }
        ledger.remember(r, batch, remembered, now);
        r.db.write(r.syncWrite, batch);
      }
    }
    return new GroupWrite(duplicates, touchedProjects, written, rejectedWritten, records);
  }

  private void notifyAppended(Set<Long> projectIds) {
    if (!projectIds.isEmpty()) {
      listeners.forEach(listener -> listener.appended(projectIds));
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

  // ---------------------------------------------------------------- write failures and recovery

  /** Why the store cannot write right now, or null when it can. */
  public String writeFailure() {
    return writeFailure;
  }

  private void noteWriteFailure(Exception e) {
    if (writeFailure == null) {
      log.error("the store cannot write ({}): answering 503 until the disk accepts writes again; nothing "
          + "accepted so far is lost", e.getMessage());
    }
    writeFailure = e.getMessage() == null ? e.toString() : e.getMessage();
    lastRecoveryAttempt = System.currentTimeMillis();
  }

  /**
   * Writer thread, also when idle: after a failed write RocksDB refuses every later write until it is reopened,
   * so reopen it every few seconds and check it takes a synced write.
   */
  private void recoverIfFailed() {
    if (writeFailure == null || closed || System.currentTimeMillis() - lastRecoveryAttempt < RECOVERY_INTERVAL_MS) {
      return;
    }
    lastRecoveryAttempt = System.currentTimeMillis();
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      rocks.close(); // if reopening fails, the closed handles stay and every operation refuses cleanly
      rocks = RocksHandles.open(dir);
      rocks.db.syncWal(); // the disk takes writes again
      recountFromDisk();
      writeFailure = null;
      log.info("the store writes again; accepting requests");
    } catch (RocksDBException | RuntimeException e) {
      writeFailure = e.getMessage() == null ? e.toString() : e.getMessage();
      log.warn("the store still cannot write: {}", writeFailure);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- dedup ledger

  /** Per request of the group, each message's ledger key; null when dedup is off. */
  @SuppressWarnings("unchecked")
  private List<byte[]>[] ledgerKeys(List<PendingAppend> group) {
    if (!ledger.enabled()) {
      return null;
    }
    List<byte[]>[] keys = new List[group.size()];
    for (int g = 0; g < group.size(); g++) {
      AppendBatch request = group.get(g).batch();
      long writeKeyId = writeKeyId(request.writeKey());
      keys[g] = new ArrayList<>(request.messages().size());
      for (IncomingMessage message : request.messages()) {
        keys[g].add(DedupLedger.messageKey(writeKeyId, message.messageId()));
      }
    }
    return keys;
  }

  /** A message of the group, for spotting a messageId repeated within it. */
  private record SeenInGroup(String writeKey, String messageId) {}

  /** Marks messages already accepted within the dedup window, and later copies of a messageId in this group. */
  private List<BitSet> findDuplicates(RocksHandles r, List<byte[]>[] ledgerKeys, List<PendingAppend> group,
                                      long now) throws RocksDBException {
    List<BitSet> result = new ArrayList<>(group.size());
    group.forEach(pending -> result.add(new BitSet()));
    if (ledgerKeys == null) {
      return result;
    }
    Set<SeenInGroup> seenInGroup = new HashSet<>();
    List<byte[]> lookups = new ArrayList<>();
    List<int[]> positions = new ArrayList<>();
    for (int g = 0; g < group.size(); g++) {
      AppendBatch request = group.get(g).batch();
      for (int i = 0; i < request.messages().size(); i++) {
        if (!seenInGroup.add(new SeenInGroup(request.writeKey(), request.messages().get(i).messageId()))) {
          result.get(g).set(i);
        } else {
          lookups.add(ledgerKeys[g].get(i));
          positions.add(new int[] {g, i});
        }
      }
    }
    BitSet seen = ledger.seenWithinWindow(r, lookups, now);
    for (int k = seen.nextSetBit(0); k >= 0; k = seen.nextSetBit(k + 1)) {
      result.get(positions.get(k)[0]).set(positions.get(k)[1]);
    }
    return result;
  }

  /** Which of these alias pairs were already delivered within the dedup window. */
  public Set<AliasPair> aliasesAlreadySent(Collection<AliasPair> pairs) {
    if (!ledger.enabled() || pairs.isEmpty()) {
      return Set.of();
    }
    openForUse();
    try {
      List<AliasPair> list = List.copyOf(pairs);
      List<byte[]> keys = list.stream().map(DedupLedger::aliasKey).toList();
      BitSet seen = ledger.seenWithinWindow(rocks, keys, System.currentTimeMillis());
      Set<AliasPair> sent = new HashSet<>();
      seen.stream().forEach(k -> sent.add(list.get(k)));
      return sent;
    } catch (RocksDBException e) {
      throw new IllegalStateException("store read failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Forgets ledger entries older than the window, oldest first, in whole index entries until about
   * {@code maxEntries} were looked at (see {@link DedupLedger#expire}). Returns how many were looked at.
   */
  public int expireDedup(long nowMillis, int maxEntries) {
    openForUse();
    try {
      return ledger.expire(rocks, nowMillis, maxEntries);
    } catch (RocksDBException e) {
      throw new IllegalStateException("dedup expiry failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- projects

  private long registerProject(RocksHandles r, String projectKey, WriteBatch batch) throws RocksDBException {
    long id = StoreKeys.idOf(projectKey);
    if (!projectKeys.containsKey(id)) {
      batch.put(r.projects, StoreKeys.longKey(id), RocksHandles.bytes(projectKey));
      projectKeys.put(id, projectKey);
    }
    return id;
  }

  private long writeKeyId(String writeKey) {
    return writeKeyIds.computeIfAbsent(writeKey, StoreKeys::idOf);
  }

  /** Ids of every project that ever had messages here. */
  public Set<Long> projectIds() {
    return projectKeys.keySet();
  }

  /** The Indicative API key of a project id returned by {@link #projectIds()}. */
  public String projectKey(long projectId) {
    return projectKeys.get(projectId);
  }

  // ---------------------------------------------------------------- delivery

  /** Up to {@code maxRecords} / {@code maxBytes} (at least one record) of a project's messages after a seq. */
  public List<StoredRecord> readChunk(long projectId, long afterSeq, int maxRecords, long maxBytes) {
    openForUse();
    try {
      RocksHandles r = rocks;
      List<StoredRecord> chunk = new ArrayList<>();
      long bytes = 0;
      try (Slice upper = new Slice(StoreKeys.queueKey(projectId, Long.MAX_VALUE));
           ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
           RocksIterator it = r.db.newIterator(r.queue, options)) {
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
      }
      return chunk;
    } catch (RocksDBException e) {
      throw new IllegalStateException("store read failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Removes delivered messages, moves dead letters in and remembers delivered alias pairs, atomically. Not
   * synced: the write-ahead log reaches the OS before this returns, which survives a killed process; a power cut
   * can at worst resend some delivered messages, never lose one.
   */
  public void complete(List<StoredRecord> done, List<DeadLetter> letters, List<AliasPair> aliasesSent) {
    if (done.isEmpty() && letters.isEmpty() && aliasesSent.isEmpty()) {
      return;
    }
    openForUse();
    try {
      RocksHandles r = rocks;
      long freed = 0;
      long added = 0;
      long now = System.currentTimeMillis();
      try (WriteBatch batch = new WriteBatch()) {
        for (StoredRecord record : done) {
          batch.delete(r.queue, record.key());
          freed += record.storedBytes();
        }
        for (DeadLetter letter : letters) {
          added += putDeadLetter(r, batch, letter); // from delivery: always undeliverable
        }
        if (ledger.enabled()) {
          ledger.remember(r, batch, aliasesSent.stream().map(DedupLedger::aliasKey).toList(), now);
        }
        r.db.write(r.walWrite, batch);
      }
      liveBytes.addAndGet(added - freed);
      queuedRecords.addAndGet(-done.size());
    } catch (RocksDBException e) {
      throw new IllegalStateException("store write failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- dead letters

  private long putDeadLetter(RocksHandles r, WriteBatch batch, DeadLetter letter) throws RocksDBException {
    byte[] key = StoreKeys.deadLetterKey(letter.kind().prefix, nextSeq.getAndIncrement());
    byte[] value = letter.toJson().toBuffer().getBytes();
    batch.put(r.deadLetters, key, value);
    return key.length + value.length;
  }

  /**
   * Drops the oldest messages refused at ingestion until their budget holds again, so a flood of invalid input
   * can never crowd out accepted messages. Writer thread.
   */
  private void evictRejected() {
    RocksHandles r = rocks;
    long freed = 0;
    long evicted = 0;
    long excess = rejectedBytes.get() - settings.maxRejectedBytes();
    try (Slice lower = new Slice(StoreKeys.deadLetterKey(DeadLetter.Kind.REJECTED.prefix, rejectedHead));
         Slice upper = new Slice(new byte[] {(byte) (DeadLetter.Kind.REJECTED.prefix + 1)});
         ReadOptions options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
         RocksIterator it = r.db.newIterator(r.deadLetters, options);
         WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid() && freed < excess; it.next()) {
        byte[] key = it.key();
        freed += key.length + it.value().length;
        evicted++;
        batch.delete(r.deadLetters, key);
        rejectedHead = StoreKeys.readLong(key, 1) + 1;
      }
      r.db.write(r.walWrite, batch);
    } catch (RocksDBException e) {
      log.warn("could not drop old rejected messages: {}", e.getMessage());
      return;
    }
    rejectedBytes.addAndGet(-freed);
    rejectedEvicted.addAndGet(evicted);
  }

  /** Dead letters of one kind in the order they were written, starting after id {@code afterId}. */
  public List<Map.Entry<Long, DeadLetter>> deadLetters(DeadLetter.Kind kind, long afterId, int limit) {
    openForUse();
    try {
      RocksHandles r = rocks;
      List<Map.Entry<Long, DeadLetter>> out = new ArrayList<>();
      try (Slice upper = new Slice(new byte[] {(byte) (kind.prefix + 1)});
           ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
           RocksIterator it = r.db.newIterator(r.deadLetters, options)) {
        for (it.seek(StoreKeys.deadLetterKey(kind.prefix, afterId + 1)); it.isValid() && out.size() < limit;
             it.next()) {
          out.add(Map.entry(StoreKeys.readLong(it.key(), 1), DeadLetter.fromJson(ExactJson.parseObject(it.value()))));
        }
      }
      return out;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** One dead letter by id, of either kind, or null. */
  public DeadLetter deadLetter(long id) {
    openForUse();
    try {
      for (DeadLetter.Kind kind : DeadLetter.Kind.values()) {
        byte[] value = rocks.db.get(rocks.deadLetters, StoreKeys.deadLetterKey(kind.prefix, id));
        if (value != null) {
          return DeadLetter.fromJson(ExactJson.parseObject(value));
        }
      }
      return null;
    } catch (RocksDBException e) {
      throw new IllegalStateException("store read failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Sends undeliverable messages again: each moves, atomically and synced, from the dead letters back into its
   * project's queue (as newly received, so the retry age starts over; bypassing dedup, which saw it already).
   * Messages refused at ingestion cannot be replayed: they were never valid. Returns the ids replayed.
   */
  public List<Long> replay(List<Long> ids) {
    openForUse();
    List<Long> replayed = new ArrayList<>();
    Set<Long> touched = new HashSet<>();
    try {
      RocksHandles r = rocks;
      long now = System.currentTimeMillis();
      long added = 0;
      try (WriteBatch batch = new WriteBatch()) {
        synchronized (queueOrder) {
        for (long id : ids) {
          byte[] key = StoreKeys.deadLetterKey(DeadLetter.Kind.UNDELIVERABLE.prefix, id);
          byte[] value = r.db.get(r.deadLetters, key);
          if (value == null) {
            continue;
          }
          DeadLetter letter = DeadLetter.fromJson(ExactJson.parseObject(value));
          long projectId = registerProject(r, letter.projectKey(), batch);
          byte[] queueKey = StoreKeys.queueKey(projectId, nextSeq.getAndIncrement());
          byte[] record = StoreKeys.recordValue(now, letter.message().toBuffer().getBytes());
          batch.delete(r.deadLetters, key);
          batch.put(r.queue, queueKey, record);
          added += queueKey.length + record.length - key.length - value.length;
          replayed.add(id);
          touched.add(projectId);
        }
        r.db.write(r.syncWrite, batch);
        }
      }
      liveBytes.addAndGet(added);
      queuedRecords.addAndGet(replayed.size());
    } catch (RocksDBException e) {
      throw new IllegalStateException("store write failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
    notifyAppended(touched);
    return replayed;
  }

  /** Deletes dead letters for good. Returns how many were removed. */
  public int purge(DeadLetter.Kind kind, List<Long> ids) {
    openForUse();
    try {
      RocksHandles r = rocks;
      long freed = 0;
      int removed = 0;
      try (WriteBatch batch = new WriteBatch()) {
        for (long id : ids) {
          byte[] key = StoreKeys.deadLetterKey(kind.prefix, id);
          byte[] value = r.db.get(r.deadLetters, key);
          if (value != null) {
            batch.delete(r.deadLetters, key);
            freed += key.length + value.length;
            removed++;
          }
        }
        r.db.write(r.syncWrite, batch);
      }
      (kind == DeadLetter.Kind.REJECTED ? rejectedBytes : liveBytes).addAndGet(-freed);
      return removed;
    } catch (RocksDBException e) {
      throw new IllegalStateException("store write failed: " + e.getMessage(), e);
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

  // ---------------------------------------------------------------- state

  /**
   * When the oldest undelivered message was received, over all projects, or 0 when nothing waits. Blocking: one
   * seek per project.
   */
  public long oldestUndeliveredMillis() {
    openForUse();
    try {
      RocksHandles r = rocks;
      long oldest = 0;
      for (long projectId : projectKeys.keySet()) {
        // Seek from the oldest record the previous scan found: everything before it was deleted by then, and
        // new records always get higher seqs. Seeking from 0 would step over every delivered record's tombstone.
        long from = oldestSeqSeen.getOrDefault(projectId, 0L);
        try (Slice upper = new Slice(StoreKeys.queueKey(projectId, Long.MAX_VALUE));
             ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = r.db.newIterator(r.queue, options)) {
          it.seek(StoreKeys.queueKey(projectId, from));
          if (it.isValid()) {
            oldestSeqSeen.put(projectId, StoreKeys.seqOf(it.key()));
            long receivedAt = StoreKeys.readLong(it.value(), 1);
            oldest = oldest == 0 ? receivedAt : Math.min(oldest, receivedAt);
          }
        }
      }
      return oldest;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Bytes of undelivered and undeliverable messages: what {@code store.maxBytes} bounds. */
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

  /** Takes the shared lifecycle lock; fails when the store is closed or could not be reopened after a failure. */
  private void openForUse() {
    lifecycle.readLock().lock();
    if (closed || !rocks.isOpen()) {
      lifecycle.readLock().unlock();
      throw new IllegalStateException(closed ? "the store is closed" : "the store is unavailable: " + writeFailure);
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
    try {
      writer.stopAndDrain(late -> {
        pendingBytes.addAndGet(-late.bytes());
        answer(late, null, new StoreRejectedException(StoreRejectedException.Cause.CLOSED,
            "the store is shutting down"));
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lifecycle.writeLock().lock();
    try {
      rocks.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
    log.info("store closed");
  }
}
