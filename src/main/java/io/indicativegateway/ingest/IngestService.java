package io.indicativegateway.ingest;

import io.indicativegateway.config.LimitSettings;
import io.indicativegateway.config.Source;
import io.indicativegateway.ops.GatewayMetrics;
import io.indicativegateway.store.AppendBatch;
import io.indicativegateway.store.AppendResult;
import io.indicativegateway.store.DeadLetter;
import io.indicativegateway.store.EventStore;
import io.indicativegateway.store.IncomingMessage;
import io.indicativegateway.store.StoreRejectedException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Accepts a call: validates each message, enriches it, and stores the valid ones durably; the answer comes only
 * after the store has synced them. Shared by the HTTP and event-bus transports so both behave the same. Runs on
 * the caller's event loop; the only wait is the store's group commit, which happens on its own thread.
 */
public final class IngestService {

  private static final JsonObject SUCCESS = new JsonObject().put("success", true);

  private final LimitSettings limits;
  private final SourceRateLimiter rateLimiter;
  private final EventStore store;
  private final int retryAfterSeconds;
  private final GatewayMetrics metrics;

  public IngestService(LimitSettings limits, EventStore store, GatewayMetrics metrics) {
    this.limits = limits;
    this.rateLimiter = new SourceRateLimiter(limits);
    this.store = store;
    this.retryAfterSeconds = store.settings().retryAfterSeconds();
    this.metrics = metrics;
  }

  public LimitSettings limits() {
    return limits;
  }

  /**
   * Takes {@code messages} from the source's rate budget, or fails with 429 for the whole request (nothing of it
   * is stored). Succeeds with null when no rate limit is configured.
   */
  public Future<SourceRateLimiter.Decision> admit(Source source, int messages) {
    if (!rateLimiter.enabled()) {
      return Future.succeededFuture();
    }
    SourceRateLimiter.Decision decision = rateLimiter.acquire(source.name(), messages, System.nanoTime());
    if (!decision.allowed()) {
      metrics.rejected("rate-limited", messages);
      return Future.failedFuture(new IngestException(429, "this source sends more than " + rateLimiter.rate()
          + " messages per second; retry later", (int) decision.retryAfterSeconds(), decision));
    }
    return Future.succeededFuture(decision);
  }

  /**
   * Counts a request refused before it reached {@link #ingest}: a body that cannot be read (400, 415), no usable
   * write key (401), a body too large once decoded (413). One per request, since its messages were never
   * counted. A 429 is counted by {@link #admit}, with the messages it refused; other failures are not refusals.
   */
  public void countRefusedRequest(Throwable failure) {
    if (!(failure instanceof IngestException refusal)) {
      return;
    }
    String reason = switch (refusal.status()) {
      case 400, 415 -> "malformed";
      case 401 -> "auth";
      case 413 -> "too-large";
      default -> null;
    };
    if (reason != null) {
      metrics.rejected(reason, 1);
    }
  }

  /** Counts messages a transport refused for a reason of its own (see {@link GatewayMetrics#rejected}). */
  public void countRefused(String reason, int messages) {
    metrics.rejected(reason, messages);
  }

  /** Messages per second each source may send, or 0 for no limit. */
  public int rateLimit() {
    return rateLimiter.rate();
  }

  /**
   * A call validated and enriched, before anything is stored: the messages to store, the messages refused (kept
   * for inspection) and the answer the client gets once they are stored.
   */
  public record Prepared(List<IncomingMessage> accepted, List<DeadLetter> rejected, JsonObject answer) {}

  /** The answer body, or a failed future carrying an {@link IngestException}. */
  public Future<JsonObject> ingest(IngestCall call) {
    Prepared prepared;
    try {
      prepared = prepare(call);
    } catch (IngestException e) {
      return Future.failedFuture(e);
    }
    if (prepared.accepted().isEmpty() && prepared.rejected().isEmpty()) {
      return Future.succeededFuture(prepared.answer());
    }
    return store(call, prepared.accepted(), prepared.rejected()).map(prepared.answer());
  }

  /** Validates and enriches a call, counting what it sees; no I/O. Throws {@link IngestException}. */
  public Prepared prepare(IngestCall call) {
    return call.batch() ? prepareBatch(call) : prepareSingle(call);
  }

  private Prepared prepareSingle(IngestCall call) {
    JsonObject message = call.body();
    metrics.received(call.transport(), 1);
    if (sizeOf(call, 0, message) > limits.maxMessageBytes()) {
      metrics.rejected("too-large", 1);
      throw IngestException.tooLarge("the message exceeds the limit of " + limits.maxMessageBytes() + " bytes");
    }
    String shape = shapeProblem(call, 0, message);
    if (shape != null) {
      metrics.rejected("too-large", 1);
      throw IngestException.tooLarge(shape);
    }
    StoredJson.Declared declared = StoredJson.Declared.of(message);
    String error = MessageValidator.validate(message, call.pathType());
    if (error != null) {
      metrics.rejected("invalid", 1);
      throw IngestException.badRequest(error);
    }
    String receivedAt = MessageEnricher.formatReceivedAt(call.receivedAtMillis());
    int changes = MessageEnricher.enrich(message, null, receivedAt, call.origin());
    byte[] json = new StoredJson(receivedAt).of(message, call.raw(), 0, changes | declared.changes(message));
    if (!MessageEnricher.sendsToIndicative(message)) {
      metrics.filtered(1);
      return new Prepared(List.of(), List.of(), SUCCESS);
    }
    return new Prepared(List.of(new IncomingMessage(message.getString("messageId"), json)), List.of(), SUCCESS);
  }

  private Prepared prepareBatch(IngestCall call) {
    JsonObject envelope = call.body();
    if (!(envelope.getValue("batch") instanceof JsonArray batch)) {
      metrics.rejected("malformed", 1);
      throw IngestException.badRequest(envelope.containsKey("batch")
          ? "batch must be a JSON array of messages" : "batch is required: a JSON array of messages");
    }
    metrics.received(call.transport(), batch.size());
    if (batch.size() > limits.maxBatchMessages()) {
      metrics.rejected("too-large", batch.size());
      throw IngestException.tooLarge("the batch has " + batch.size() + " messages; the limit is "
          + limits.maxBatchMessages());
    }
    // Each message gets its own copy of the batch's context and integrations: they count against each message's
    // limit, or one 500 KB request could store 2,500 copies of a 400 KB context.
    int shared = mergedEnvelopeBytes(envelope);
    if (shared >= limits.maxMessageBytes()) {
      metrics.rejected("too-large", batch.size());
      throw IngestException.tooLarge("the batch's context and integrations exceed the per-message limit of "
          + limits.maxMessageBytes() + " bytes; each message gets a copy of them");
    }
    String receivedAt = MessageEnricher.formatReceivedAt(call.receivedAtMillis());
    StoredJson storedJson = new StoredJson(receivedAt);
    List<IncomingMessage> accepted = new ArrayList<>(batch.size());
    List<DeadLetter> rejectedLetters = new ArrayList<>();
    JsonArray rejected = new JsonArray();
    int valid = 0;
    int filtered = 0;
    for (int i = 0; i < batch.size(); i++) {
      Object element = batch.getValue(i);
      String error;
      JsonObject message = element instanceof JsonObject object ? object : null;
      byte[] json = null;
      if (message == null) {
        error = "each batch element must be a JSON object";
      } else if (sizeOf(call, i, message) + shared > limits.maxMessageBytes()) {
        error = "the message " + (shared > 0 ? "with the batch's context and integrations " : "")
            + "exceeds the limit of " + limits.maxMessageBytes() + " bytes";
      } else if ((error = shapeProblem(call, i, message)) != null) {
        // too large inside: rejected on its own
      } else {
        StoredJson.Declared declared = StoredJson.Declared.of(message);
        error = MessageValidator.validate(message, null);
        if (error == null) {
          int changes = MessageEnricher.enrich(message, envelope, receivedAt, call.origin());
          json = storedJson.of(message, call.raw(), i, changes | declared.changes(message));
        }
      }
      if (error != null) {
        String messageId = message != null && message.getValue("messageId") instanceof String id
            ? id : UUID.randomUUID().toString();
        rejected.add(new JsonObject().put("index", i).put("messageId", messageId).put("error", error));
        if (message != null) {
          message.remove("writeKey"); // a secret; not kept with the evidence
          if (!message.containsKey("messageId")) {
            message.put("messageId", messageId); // the id the answer gave finds the dead letter
          }
        }
        rejectedLetters.add(new DeadLetter(DeadLetter.VALIDATION, error, call.source().name(),
            call.source().projectKey(), call.receivedAtMillis(),
            message != null ? message : new JsonObject().put("messageId", messageId).put("value", element)));
        continue;
      }
      valid++;
      if (!MessageEnricher.sendsToIndicative(message)) {
        filtered++;
        continue;
      }
      accepted.add(new IncomingMessage(message.getString("messageId"), json));
    }
    if (!rejected.isEmpty()) {
      metrics.rejected("invalid", rejected.size());
    }
    metrics.filtered(filtered);
    JsonObject answer = new JsonObject().put("success", true).put("accepted", valid).put("rejected", rejected);
    return new Prepared(accepted, rejectedLetters, answer);
  }

  /** What is too large inside the message, from the parser's counts when the transport parsed it. */
  private String shapeProblem(IngestCall call, int index, JsonObject message) {
    RawSpans raw = call.raw();
    return raw != null && raw.shapes() != null && index < raw.size()
        ? MessageShape.check(raw.shapes()[index], limits) : MessageShape.check(message, limits);
  }

  /** Serialized size of the batch-level objects merged into every message (at most what the message lacks). */
  private static int mergedEnvelopeBytes(JsonObject envelope) {
    int bytes = 0;
    for (String field : new String[] {"context", "integrations"}) {
      if (envelope.getValue(field) instanceof JsonObject object && !object.isEmpty()) {
        bytes += object.toBuffer().length() + field.length() + 4; // "field":{...},
      }
    }
    return bytes;
  }

  /** The message's size as the client sent it, before enrichment adds to it. */
  private static int sizeOf(IngestCall call, int index, JsonObject message) {
    RawSpans raw = call.raw();
    return raw != null && index < raw.size() ? raw.lengths()[index] : message.toBuffer().length();
  }

  private Future<AppendResult> store(IngestCall call, List<IncomingMessage> messages, List<DeadLetter> letters) {
    AppendBatch batch = new AppendBatch(call.source().writeKey(), call.source().projectKey(),
        call.receivedAtMillis(), messages, letters);
    return store.append(batch)
        .onSuccess(result -> {
          metrics.accepted(result.stored());
          metrics.duplicates(result.duplicateCount());
          if (!letters.isEmpty()) {
            metrics.deadLettered("validation", letters.size());
          }
        })
        .recover(failure -> {
          if (failure instanceof StoreRejectedException rejected) {
            metrics.rejected("store-" + rejected.reason().name().toLowerCase(), messages.size());
            return Future.failedFuture(new IngestException(503, rejected.getMessage(), retryAfterSeconds));
          }
          return Future.failedFuture(failure);
        });
  }
}
