package io.indicativegateway.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB database with the gateway's column families, and everything native that must be closed with
 * it. The store replaces the whole set when it reopens the database after a write failure.
 */
final class RocksHandles implements AutoCloseable {

  static {
    RocksDB.loadLibrary();
  }

  final RocksDB db;
  final ColumnFamilyHandle queue;
  final ColumnFamilyHandle projects;
  final ColumnFamilyHandle dedup;
  final ColumnFamilyHandle dedupExpiry;
  final ColumnFamilyHandle deadLetters;
  final WriteOptions syncWrite = new WriteOptions().setSync(true);
  final WriteOptions walWrite = new WriteOptions();
  private final DBOptions dbOptions;
  private final List<ColumnFamilyOptions> familyOptions;
  private final List<ColumnFamilyHandle> handles;
  private boolean closed;

  private RocksHandles(RocksDB db, DBOptions dbOptions, List<ColumnFamilyOptions> familyOptions,
                       List<ColumnFamilyHandle> handles) {
    this.db = db;
    this.dbOptions = dbOptions;
    this.familyOptions = familyOptions;
    this.handles = handles;
    this.queue = handles.get(1);
    this.projects = handles.get(2);
    this.dedup = handles.get(3);
    this.dedupExpiry = handles.get(4);
    this.deadLetters = handles.get(5);
  }

  static RocksHandles open(Path dir) throws RocksDBException {
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
    List<ColumnFamilyOptions> familyOptions = List.of(small, bulk, lookups);
    try {
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      return new RocksHandles(db, dbOptions, familyOptions, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      familyOptions.forEach(ColumnFamilyOptions::close);
      throw e;
    }
  }

  /**
   * Options with a zstd-compressed write-ahead log: clients wait for its sync, and JSON shrinks about four times,
   * so a synced group carries far fewer bytes. RocksJava has no setter for it; the options string does.
   */
  private static DBOptions walCompressed() {
    Properties properties = new Properties();
    properties.setProperty("wal_compression", "kZSTD");
    DBOptions options = DBOptions.getDBOptionsFromProps(properties);
    return options != null ? options : new DBOptions();
  }

  /** False once closed: native handles must not be touched any more. Read under the store's lifecycle lock. */
  boolean isOpen() {
    return !closed;
  }

  /** Syncs the WAL (best effort) and closes everything native; closing twice does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      db.syncWal();
    } catch (RocksDBException ignored) {
      // closing after a failure: the WAL may not be writable
    }
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    try {
      db.closeE();
    } catch (RocksDBException ignored) {
      // nothing more to do while closing
    }
    syncWrite.close();
    walWrite.close();
    dbOptions.close();
    familyOptions.forEach(ColumnFamilyOptions::close);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
