package io.indicativegateway.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Turns a request body as received into the JSON bytes to parse: undoes gzip or deflate while counting, so a
 * small compressed body that would inflate past the limit is refused after at most {@code limit} bytes of output
 * (a gzip bomb never gets its expanded size allocated), and drops a leading UTF-8 byte-order mark.
 */
public final class RequestBodyDecoder {

  private static final int CHUNK = 16 * 1024;

  private RequestBodyDecoder() {}

  public static byte[] decode(byte[] raw, String contentEncoding, int limit) {
    String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    byte[] body = switch (encoding) {
      case "", "identity" -> {
        if (raw.length > limit) {
          throw IngestException.tooLarge("the request body exceeds the limit of " + limit + " bytes");
        }
        yield raw;
      }
      case "gzip", "x-gzip" -> inflate(raw, limit, "gzip", true);
      case "deflate" -> inflateDeflate(raw, limit);
      default -> throw new IngestException(415, "Content-Encoding '" + contentEncoding
          + "' is not supported; send gzip, deflate or an uncompressed body");
    };
    return stripByteOrderMark(body);
  }

  /** HTTP's "deflate" is zlib-wrapped, but some clients send a raw deflate stream: accept both. */
  private static byte[] inflateDeflate(byte[] raw, int limit) {
    try {
      return inflate(raw, limit, "deflate", false);
    } catch (IngestException e) {
      if (e.status() != 400) {
        throw e;
      }
      return readBounded(new InflaterInputStream(new ByteArrayInputStream(raw), new Inflater(true)), limit,
          "deflate");
    }
  }

  private static byte[] inflate(byte[] raw, int limit, String name, boolean gzip) {
    try {
      InputStream in = gzip
          ? new GZIPInputStream(new ByteArrayInputStream(raw), CHUNK)
          : new InflaterInputStream(new ByteArrayInputStream(raw));
      return readBounded(in, limit, name);
    } catch (IOException e) {
      throw IngestException.badRequest("the body is not valid " + name + " data");
    }
  }

  private static byte[] readBounded(InputStream in, int limit, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] chunk = new byte[CHUNK];
    try (in) {
      int read;
      while ((read = in.read(chunk)) > 0) {
        if (out.size() + read > limit) {
          throw tooLarge(limit);
        }
        out.write(chunk, 0, read);
      }
    } catch (java.io.EOFException e) {
      throw IngestException.badRequest("the " + name + " data ends too early (truncated body?)");
    } catch (ZipException e) {
      throw IngestException.badRequest("the body is not valid " + name + " data: " + e.getMessage());
    } catch (IOException e) {
      throw IngestException.badRequest("the body could not be decompressed: " + e.getMessage());
    }
    return out.toByteArray();
  }

  private static byte[] stripByteOrderMark(byte[] body) {
    if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
      byte[] rest = new byte[body.length - 3];
      System.arraycopy(body, 3, rest, 0, rest.length);
      return rest;
    }
    return body;
  }

  private static IngestException tooLarge(int limit) {
    return IngestException.tooLarge("the request body exceeds the limit of " + limit + " bytes (after decompression)");
  }
}
