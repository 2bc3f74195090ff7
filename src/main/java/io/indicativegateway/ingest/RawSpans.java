package io.indicativegateway.ingest;

/**
 * Where messages lie, byte for byte, in the request body they were parsed from: message {@code i} is
 * {@code body[starts[i] .. starts[i] + lengths[i])}. Lets ingestion measure each message as sent and store the
 * client's own bytes instead of serializing the message again.
 */
public record RawSpans(byte[] body, int[] starts, int[] lengths) {

  public int size() {
    return starts.length;
  }
}
