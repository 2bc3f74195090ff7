package io.indicativegateway.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.indicativegateway.json.ExactJson;
import io.indicativegateway.json.ShapeCounter;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a request body into a JSON tree in one pass, and measures how many bytes each element of a top-level
 * {@code batch} array took, so the per-message size limit needs no second serialization.
 *
 * <p>Invalid UTF-8 never fails a request: such bodies are re-decoded with U+FFFD in place of the bad bytes.
 * Lone UTF-16 surrogates written as {@code \\u} escapes become U+FFFD too, so every stored string can be
 * encoded again. Nesting depth is bounded while parsing.
 */
public final class SegmentJsonReader {

  /**
   * The parsed body and where its messages lie in the bytes it was parsed from: the root object for a single
   * call, each element of a top-level {@code batch} array for a batch.
   */
  public record ParsedBody(JsonObject root, RawSpans rootSpan, RawSpans batchSpans) {}

  private final JsonFactory factory;
  private final int maxDepth;

  public SegmentJsonReader(int maxDepth) {
    this.maxDepth = maxDepth;
    this.factory = ExactJson.factory(maxDepth);
  }

  public ParsedBody read(byte[] body) {
    if (looksLikeUtf16Or32(body)) {
      throw IngestException.badRequest("the body must be JSON encoded as UTF-8");
    }
    // Repair before parsing: the parser would take some invalid sequences (overlong forms) as characters.
    byte[] utf8 = isValidUtf8(body) ? body : new String(body, StandardCharsets.UTF_8)
        .getBytes(StandardCharsets.UTF_8);
    try {
      return parse(utf8);
    } catch (StreamConstraintsException e) {
      throw IngestException.badRequest("the JSON body nests deeper than " + maxDepth + " levels");
    } catch (IOException e) {
      throw IngestException.badRequest("the body is not valid JSON: " + firstLine(e));
    }
  }

  /** JSON text starts with ASCII; a NUL among the first two bytes or a UTF-16 byte-order mark means UTF-16/32. */
  private static boolean looksLikeUtf16Or32(byte[] body) {
    if (body.length >= 2 && ((body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF
        || (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE)) {
      return true;
    }
    return body.length >= 2 && (body[0] == 0 || body[1] == 0);
  }

  private ParsedBody parse(byte[] body) throws IOException {
    boolean escapes = ExactJson.mayHoldLoneSurrogates(body);
    try (JsonParser parser = factory.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw IngestException.badRequest("the body must be a JSON object");
      }
      int rootStart = (int) parser.currentTokenLocation().getByteOffset();
      RawSpans[] batchSpans = new RawSpans[1];
      ShapeCounter rootShape = new ShapeCounter();
      Map<String, Object> root = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = escapes ? clean(parser.currentName()) : parser.currentName();
        // the root's own keys count too: for a single call the root is the message
        rootShape.countKey(name);
        JsonToken token = parser.nextToken();
        if ("batch".equals(name) && token == JsonToken.START_ARRAY) {
          root.put(name, readMeasuredArray(parser, body, batchSpans, escapes));
          for (ShapeCounter element : batchSpans[0].shapes()) {
            rootShape.countElement(element); // a "batch" array sent to a single-call endpoint is message content
          }
        } else {
          root.put(name, ExactJson.readValue(parser, token, rootShape, escapes));
        }
      }
      int rootEnd = (int) parser.currentLocation().getByteOffset();
      if (parser.nextToken() != null) {
        throw IngestException.badRequest("the body is not valid JSON: unexpected content after the object");
      }
      return new ParsedBody(new JsonObject(root), new RawSpans(body, new int[] {rootStart},
          new int[] {rootEnd - rootStart}, new ShapeCounter[] {rootShape}), batchSpans[0]);
    }
  }

  private JsonArray readMeasuredArray(JsonParser parser, byte[] body, RawSpans[] spans, boolean escapes)
      throws IOException {
    List<Object> items = new ArrayList<>();
    List<ShapeCounter> shapes = new ArrayList<>();
    int[] starts = new int[16];
    int[] lengths = new int[16];
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      int start = (int) parser.currentTokenLocation().getByteOffset();
      ShapeCounter shape = new ShapeCounter();
      shapes.add(shape);
      items.add(ExactJson.readValue(parser, token, shape, escapes));
      if (items.size() > starts.length) {
        starts = java.util.Arrays.copyOf(starts, starts.length * 2);
        lengths = java.util.Arrays.copyOf(lengths, lengths.length * 2);
      }
      starts[items.size() - 1] = start;
      lengths[items.size() - 1] = (int) parser.currentLocation().getByteOffset() - start;
    }
    spans[0] = new RawSpans(body, java.util.Arrays.copyOf(starts, items.size()),
        java.util.Arrays.copyOf(lengths, items.size()), shapes.toArray(new ShapeCounter[0]));
    return new JsonArray(items);
  }

  static String clean(String text) {
    return ExactJson.clean(text);
  }

  /** Most bodies are plain ASCII: check that cheaply before running a strict decoder. */
  static boolean isValidUtf8(byte[] body) {
    int i = 0;
    while (i < body.length && body[i] >= 0) {
      i++;
    }
    if (i == body.length) {
      return true;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, i, body.length - i));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String firstLine(IOException e) {
    String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
