package io.indicativegateway;

import io.indicativegateway.config.ConfigException;
import io.indicativegateway.config.GatewayConfig;
import io.indicativegateway.ops.DeadLetterCommand;
import io.indicativegateway.sim.IndicativeSimulator;
import io.indicativegateway.sim.SimulatorCommand;
import io.indicativegateway.sim.SimulatorOptions;
import io.indicativegateway.store.StoreOpenException;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar indicative-gateway.jar [run | simulator [options] | help]}.
 *
 * <p>{@code run} (the default) starts the gateway with {@code conf/gateway.yaml} and the environment; with no
 * source configured it starts the local Indicative simulator too and sends everything there. SIGTERM stops it
 * gracefully (see {@link Gateway#stop()}).
 */
public final class GatewayMain {

  static {
    // before any logger exists: JSON lines by default, text when asked for
    if ("text".equalsIgnoreCase(System.getenv("GATEWAY_LOG_FORMAT"))
        && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-text.xml");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  /** Items the local-mode simulator keeps for inspection (it counts everything beyond). */
  private static final int DEV_SIMULATOR_MAX_RECORDED = 100_000;

  private GatewayMain() {}

  public static void main(String[] args) {
    String command = args.length == 0 ? "run" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "run" -> runGateway(Arrays.asList(rest).contains("--cluster"));
      case "simulator" -> runSimulator(rest);
      case "dlq" -> System.exit(new DeadLetterCommand(System.getenv(), System.out, System.err).run(rest));
      case "help", "--help", "-h" -> System.out.println(usage());
      default -> {
        System.err.println("unknown command '" + command + "'\n\n" + usage());
        System.exit(2);
      }
    }
  }

  private static void runGateway(boolean cluster) {
    GatewayConfig config;
    try {
      Map<String, String> env = new HashMap<>(System.getenv());
      if (cluster) {
        env.put("GATEWAY_CLUSTER_ENABLED", "true");
      }
      config = GatewayConfig.load(env);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Bootstrap.Runtime runtime;
    try {
      runtime = Bootstrap.start(config.cluster()).await();
    } catch (Exception e) {
      System.err.println("the gateway could not start: cannot join the cluster: " + e.getMessage());
      System.exit(1);
      return;
    }
    Vertx vertx = runtime.vertx();
    try {
      if (config.devMode()) {
        startDevSimulator(vertx, config);
      }
      Gateway gateway = Gateway.start(vertx, config, runtime.registry()).await();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx, gateway), "gateway-shutdown"));
    } catch (Exception e) {
      String reason = e instanceof StoreOpenException || e instanceof ConfigException ? e.getMessage()
          : e.toString();
      log.error("the gateway could not start: {}", reason, e instanceof StoreOpenException ? null : e);
      System.err.println("the gateway could not start: " + reason);
      vertx.close();
      System.exit(1);
    }
  }

  private static void startDevSimulator(Vertx vertx, GatewayConfig config) throws Exception {
    IndicativeSimulator simulator;
    try {
      // local mode holds what the simulator records in this JVM: keep that bounded
      simulator = IndicativeSimulator.start(vertx, new SimulatorOptions().setPort(config.simulatorPort())
          .setMaxRecorded(DEV_SIMULATOR_MAX_RECORDED)).await();
    } catch (Exception e) {
      throw new IllegalStateException("the local Indicative simulator cannot listen on 127.0.0.1:"
          + config.simulatorPort() + " (GATEWAY_SIMULATOR_PORT): " + e.getMessage(), e);
    }
    // on stderr as a plain box whatever the log format, so it cannot be missed among JSON lines
    String line = "*".repeat(100);
    System.err.printf("%n%s%n*  NO INDICATIVE API KEY IS CONFIGURED: events go to the LOCAL INDICATIVE SIMULATOR at %s%n"
            + "*  Nothing reaches Indicative. Send test events with write key '%s'.%n"
            + "*  To deliver for real set GATEWAY_SOURCES=<writeKey>=<indicativeApiKey> (see README).%n"
            + "*  Inspect what the simulator received: %s/stats%n%s%n%n",
        line, simulator.baseUrl(), GatewayConfig.DEV_WRITE_KEY, simulator.controlUrl(), line);
    log.warn("local mode: no Indicative API key is configured; events go to the local Indicative simulator at {}"
        + " and nothing reaches Indicative; test write key '{}'", simulator.baseUrl(), GatewayConfig.DEV_WRITE_KEY);
  }

  private static void stop(Vertx vertx, Gateway gateway) {
    log.info("stopping: no new requests; flushing deliveries for up to {} ms",
        gateway.config().delivery().shutdownGraceMs());
    try {
      gateway.stop().eventually(vertx::close)
          .await(gateway.config().delivery().shutdownGraceMs() + 30_000, TimeUnit.MILLISECONDS);
      log.info("stopped");
    } catch (Exception e) {
      log.error("shutdown did not finish cleanly: {}", e.toString());
    }
  }

  private static void runSimulator(String[] args) {
    Vertx vertx = Vertx.vertx();
    try {
      IndicativeSimulator simulator = SimulatorCommand.run(vertx, args).await();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          simulator.close().eventually(vertx::close).await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // exiting anyway
        }
      }));
    } catch (Exception e) {
      System.err.println("the simulator could not start: " + e.getMessage() + "\n\n" + SimulatorCommand.usage());
      vertx.close();
      System.exit(2);
    }
  }

  static String usage() {
    return """
        usage: java -jar indicative-gateway.jar [command]

          run [--cluster]     start the gateway (default); configuration from conf/gateway.yaml and the
                              environment (see README). With no source configured, it also starts the local
                              Indicative simulator and sends events there.
          simulator [opts]    run only the Indicative simulator (a stand-in for Indicative's API):
        """ + SimulatorCommand.usage().indent(22) + """
        """ + DeadLetterCommand.usage().indent(2) + """
          help                this text
        """;
  }
}
