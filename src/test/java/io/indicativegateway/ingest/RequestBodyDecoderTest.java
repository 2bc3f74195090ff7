package io.indicativegateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyDecoderTest {

  private static final byte[] JSON = "{\"userId\":\"u\",\"event\":\"e\"}".getBytes(StandardCharsets.UTF_8);

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data, boolean raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      d.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void identityBodiesPassThroughWithinTheLimit() {
    assertThat(RequestBodyDecoder.decode(JSON, null, 100)).isEqualTo(JSON);
    assertThat(RequestBodyDecoder.decode(JSON, "identity", 100)).isEqualTo(JSON);
    assertThatThrownBy(() -> RequestBodyDecoder.decode(JSON, null, 10))
        .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(413));
  }

  @Test
  void gzipAndBothDeflateFlavoursAreInflated() throws Exception {
    assertThat(RequestBodyDecoder.decode(gzip(JSON), "gzip", 100)).isEqualTo(JSON);
    assertThat(RequestBodyDecoder.decode(gzip(JSON), " GZIP ", 100)).isEqualTo(JSON);
    assertThat(RequestBodyDecoder.decode(deflate(JSON, false), "deflate", 100)).isEqualTo(JSON);
    assertThat(RequestBodyDecoder.decode(deflate(JSON, true), "deflate", 100)).isEqualTo(JSON);
  }

  @Test
  void theLimitAppliesToInflatedBytesAndABombIsStoppedEarly() throws Exception {
    byte[] bomb = gzip(new byte[50 * 1024 * 1024]); // 50 MB of zeros, about 50 KB compressed
    assertThat(bomb.length).isLessThan(100_000);
    long before = usedHeap();
    assertThatThrownBy(() -> RequestBodyDecoder.decode(bomb, "gzip", 500 * 1024))
        .isInstanceOfSatisfying(IngestException.class, e -> {
          assertThat(e.status()).isEqualTo(413);
          assertThat(e.getMessage()).contains("after decompression");
        });
    // never allocated anything near the expanded size
    assertThat(usedHeap() - before).isLessThan(20L * 1024 * 1024);
  }

  @Test
  void corruptCompressedDataIsABadRequest() {
    byte[] garbage = "not gzip at all".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> RequestBodyDecoder.decode(garbage, "gzip", 1000))
        .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> RequestBodyDecoder.decode(garbage, "deflate", 1000))
        .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void unknownEncodingsAreRefusedWith415() {
    assertThatThrownBy(() -> RequestBodyDecoder.decode(JSON, "br", 1000))
        .isInstanceOfSatisfying(IngestException.class, e -> {
          assertThat(e.status()).isEqualTo(415);
          assertThat(e.getMessage()).contains("br");
        });
  }

  @Test
  void aLeadingByteOrderMarkIsDropped() throws Exception {
    byte[] withBom = new byte[JSON.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(JSON, 0, withBom, 3, JSON.length);
    assertThat(RequestBodyDecoder.decode(withBom, null, 100)).isEqualTo(JSON);
    assertThat(RequestBodyDecoder.decode(gzip(withBom), "gzip", 100)).isEqualTo(JSON);
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
