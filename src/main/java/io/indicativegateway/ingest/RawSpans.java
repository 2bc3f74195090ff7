package io.indicativegateway.ingest;

import io.indicativegateway.json.ShapeCounter;

/**
 * Where messages lie, byte for byte, in the request body they were parsed from: message {@code i} is
 * {@code body[starts[i] .. starts[i] + lengths[i])}, and {@code shapes[i]} is what the parse counted inside it.
 * Lets ingestion measure each message as sent, check its shape without walking it again, and store the
 * client's own bytes instead of serializing the message again.
 */
public record RawSpans(byte[] body, int[] starts, int[] lengths, ShapeCounter[] shapes) {

  public int size() {
    return starts.length;
  }
}
