package io.indicativegateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.indicativegateway.config.StoreSettings;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A disk that refuses writes: appends are refused (never half-stored), the store reports why, keeps everything it
 * had accepted, and takes writes again by itself once there is room. Uses a small tmpfs; where this machine
 * does not allow mounting one, the test is skipped and says so.
 */
class DiskFullTest {

  private Path mount;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    mount = Files.createTempDirectory("gateway-full-disk");
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", mount.toString())
        .redirectErrorStream(true).start();
    boolean mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    assumeTrue(mounted, "skipped: cannot mount a tmpfs here (needs root); the disk-full behaviour is untested");
  }

  @AfterEach
  void unmount() throws Exception {
    new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    Files.deleteIfExists(mount);
  }

  private static AppendResult await(Future<AppendResult> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullDiskRefusesWritesThenRecoversByItselfWithoutLosingWhatWasAccepted() throws Exception {
    Path filler = mount.resolve("filler");
    Files.write(filler, new byte[24 << 20]);
    StoreSettings settings = new StoreSettings(mount.resolve("store"), 1L << 30, 1L << 20, 1000, 8 << 20, 1,
        Duration.ZERO);
    try (EventStore store = EventStore.open(settings)) {
      byte[] payload = new byte[50_000];
      new java.util.Random(7).nextBytes(payload); // incompressible
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) ('a' + (payload[i] & 15)); // printable, still poorly compressible
      }
      int accepted = 0;
      Throwable refusal = null;
      while (refusal == null && accepted < 1000) {
        try {
          await(store.append(new AppendBatch("wk", "p", 1L,
              List.of(new IncomingMessage("m" + accepted, ("{\"p\":\"" + new String(payload) + "\"}").getBytes())),
              List.of())));
          accepted++;
        } catch (ExecutionException e) {
          refusal = e.getCause();
        }
      }
      assertThat(refusal).isInstanceOf(StoreRejectedException.class);
      assertThat(((StoreRejectedException) refusal).reason()).isEqualTo(StoreRejectedException.Cause.UNAVAILABLE);
      assertThat(store.writeFailure()).contains("No space left");
      // while the disk is full, appends are refused at once
      Future<AppendResult> whileFull = store.append(new AppendBatch("wk", "p", 1L,
          List.of(new IncomingMessage("x", "{}".getBytes())), List.of()));
      assertThat(whileFull.failed()).isTrue();

      Files.delete(filler); // room again
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (store.writeFailure() != null && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(store.writeFailure()).as("recovered by itself").isNull();
      assertThat(await(store.append(new AppendBatch("wk", "p", 1L,
          List.of(new IncomingMessage("after", "{}".getBytes())), List.of()))).stored()).isEqualTo(1);
      List<StoredRecord> all = new ArrayList<>();
      List<StoredRecord> chunk;
      long after = 0;
      while (!(chunk = store.readChunk(StoreKeys.idOf("p"), after, 100, Long.MAX_VALUE)).isEmpty()) {
        all.addAll(chunk);
        after = chunk.get(chunk.size() - 1).seq();
      }
      assertThat(all).hasSizeGreaterThanOrEqualTo(accepted + 1); // everything accepted is still there
      assertThat(accepted).isGreaterThan(10);
    }
  }
}
