package dev.flotilla.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.engine.TestForgeRepos;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.Outbox;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller runs as its own JVM with two teams' webhooks on a local receiver. The first team's
 * webhook refuses its first delivery; the second team's holds its first delivery open while the
 * controller is killed with SIGKILL. After a restart each team has exactly one digest accepted, the
 * refused one was retried, and the one cut short was sent again with the same idempotency key.
 */
class NotificationCrashIT {

  static final String OLD_POM = """
      <project>
        <modelVersion>4.0.0</modelVersion>
        <groupId>com.acme</groupId>
        <artifactId>svc</artifactId>
        <version>1.0.0</version>
        <properties>
          <jackson.version>2.15.2</jackson.version>
        </properties>
        <dependencies>
          <dependency>
            <groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-databind</artifactId>
            <version>${jackson.version}</version>
          </dependency>
        </dependencies>
      </project>
      """;
  static final String GREEN_CI = "#!/bin/sh\necho all tests passed\n";

  @TempDir Path tmp;
  Process controller;
  HttpServer receiver;
  Path log;

  /** Every request the receiver saw, as "path status key". */
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** Deliveries the receiver accepted (answered 2xx), by idempotency key. */
  final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
  final AtomicInteger alphaCalls = new AtomicInteger();
  final AtomicInteger betaCalls = new AtomicInteger();
  final CountDownLatch betaHeld = new CountDownLatch(1);
  final CountDownLatch controllerKilled = new CountDownLatch(1);

  @AfterEach
  void stop() throws Exception {
    controllerKilled.countDown();
    if (controller != null && controller.isAlive()) {
      controller.destroy();
      controller.waitFor();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void eachTeamGetsOneDigestRetriedAfterARefusalAndNoneTwiceAcrossKillNine() throws Exception {
    startReceiver();
    Path forge = Files.createDirectories(tmp.resolve("forge"));
    Path campaigns = Files.createDirectories(tmp.resolve("campaigns"));
    Path data = tmp.resolve("data");
    TestForgeRepos repos = new TestForgeRepos(forge);
    repos.create("acme", "alpha-svc", "main", Map.of("pom.xml", OLD_POM, "ci.sh", GREEN_CI,
        ".flotilla.yaml", "enabled: true\nowner: alpha\n"));
    repos.create("acme", "beta-svc", "main", Map.of("pom.xml", OLD_POM, "ci.sh", GREEN_CI,
        ".flotilla.yaml", "enabled: true\n", "CODEOWNERS", "* @acme/beta\n"));
    Files.writeString(campaigns.resolve("jackson.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          automerge: false
        """);
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    Path notifications = tmp.resolve("notifications.yaml");
    Files.writeString(notifications, """
        digestAt: "00:00"
        retry: {first: 1s, max: 2s}
        default: {webhook: "%s/alpha?token=s3cret-in-url", format: json}
        teams:
          beta: {webhook: "${BETA_WEBHOOK}", format: slack, timezone: Pacific/Kiritimati}
        """.formatted(base));
    Map<String, String> env = Map.of(
        "FLOTILLA_LOCAL_FORGE_DIR", forge.toString(),
        "FLOTILLA_CAMPAIGNS_DIR", campaigns.toString(),
        "FLOTILLA_POLL_INTERVAL", "300ms",
        "FLOTILLA_DISCOVERY_INTERVAL", "5s",
        "FLOTILLA_DASHBOARD_PORT", "0",
        "FLOTILLA_LOCAL_CONCURRENCY", "2",
        "FLOTILLA_NOTIFICATIONS_FILE", notifications.toString(),
        "BETA_WEBHOOK", base + "/beta/s3cret-path");

    log = tmp.resolve("run-1.log");
    controller = launch(data, env, log);
    if (!betaHeld.await(3, TimeUnit.MINUTES)) {
      throw new AssertionError("the beta digest never arrived; the controller's log:\n" + tail(log));
    }
    controller.destroyForcibly();
    controller.waitFor();
    controllerKilled.countDown();

    log = tmp.resolve("run-2.log");
    controller = launch(data, env, log);
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
      if (!controller.isAlive()) {
        throw new AssertionError("the restarted controller exited; its log:\n" + tail(log));
      }
      return accepted.keySet().stream().filter(k -> k.startsWith("digest:")).count() == 2;
    });
    // The store is the controller's embedded PostgreSQL: read the outbox while it runs.
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
      var db = Database.attachEmbedded(data, 1);
      if (db.isEmpty()) {
        return false;
      }
      try (Database attached = db.get()) {
        List<Outbox.Row> rows = new Outbox(new Jdbc(attached.dataSource())).rows();
        return rows.stream().filter(r -> r.kind().equals("DIGEST")).count() == 2
            && rows.stream().filter(r -> r.kind().equals("DIGEST")).allMatch(r -> "SENT".equals(r.outcome()));
      }
    });
    controller.destroy();
    controller.waitFor();

    assertThat(accepted.keySet()).filteredOn(k -> k.startsWith("digest:alpha:")).hasSize(1);
    assertThat(accepted.keySet()).filteredOn(k -> k.startsWith("digest:beta:")).hasSize(1);
    assertThat(accepted.values()).as("deliveries accepted per message").allSatisfy(n -> assertThat(n.get()).isOne());
    String alphaKey = accepted.keySet().stream().filter(k -> k.startsWith("digest:alpha:")).findFirst().orElseThrow();
    String betaKey = accepted.keySet().stream().filter(k -> k.startsWith("digest:beta:")).findFirst().orElseThrow();
    assertThat(requests).as("alpha refused once, then accepted on a retry")
        .containsSubsequence("/alpha 503 " + alphaKey, "/alpha 200 " + alphaKey);
    assertThat(requests).as("beta cut short by the kill, then sent again with the same key")
        .containsSubsequence("/beta held " + betaKey, "/beta 200 " + betaKey);
    for (Path run : List.of(tmp.resolve("run-1.log"), tmp.resolve("run-2.log"))) {
      assertThat(Files.readString(run)).as("webhook secrets in " + run.getFileName())
          .doesNotContain("s3cret-in-url").doesNotContain("s3cret-path");
    }
  }

  private void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.createContext("/alpha", exchange -> {
      String key = key(exchange);
      if (key.startsWith("digest:") && alphaCalls.getAndIncrement() == 0) {
        answer(exchange, "/alpha", key, 503);
      } else {
        answer(exchange, "/alpha", key, 200);
      }
    });
    receiver.createContext("/beta", exchange -> {
      String key = key(exchange);
      if (key.startsWith("digest:") && betaCalls.getAndIncrement() == 0) {
        // Received, never acknowledged: the controller dies waiting for the answer.
        requests.add("/beta held " + key);
        betaHeld.countDown();
        try {
          controllerKilled.await(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
        return;
      }
      answer(exchange, "/beta", key, 200);
    });
    receiver.start();
  }

  private static String key(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    return key == null ? "(none)" : key;
  }

  private void answer(HttpExchange exchange, String path, String key, int status) throws IOException {
    byte[] body = (status == 200 ? "ok" : "try later").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
    requests.add(path + " " + status + " " + key);
    if (status / 100 == 2) {
      accepted.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static Process launch(Path data, Map<String, String> env, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(
        java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.flotilla.controller.cli.FlotillaCli", "controller", "--data-dir", data.toString()));
    builder.environment().putAll(new HashMap<>(env));
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }
}
