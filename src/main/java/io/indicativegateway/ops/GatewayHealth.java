package io.indicativegateway.ops;

import io.indicativegateway.store.EventStore;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Liveness and readiness, as Vert.x health checks (the JSON names each check and says which failed).
 *
 * <p>Ready means "send me traffic": not while starting or shutting down, not while the store cannot write (its
 * directory refuses a probe file, or the disk refused a write), and not while Indicative refuses the key of every
 * configured project (nothing accepted now could be delivered). A single project with a bad key is reported but
 * keeps the gateway ready: the other projects flow, and its messages stay stored. Only the projects of the
 * enabled sources configured now are judged: a project whose source was removed may keep stored messages with a
 * refused key for ever, and must not hold readiness down once a good key is configured.
 */
public final class GatewayHealth {

  /** A health probe that takes longer than this counts as failed: a hung disk is not a healthy one. */
  private static final long CHECK_TIMEOUT_MS = 2000;

  private GatewayHealth() {}

  public static HealthChecks liveness(Vertx vertx) {
    return HealthChecks.create(vertx).register("process", promise -> promise.complete(Status.OK()));
  }

  public static HealthChecks readiness(Vertx vertx, Readiness lifecycle, EventStore store,
                                       Supplier<List<ProjectStatus>> projects) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("lifecycle", promise -> {
      String reason = lifecycle.notReadyReason();
      promise.complete(reason == null ? Status.OK() : Status.KO(new JsonObject().put("reason", reason)));
    });
    checks.register("store", CHECK_TIMEOUT_MS, promise -> checkStore(vertx, store, promise));
    checks.register("indicative", promise -> promise.complete(indicativeStatus(projects.get())));
    return checks;
  }

  private static void checkStore(Vertx vertx, EventStore store, Promise<Status> promise) {
    Path dir = store.settings().dataDir();
    vertx.executeBlocking(() -> {
      // Actually write: permissions, read-only remounts and full disks all show here.
      Path probe = Files.createTempFile(dir, ".health", ".probe");
      Files.delete(probe);
      return true;
    }, false).onComplete(probed -> {
      JsonObject data = new JsonObject()
          .put("undeliveredMessages", store.undeliveredCount())
          .put("bytes", store.sizeBytes())
          .put("maxBytes", store.settings().maxBytes());
      String failure = store.writeFailure();
      if (probed.failed()) {
        failure = "the data directory " + dir + " is not writable: " + probed.cause();
      }
      if (failure != null) {
        promise.tryComplete(Status.KO(data.put("error", failure)));
      } else {
        promise.tryComplete(Status.OK(data));
      }
    });
  }

  static Status indicativeStatus(List<ProjectStatus> projects) {
    JsonArray list = new JsonArray();
    long configured = 0;
    long configuredRefused = 0;
    for (ProjectStatus project : projects) {
      JsonObject entry = new JsonObject().put("project", project.project()).put("circuit", project.circuit())
          .put("configured", project.configured());
      if (project.problem() != null) {
        entry.put("problem", project.problem());
      }
      if (project.configured()) {
        configured++;
        if (project.problem() != null) {
          configuredRefused++;
        }
      }
      list.add(entry);
    }
    JsonObject data = new JsonObject().put("projects", list);
    return configured > 0 && configuredRefused == configured ? Status.KO(data) : Status.OK(data);
  }
}
