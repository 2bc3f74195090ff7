package io.indicativegateway;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.indicativegateway.config.ClusterSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;

/**
 * Builds the Vert.x instance the gateway runs on: Micrometer metrics with a Prometheus registry (Vert.x HTTP
 * server/client, event bus, pools, JVM), and, when the cluster is on, the Hazelcast cluster manager.
 */
public final class Bootstrap {

  private Bootstrap() {}

  /** A Vert.x instance and the meter registry its metrics (and the gateway's own) go to. */
  public record Runtime(Vertx vertx, MeterRegistry registry) {}

  public static Future<Runtime> start(ClusterSettings cluster) {
    // a registry of its own per instance, so several gateways in one JVM (tests) do not share gauges
    String registryName = "gateway-" + UUID.randomUUID();
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(registryName)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    Future<Vertx> vertx;
    if (cluster.enabled()) {
      options.setEventBusOptions(new EventBusOptions()
          .setHost(cluster.host())
          .setPort(cluster.eventBusPort())
          .setClusterPublicHost(cluster.host()));
      vertx = Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
          .buildClustered();
    } else {
      vertx = Future.succeededFuture(Vertx.builder().with(options).build());
    }
    return vertx.map(v -> new Runtime(v, BackendRegistries.getNow(registryName)));
  }

  /** Hazelcast on a fixed port, no multicast: TCP-IP members, or Kubernetes DNS discovery on a headless service. */
  static Config hazelcast(ClusterSettings cluster) {
    Config config = new Config();
    config.setClusterName("indicative-gateway");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(false)
        .setPublicAddress(cluster.host() + ":" + cluster.port());
    config.getNetworkConfig().getInterfaces().setEnabled(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!cluster.dns().isBlank()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.dns())
          .setProperty("service-port", Integer.toString(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).addMember(cluster.host() + ":" + cluster.port());
      cluster.members().forEach(member -> join.getTcpIpConfig().addMember(member));
    }
    return config;
  }
}
