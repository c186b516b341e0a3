package dev.flotilla.controller.exec.k8s;

import ch.qos.logback.classic.Level;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineObserver;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.EngineContext;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes dispatch at scale: N runs through the real {@link KubernetesExecutor} and {@link
 * Controller} against the fabric8 mock API server, with the test kubelet finishing each Job at once
 * (NO_CHANGE, no clone), then a restart that adopts the Jobs still running. The mock server and the
 * kubelet run in a JVM of their own ({@link K8sMockApi}), so the heap figure is this controller JVM's
 * alone: what its informers' caches and its own bookkeeping keep per finished Job.
 *
 * <p>Run by {@code bench/k8s-dispatch}; the last line printed holds the figures.
 */
public final class K8sDispatchBench {

  private static final String NAMESPACE = "flotilla";
  private static final int CONCURRENCY = 200;

  private K8sDispatchBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int adopt = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    // One line per Job and result would drown the figures.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.flotilla")).setLevel(Level.WARN);
    java.util.logging.LogManager.getLogManager().reset();
    Path tmp = Files.createTempDirectory("k8s-dispatch");
    Path times = tmp.resolve("finished.txt");
    Process api = startMockApi(times, runs, adopt);
    try (KubernetesClient client = clientOf(api);
        Database db = Database.open(null, null, null, tmp.resolve("data"), 16);
        LocalCi ci = new LocalCi(db.dataSource(), new LocalCi.Settings("true", Duration.ofSeconds(10), 1))) {
      Jdbc jdbc = new Jdbc(db.dataSource());
      EngineContext fleet = EngineContext.create(jdbc, new LocalForge(Files.createDirectories(tmp.resolve("forge")), db.dataSource(), ci, "http://localhost:8080"),
          Migrations.load(), Clock.systemUTC(), new EngineSettings("http://localhost:8080", adopt + CONCURRENCY, 3, Duration.ofSeconds(30),
              dev.flotilla.runner.RunRequest.Author.DEFAULT));
      addRepositories(fleet, 0, runs);
      System.out.printf("k8s-dispatch: %d runs, then adopting %d running Jobs; load %s%n", runs, adopt, load());
      KubernetesExecutorConfig config = KubernetesExecutorConfig.fromSettings(Map.of(
          "FLOTILLA_K8S_NAMESPACE", NAMESPACE, "FLOTILLA_GLOBAL_CONCURRENT_RUNS", String.valueOf(adopt + CONCURRENCY)));
      System.out.printf("  client-side limit: %d API requests a second (FLOTILLA_K8S_API_QPS)%n", config.apiRequestsPerSecond());

      // 1. Every run through the executor, the kubelet answering at once.
      long heapBefore = heapAfterGc();
      Controller controller = new Controller(fleet, new KubernetesExecutor(client, config, TOKENS), EngineObserver.NONE);
      controller.start();
      Instant start = Instant.now();
      controller.applyCampaign(campaign("bench-dispatch", CONCURRENCY), "bench", "bench");
      Poll poll = new Poll(controller);
      while (fleet.changesets().countInStates("bench-dispatch", Set.of(ChangesetState.NO_CHANGE)) < runs) {
        poll.due();
        Thread.sleep(100);
      }
      Duration dispatch = Duration.between(start, Instant.now());
      long heapAfter = heapAfterGc();
      Map<String, Instant> finishedAt = finishedAt(times);
      Instant first = finishedAt.values().stream().min(Instant::compareTo).orElseThrow();
      Instant last = finishedAt.values().stream().max(Instant::compareTo).orElseThrow();
      double jobsPerSecond = runs / Math.max(0.001, Duration.between(first, last).toMillis() / 1000.0);
      long p95 = resultLatencyP95(jdbc, finishedAt);
      double kbPerJob = Math.max(0, heapAfter - heapBefore) / 1024.0 / runs;
      System.out.printf("  %d runs in %.1f s: %.1f Jobs created per second, result-to-store p95 %d ms; load %s%n",
          runs, dispatch.toMillis() / 1000.0, jobsPerSecond, p95, load());
      System.out.printf("  controller heap %d MB before, %d MB with %d finished Jobs cached: %.1f KB per Job%n",
          heapBefore >> 20, heapAfter >> 20, runs, kbPerJob);

      // 2. Runs held running, then a restart adopts them.
      controller.pause("bench-dispatch", "bench");
      // The second campaign covers the new repositories only: the first ones opt out, their finished
      // Jobs and pods staying where they are, in the API and the informers' caches.
      upsertRepositories(fleet, 0, runs, OptInStatus.NOT_OPTED_IN, null, "enabled: false");
      addRepositories(fleet, runs, adopt);
      controller.applyCampaign(campaign("bench-adopt", adopt), "bench", "bench");
      // Only the held campaign's pods are counted: listing all of them again and again would keep the
      // mock API server busy with the finished ones.
      while (fleet.changesets().countInStates("bench-adopt", Set.of(ChangesetState.RUNNING)) < adopt
          || client.pods().inNamespace(NAMESPACE).withLabel(JobRenderer.CAMPAIGN_LABEL, JobNames.labelValue("bench-adopt"))
              .list().getItems().size() < adopt) {
        poll.due();
        Thread.sleep(500);
      }
      controller.close();
      KubernetesExecutor executor = new KubernetesExecutor(client, config, TOKENS);
      Controller restarted = new Controller(fleet, executor, EngineObserver.NONE);
      long adoptStart = System.nanoTime();
      restarted.start();
      double adoptSeconds = (System.nanoTime() - adoptStart) / 1e9;
      System.out.printf("  restart adopted %d running Jobs in %.2f s (%d in flight); load %s%n",
          adopt, adoptSeconds, executor.inFlight(), load());
      if (executor.inFlight() != adopt) {
        throw new IllegalStateException("the restarted controller follows " + executor.inFlight() + " Jobs, not " + adopt);
      }
      restarted.close();

      System.out.printf(Locale.ROOT, "k8s-dispatch: runs=%d jobs_created_per_s=%.1f result_p95_ms=%d heap_per_cached_job_kb=%.1f adopt_%d_s=%.2f%n",
          runs, jobsPerSecond, p95, kbPerJob, adopt, adoptSeconds);
    } finally {
      api.destroy();
    }
    System.exit(0);
  }

  /**
   * The controller's polling round at its default interval, as its schedule runs it. Runs are not
   * started by it: applying a campaign and each recorded result start the next ones.
   */
  private static final class Poll {
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private final Controller controller;
    private Instant next = Instant.now().plus(INTERVAL);

    Poll(Controller controller) {
      this.controller = controller;
    }

    void due() {
      if (!Instant.now().isBefore(next)) {
        controller.tick();
        next = Instant.now().plus(INTERVAL);
      }
    }
  }

  /** The mock API server and the kubelet, in a JVM of their own with this one's classpath. */
  private static Process startMockApi(Path times, int runs, int adopt) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"), K8sMockApi.class.getName(),
            NAMESPACE, times.toString(), String.valueOf(runs), String.valueOf(adopt))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static KubernetesClient clientOf(Process api) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(api.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    while (line != null && !line.startsWith(K8sMockApi.URL_PREFIX)) {
      line = out.readLine();
    }
    if (line == null) {
      throw new IllegalStateException("the mock API server's JVM ended before printing its URL");
    }
    String url = line.substring(K8sMockApi.URL_PREFIX.length());
    // Its later output is not read: keep the pipe drained so its writes never block.
    Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "k8s-mock-api-output");
    drain.setDaemon(true);
    drain.start();
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace(NAMESPACE).build())
        .build();
  }

  private static Map<String, Instant> finishedAt(Path times) throws IOException {
    Map<String, Instant> finished = new HashMap<>();
    for (String line : Files.readAllLines(times, StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ");
      if (parts.length == 2) {
        finished.put(parts[0], Instant.ofEpochMilli(Long.parseLong(parts[1])));
      }
    }
    return finished;
  }

  private static void addRepositories(EngineContext fleet, int from, int count) {
    upsertRepositories(fleet, from, count, OptInStatus.OPTED_IN, new OptIn(true, false, null, null, null, null, null, null), "enabled: true");
  }

  private static void upsertRepositories(EngineContext fleet, int from, int count, OptInStatus status, OptIn optIn, String optInText) {
    Instant now = Instant.now();
    for (int i = from; i < from + count; i++) {
      String name = repositoryName(i);
      fleet.repositories().upsert(new RepositoryRef("bench", name.substring("bench/".length()), "main", "file:///dev/null/" + name, null),
          status, optIn, optInText, null, now);
    }
  }

  /** A git token for every run, as on GitHub: each run's Secret holds it beside the request. */
  private static final CredentialSource TOKENS = request -> Optional.of("bench-token-for-" + request.repository());

  private static String repositoryName(int i) {
    return String.format("bench/repo-%05d", i);
  }

  private static CampaignSpec campaign(String name, int concurrency) {
    return new CampaignSpec(name, "ensure-file", Map.of("path", "BENCH.md", "template", "bench"), null, false, false, null,
        new CampaignSpec.Limits(concurrency, 100_000, 100_000), null);
  }

  /** p95 of the time from the kubelet finishing a run to its result being in the store. */
  private static long resultLatencyP95(Jdbc jdbc, Map<String, Instant> finishedAt) {
    List<Long> latencies = new ArrayList<>();
    jdbc.query("SELECT r.owner || '/' || r.name, e.at FROM changeset_event e JOIN changeset c ON c.id = e.changeset_id"
            + " JOIN repository r ON r.id = c.repository_id WHERE e.campaign = 'bench-dispatch' AND e.to_state = 'NO_CHANGE'",
            rs -> Map.entry(rs.getString(1), Jdbc.instant(rs, "at")))
        .forEach(e -> {
          Instant done = finishedAt.get(e.getKey());
          if (done != null) {
            latencies.add(Math.max(0, Duration.between(done, e.getValue()).toMillis()));
          }
        });
    Collections.sort(latencies);
    return latencies.isEmpty() ? -1 : latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1);
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static String load() {
    return String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
