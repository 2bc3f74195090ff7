package io.indicativegateway.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * How long this disk takes to make an append durable, the floor under every 200 the gateway answers: appends
 * 50 KB (a synced group of about 100 events) and forces it to disk, 600 times, a few milliseconds apart.
 * {@code java -cp target/test-classes io.indicativegateway.bench.FsyncProbe DIR}; prints one line.
 */
public final class FsyncProbe {

  private FsyncProbe() {}

  public static void main(String[] args) throws Exception {
    Path file = Files.createTempFile(Path.of(args.length > 0 ? args[0] : "."), "fsync-probe", ".bin");
    ByteBuffer block = ByteBuffer.allocate(50 * 1024);
    double[] millis = new double[600];
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < millis.length; i++) {
        block.clear();
        channel.write(block);
        long started = System.nanoTime();
        channel.force(false); // fdatasync, as RocksDB's synced WAL write
        millis[i] = (System.nanoTime() - started) / 1e6;
        TimeUnit.MILLISECONDS.sleep(4);
      }
    } finally {
      Files.deleteIfExists(file);
    }
    Arrays.sort(millis);
    System.out.printf("fsync of 50 KB appended: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d syncs)%n",
        millis[millis.length / 2], millis[millis.length * 99 / 100], millis[millis.length - 1], millis.length);
  }
}
