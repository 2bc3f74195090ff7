package io.indicativegateway.acceptance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fat jar running as a child process, as an operator runs it: started, killed, stopped, restarted. */
final class GatewayProcess implements AutoCloseable {

  static final Path JAR = Path.of("target", "indicative-gateway.jar");

  private final Map<String, String> env;
  private final List<String> jvmArgs;
  private final Path log;
  final int port;
  private final List<String> args = new ArrayList<>();
  private Process process;

  GatewayProcess(int port, Map<String, String> env, List<String> jvmArgs, Path log) {
    this.port = port;
    this.env = new HashMap<>(env);
    this.env.put("GATEWAY_PORT", Integer.toString(port));
    this.env.put("GATEWAY_HOST", "127.0.0.1");
    this.jvmArgs = jvmArgs;
    this.log = log;
  }

  /** Arguments after {@code -jar indicative-gateway.jar}, e.g. {@code run --cluster}. */
  GatewayProcess withArgs(String... more) {
    args.addAll(List.of(more));
    return this;
  }

  GatewayProcess start() throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run through 'mvn verify' (it packages first)");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    process = builder.start();
    awaitReady(Duration.ofSeconds(60));
    return this;
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the gateway exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the gateway was not ready within " + timeout + "; see " + log);
  }

  /** SIGKILL: no shutdown hook, no flush, like a crash or a power cut of the process. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then wait; returns how long the process took to exit, in milliseconds. */
  long sigterm(Duration timeout) throws InterruptedException {
    long started = System.nanoTime();
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the gateway did not exit within " + timeout + " of SIGTERM");
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** Heap in use right now, in bytes, as the JVM reports it (jcmd GC.heap_info). */
  long heapUsedBytes() throws Exception {
    Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(20, TimeUnit.SECONDS);
    Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(out);
    if (!used.find()) {
      throw new IllegalStateException("cannot read the heap from: " + out);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) {
      kill9();
    }
  }
}
