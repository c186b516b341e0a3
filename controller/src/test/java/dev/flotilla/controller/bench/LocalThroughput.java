package dev.flotilla.controller.bench;

import ch.qos.logback.classic.Level;
import dev.flotilla.FlotillaException;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.TestEngine;
import dev.flotilla.controller.exec.LocalExecutor;
import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.controller.forge.local.CommitWriter;
import dev.flotilla.controller.forge.local.CommitWriter.FileContent;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import dev.flotilla.runner.Runner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.LoggerFactory;

/**
 * Local-mode throughput: a fleet of N repositories through the whole lifecycle with the real engine
 * (discovery, plan, dispatch, runner, pull request, CI, merge), and the runner's apply-and-push
 * against a plain shell loop over the git CLI doing the same edit on an identical copy of the fleet.
 *
 * <p>Run by {@code bench/local-throughput}; the last line printed holds the figures.
 */
public final class LocalThroughput {

  static final String CAMPAIGN = "jackson-bench";
  /** Runner over the git loop run with the same parallelism: the comparison that says what the runner costs. */
  static final double TARGET_RATIO = 1.2;
  static final double TARGET_REPOS_PER_MINUTE = 60;
  /** How long a watched changeset waits before the forge is asked again; the server's FLOTILLA_POLL_INTERVAL. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  /** The pause between two ticks, as a scheduler firing often would leave. */
  static final Duration TICK_PAUSE = Duration.ofMillis(100);
  static final Duration LIFECYCLE_TIMEOUT = Duration.ofMinutes(15);

  static final String POM = """
      <?xml version="1.0" encoding="UTF-8"?>
      <project xmlns="http://maven.apache.org/POM/4.0.0">
        <modelVersion>4.0.0</modelVersion>
        <groupId>com.acme</groupId>
        <artifactId>%s</artifactId>
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
  static final String WORKFLOW = """
      on: push
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v3
            - run: ./ci.sh
      """;
  static final String DOCKERFILE = "FROM eclipse-temurin:17-jre\nCOPY target/app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n";
  static final String CI = "#!/bin/sh\nexit 0\n";
  static final String OPT_IN = "enabled: true\nautomerge: true\n";
  static final String CAMPAIGN_YAML = """
      apiVersion: flotilla.dev/v1
      kind: Campaign
      metadata: {name: %s}
      spec:
        migration: maven-dependency-version
        parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
        automerge: true
        limits: {concurrentRuns: %d, pullRequestsPerHour: 100000, openPullRequests: 100000}
      """;
  /** The same edit as an OpenRewrite recipe: every file of the repository parsed, the pom resolved. */
  static final String OPENREWRITE_CAMPAIGN_YAML = """
      apiVersion: flotilla.dev/v1
      kind: Campaign
      metadata: {name: %s}
      spec:
        migration: openrewrite
        parameters: {recipe: org.openrewrite.maven.ChangePropertyValue, key: jackson.version, newValue: 2.18.2}
      """;
  static final String OPENREWRITE_CHILD = "--openrewrite-runner";
  /** The same edit as the migration, by hand: clone, sed, commit, push, one repository after the other. */
  static final String GIT_LOOP = """
      set -euo pipefail
      export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@localhost
      while read -r repo; do
        rm -rf "$WORK/w"
        git clone -q --depth 1 "file://$repo" "$WORK/w"
        cd "$WORK/w"
        sed -i 's/2.15.2/2.18.2/' pom.xml
        git commit -qam 'Upgrade jackson-databind to 2.18.2'
        git push -q origin HEAD:refs/heads/flotilla/bench
        cd "$WORK"
      done < "$LIST"
      rm -rf "$WORK/w"
      """;
  /**
   * The same loop with the runner's parallelism: {@code xargs -P} runs as many repositories at once
   * as the runner has threads. Pushes to another branch, so it can reuse the serial loop's fleet.
   */
  static final String GIT_LOOP_PARALLEL = """
      set -euo pipefail
      export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@localhost
      one() {
        set -euo pipefail
        w=$(mktemp -d "$WORK/p-XXXXXX")
        git clone -q --depth 1 "file://$1" "$w/r"
        cd "$w/r"
        sed -i 's/2.15.2/2.18.2/' pom.xml
        git commit -qam 'Upgrade jackson-databind to 2.18.2'
        git push -q origin HEAD:refs/heads/flotilla/bench-parallel
        cd "$WORK"
        rm -rf "$w"
      }
      export -f one
      xargs -d '\\n' -n 1 -P "$THREADS" bash -c 'one "$1"' _ < "$LIST"
      """;

  private final int size;
  private final int threads;
  private final Path tmp;
  private final HeapSampler heap = new HeapSampler();

  LocalThroughput(int size, int threads, Path tmp) {
    this.size = size;
    this.threads = threads;
    this.tmp = tmp;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals(OPENREWRITE_CHILD)) {
      openRewriteChild(Path.of(args[1]));
      return;
    }
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    if (size < 1) {
      throw new IllegalArgumentException("the number of repositories must be at least 1, was " + size);
    }
    quietLogs();
    // The engine's own default: FLOTILLA_LOCAL_CONCURRENCY is the number of cores.
    int threads = Runtime.getRuntime().availableProcessors();
    Path tmp = Files.createTempDirectory("flotilla-bench-");
    try {
      new LocalThroughput(size, threads, tmp).run();
    } finally {
      deleteTree(tmp);
    }
    // No library thread left behind may keep the JVM alive once the figures are out.
    System.exit(0);
  }

  private void run() throws Exception {
    heap.start();
    System.out.printf(Locale.ROOT, "local-throughput: %d repositories, %d cores, runner pool %d, poll interval %s, tick pause %dms, load %s%n",
        size, Runtime.getRuntime().availableProcessors(), threads, POLL_INTERVAL, TICK_PAUSE.toMillis(), loadAverage());
    List<Path> loopFleet = timed("fleet: git loop copy", () -> writeFleet(tmp.resolve("loop-forge")));
    List<Path> runnerFleet = timed("fleet: runner copy", () -> writeFleet(tmp.resolve("runner-forge")));
    timed("fleet: engine copy", () -> writeFleet(tmp.resolve("engine").resolve("forge")));
    Path rewriteForge = tmp.resolve("openrewrite-forge");
    timed("fleet: openrewrite copy", () -> writeFleet(rewriteForge));
    double loopSeconds = seconds(() -> gitLoop(loopFleet, GIT_LOOP));
    double parallelLoopSeconds = seconds(() -> gitLoop(loopFleet, GIT_LOOP_PARALLEL));
    double runnerSeconds = seconds(() -> runnerAlone(runnerFleet, campaignSpec(CAMPAIGN_YAML)));
    ChildFigures rewrite = timed("openrewrite runner (own JVM)", () -> openRewriteInOwnJvm(rewriteForge));
    Lifecycle lifecycle = lifecycle(tmp.resolve("engine"));
    heap.stop();
    // Other work on the machine shows in every figure; the load says how much there was.
    System.out.printf(Locale.ROOT, "  %-40s %s%n", "load average at the end", loadAverage());

    double serialRatio = runnerSeconds / loopSeconds;
    double ratio = runnerSeconds / parallelLoopSeconds;
    double perMinute = size / (lifecycle.seconds() / 60);
    long rssMb = vmHwmKb() / 1024;
    long heapMb = heap.peak() / (1024 * 1024);
    System.out.println();
    System.out.printf(Locale.ROOT, "%-44s %10s %14s %10s %s%n", "measure", "seconds", "figure", "target", "");
    row("git CLI loop: clone, sed, commit, push", loopSeconds, String.format(Locale.ROOT, "%.1f repo/s", size / loopSeconds), "", "");
    row("git CLI loop, xargs -P " + threads, parallelLoopSeconds, String.format(Locale.ROOT, "%.1f repo/s", size / parallelLoopSeconds), "", "");
    row("runner alone: clone, apply, commit, push", runnerSeconds, String.format(Locale.ROOT, "%.1f repo/s", size / runnerSeconds), "", "");
    row("ratio runner/loop, both " + threads + " at a time", Double.NaN, String.format(Locale.ROOT, "%.2f", ratio), "<= " + TARGET_RATIO, verdict(ratio <= TARGET_RATIO));
    row("ratio runner/loop one at a time", Double.NaN, String.format(Locale.ROOT, "%.2f", serialRatio), "", "");
    double rewritePerMinute = size / (rewrite.seconds() / 60);
    row("openrewrite runner: parse, recipe, push", rewrite.seconds(), String.format(Locale.ROOT, "%.1f repo/min", rewritePerMinute), "", "");
    row("openrewrite runner JVM: peak RSS, heap", Double.NaN, rewrite.rssMb() + ", " + rewrite.heapMb() + " MB", "", "");
    row("in lifecycle: first dispatch to last PUSHED", lifecycle.dispatchToLastPushed(), "", "", "");
    row("lifecycle: discovery to every MERGED", lifecycle.seconds(),
        String.format(Locale.ROOT, "%.1f repo/min", perMinute), ">= " + (int) TARGET_REPOS_PER_MINUTE, verdict(perMinute >= TARGET_REPOS_PER_MINUTE));
    row("peak RSS (VmHWM)", Double.NaN, rssMb + " MB", "", "");
    row("peak heap used", Double.NaN, heapMb + " MB", "", "");
    System.out.println();
    System.out.printf(Locale.ROOT,
        "local-throughput: repos=%d lifecycle_repos_per_min=%.1f peak_rss_mb=%d peak_heap_mb=%d apply_push_ratio_equal=%.2f apply_push_ratio_serial=%.2f"
            + " git_loop_serial_s=%.1f git_loop_parallel_s=%.1f runner_s=%.1f"
            + " openrewrite_repos_per_min=%.1f openrewrite_peak_rss_mb=%d openrewrite_peak_heap_mb=%d%n",
        size, perMinute, rssMb, heapMb, ratio, serialRatio, loopSeconds, parallelLoopSeconds, runnerSeconds,
        rewritePerMinute, rewrite.rssMb(), rewrite.heapMb());
  }

  private static void row(String measure, double seconds, String figure, String target, String verdict) {
    System.out.printf(Locale.ROOT, "%-44s %10s %14s %10s %s%n",
        measure, Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.1f", seconds), figure, target, verdict);
  }

  private static String verdict(boolean pass) {
    return pass ? "PASS" : "MISS";
  }

  // ---- the fleet ----------------------------------------------------------------------------

  /** N bare repositories, written straight with JGit: no clone, no working tree. */
  private List<Path> writeFleet(Path root) throws IOException, GitAPIException {
    PersonIdent author = new PersonIdent("Acme Platform", "platform@acme.example");
    List<Path> bares = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String name = String.format(Locale.ROOT, "svc-%04d", i);
      Path bare = root.resolve("acme").resolve(name + ".git");
      Files.createDirectories(bare);
      Map<String, FileContent> files = new LinkedHashMap<>();
      files.put("pom.xml", FileContent.text(POM.formatted(name)));
      files.put(".github/workflows/ci.yml", FileContent.text(WORKFLOW));
      files.put("Dockerfile", FileContent.text(DOCKERFILE));
      files.put("ci.sh", FileContent.script(CI));
      files.put(".flotilla.yaml", FileContent.text(OPT_IN));
      try (Git git = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call()) {
        Repository repo = git.getRepository();
        CommitWriter.commit(repo, "main", files, author, "Initial commit");
      }
      bares.add(bare);
    }
    return bares;
  }

  // ---- apply and push -----------------------------------------------------------------------

  private void gitLoop(List<Path> fleet, String script) throws IOException, InterruptedException {
    Path work = Files.createDirectories(tmp.resolve("loop-work"));
    Path list = tmp.resolve("loop-repos.txt");
    Files.write(list, fleet.stream().map(Path::toString).toList());
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", script)
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("loop.log").toFile());
    builder.environment().put("WORK", work.toString());
    builder.environment().put("LIST", list.toString());
    builder.environment().put("THREADS", Integer.toString(threads));
    Process process = builder.start();
    int exit = process.waitFor();
    if (exit != 0) {
      throw new FlotillaException("the git loop exited with " + exit + ":\n" + Files.readString(tmp.resolve("loop.log")));
    }
  }

  /** What the OpenRewrite runner's own JVM measured. */
  record ChildFigures(double seconds, long rssMb, long heapMb) {}

  /**
   * The OpenRewrite campaign's runs in a JVM of their own, so its peak memory is the runner's
   * alone: OpenRewrite's parsers and trees, not the engine's earlier phases.
   */
  private ChildFigures openRewriteInOwnJvm(Path forge) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = tmp.resolve("openrewrite-runner.log");
    Process process = new ProcessBuilder(
            java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
            LocalThroughput.class.getName(), OPENREWRITE_CHILD, forge.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    int exit = process.waitFor();
    List<String> lines = Files.readAllLines(log);
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    if (exit != 0 || !last.startsWith("openrewrite-runner:")) {
      throw new FlotillaException("the OpenRewrite runner JVM exited with " + exit + ":\n" + String.join("\n", lines));
    }
    Map<String, String> figures = new LinkedHashMap<>();
    for (String pair : last.substring(last.indexOf(':') + 1).trim().split("\\s+")) {
      figures.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
    }
    return new ChildFigures(
        Double.parseDouble(figures.get("seconds")), Long.parseLong(figures.get("peak_rss_mb")), Long.parseLong(figures.get("peak_heap_mb")));
  }

  /** In the child JVM: the runner with the OpenRewrite campaign over the fleet under {@code forge}. */
  private static void openRewriteChild(Path forge) throws Exception {
    quietLogs();
    int threads = Runtime.getRuntime().availableProcessors();
    List<Path> fleet;
    try (Stream<Path> bares = Files.list(forge.resolve("acme"))) {
      fleet = bares.sorted().toList();
    }
    Path tmp = Files.createTempDirectory("flotilla-openrewrite-");
    LocalThroughput bench = new LocalThroughput(fleet.size(), threads, tmp);
    bench.heap.start();
    double seconds = seconds(() -> bench.runnerAlone(fleet, bench.campaignSpec(OPENREWRITE_CAMPAIGN_YAML)));
    bench.heap.stop();
    deleteTree(tmp);
    System.out.printf(Locale.ROOT, "openrewrite-runner: seconds=%.1f peak_rss_mb=%d peak_heap_mb=%d%n",
        seconds, vmHwmKb() / 1024, bench.heap.peak() / (1024 * 1024));
    System.exit(0);
  }

  /** The engine's runner over every repository on the pool size the engine uses, nothing else running. */
  private void runnerAlone(List<Path> fleet, CampaignSpec spec) throws InterruptedException {
    Runner runner = new Runner(Migrations.load(), CredentialResolver.fromEnvironment());
    LocalExecutor executor = new LocalExecutor(runner::run, tmp.resolve("runner-work"), threads);
    CountDownLatch done = new CountDownLatch(fleet.size());
    Map<String, RunResult> results = new ConcurrentHashMap<>();
    executor.start(new RunListener() {
      @Override
      public void onResult(String runId, RunResult result) {
        results.put(runId, result);
        done.countDown();
      }
    });
    try {
      for (Path bare : fleet) {
        String name = bare.getFileName().toString().replace(".git", "");
        executor.submit(name, new RunRequest(
            CAMPAIGN, "acme/" + name, spec.migration(), spec.parameters(), bare.toUri().toString(), "main",
            RunRequest.branchFor(CAMPAIGN), RunRequest.Author.DEFAULT, RunRequest.Credential.NONE, null));
      }
      if (!done.await(LIFECYCLE_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
        throw new FlotillaException("the runner did not finish " + fleet.size() + " runs in " + LIFECYCLE_TIMEOUT);
      }
    } finally {
      executor.close();
    }
    results.forEach((run, result) -> {
      if (result.status() != RunResult.Status.PUSHED) {
        throw new FlotillaException("run " + run + " ended " + result.status() + ", expected PUSHED: " + result.reason());
      }
    });
  }

  private CampaignSpec campaignSpec(String template) {
    String yaml = template.formatted(CAMPAIGN, 10);
    return CampaignParser.parse(yaml, "bench.yaml", Migrations.load());
  }

  // ---- the whole lifecycle ------------------------------------------------------------------

  record Lifecycle(double seconds, double dispatchToLastPushed) {}

  private Lifecycle lifecycle(Path engineRoot) throws Exception {
    long engineStart = System.nanoTime();
    EngineSettings settings = EngineSettings.defaults().withRecheckInterval(POLL_INTERVAL);
    try (TestEngine engine = TestEngine.builder(engineRoot).threads(threads).settings(settings).build()) {
      System.out.printf(Locale.ROOT, "  %-40s %6.1fs%n", "engine start (embedded PostgreSQL)", (System.nanoTime() - engineStart) / 1e9);
      return drive(engine.controller(), engine.jdbc());
    }
  }

  private Lifecycle drive(Controller controller, Jdbc jdbc) throws InterruptedException {
    long start = System.nanoTime();
    controller.discover();
    String yaml = CAMPAIGN_YAML.formatted(CAMPAIGN, 10);
    controller.applyCampaign(CampaignParser.parse(yaml, "bench.yaml", Migrations.load()), yaml, "bench");
    long deadline = start + LIFECYCLE_TIMEOUT.toNanos();
    int ticks = 0;
    long tickNanos = 0;
    long merged = 0;
    while (merged < size) {
      if (System.nanoTime() > deadline) {
        throw new FlotillaException("only " + merged + " of " + size + " changesets merged in " + LIFECYCLE_TIMEOUT + "; states: " + states(jdbc));
      }
      long t = System.nanoTime();
      controller.tick();
      tickNanos += System.nanoTime() - t;
      ticks++;
      merged = jdbc.count("SELECT count(*) FROM changeset WHERE campaign = ? AND state = 'MERGED'", CAMPAIGN);
      long stuck = jdbc.count(
          "SELECT count(*) FROM changeset WHERE campaign = ? AND state IN ('FAILED', 'CI_FAILED', 'SKIPPED', 'NO_CHANGE', 'NOT_APPLICABLE', 'CLOSED', 'MODIFIED')",
          CAMPAIGN);
      if (stuck > 0) {
        throw new FlotillaException(stuck + " changesets can no longer merge; states: " + states(jdbc));
      }
      if (merged < size) {
        Thread.sleep(TICK_PAUSE.toMillis());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "  %-40s %6d (mean %.0f ms)%n", "ticks", ticks, tickNanos / 1e6 / ticks);
    phases(jdbc);
    Instant firstDispatch = jdbc.queryOne("SELECT min(at) AS at FROM changeset_event WHERE to_state = 'RUNNING'", rs -> Jdbc.instant(rs, "at")).orElseThrow();
    Instant lastPushed = jdbc.queryOne("SELECT max(at) AS at FROM changeset_event WHERE to_state = 'PUSHED'", rs -> Jdbc.instant(rs, "at")).orElseThrow();
    return new Lifecycle(seconds, Duration.between(firstDispatch, lastPushed).toMillis() / 1e3);
  }

  /** Mean time a changeset spent in each state on its way to MERGED, to see where the time goes. */
  private static void phases(Jdbc jdbc) {
    List<String> rows = jdbc.query(
        "SELECT from_state, count(*) AS n, avg(extract(epoch FROM dur)) AS mean, max(extract(epoch FROM dur)) AS worst FROM ("
            + " SELECT from_state, at - lag(at) OVER (PARTITION BY changeset_id ORDER BY id) AS dur FROM changeset_event"
            + ") e WHERE from_state IS NOT NULL AND dur IS NOT NULL GROUP BY from_state ORDER BY mean DESC",
        rs -> String.format(Locale.ROOT, "  in %-37s mean %5.1fs  max %5.1fs  (%d)",
            rs.getString("from_state"), rs.getDouble("mean"), rs.getDouble("worst"), rs.getLong("n")));
    rows.forEach(System.out::println);
  }

  private static String states(Jdbc jdbc) {
    return String.join(", ", jdbc.query(
        "SELECT state || ' ' || count(*) AS s FROM changeset WHERE campaign = ? GROUP BY state ORDER BY state",
        rs -> rs.getString("s"), CAMPAIGN));
  }

  // ---- measuring ----------------------------------------------------------------------------

  @FunctionalInterface
  interface Step<T> {
    T call() throws Exception;
  }

  @FunctionalInterface
  interface VoidStep {
    void call() throws Exception;
  }

  private static <T> T timed(String what, Step<T> step) throws Exception {
    long start = System.nanoTime();
    T result = step.call();
    System.out.printf(Locale.ROOT, "  %-40s %6.1fs%n", what, (System.nanoTime() - start) / 1e9);
    return result;
  }

  private static double seconds(VoidStep step) throws Exception {
    long start = System.nanoTime();
    step.call();
    return (System.nanoTime() - start) / 1e9;
  }

  /** The peak resident set of this JVM, from the kernel's own high-water mark. */
  static long vmHwmKb() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    try (Stream<String> lines = Files.lines(status)) {
      return lines.filter(l -> l.startsWith("VmHWM:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElse(-1L);
    }
  }

  /** The 1, 5 and 15 minute load averages, or "?" where the kernel does not say. */
  static String loadAverage() throws IOException {
    Path loadavg = Path.of("/proc/loadavg");
    if (!Files.exists(loadavg)) {
      return "?";
    }
    String[] fields = Files.readString(loadavg).trim().split("\\s+");
    return String.join(" ", fields[0], fields[1], fields[2]);
  }

  /** Samples heap use often enough to see the peak between two collections. */
  static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread = new Thread(this::sample, "heap-sampler");

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    private void sample() {
      var memory = ManagementFactory.getMemoryMXBean();
      while (running) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    long peak() {
      return peak.get();
    }
  }

  /**
   * Only warnings of the engine. JGit's own errors are off: every clone it makes schedules a
   * background auto-gc holding {@code .git/gc.log.lock}, which races with deleting the clone and
   * logs a stack trace each time (the folders are under the script's temporary folder, removed
   * after the run).
   */
  private static void quietLogs() {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.flotilla")).setLevel(Level.WARN);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.eclipse.jgit")).setLevel(Level.OFF);
    // The same race makes the CI's clean-up warn that it could not delete a checkout.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LocalCi.class)).setLevel(Level.ERROR);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
