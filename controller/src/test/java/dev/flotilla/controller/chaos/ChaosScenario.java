package dev.flotilla.controller.chaos;

import dev.flotilla.FlotillaException;
import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.runner.RunRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
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
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * One chaos run: a demo fleet on the local forge and its {@code jackson-2-18} campaign, the
 * controller in its own JVM with faults injected into its forge calls and runs, killed with SIGKILL
 * at random moments and started again; its embedded PostgreSQL killed with SIGKILL at other
 * moments, for the controller's watchdog to start again. Failures that were injected are retried through the
 * dashboard API, as a person would. Once every repository reached the end the demo fleet says it
 * should, the forge and the store are checked for duplicate pull requests, lost changesets and
 * pull requests merged twice.
 */
final class ChaosScenario {

  static final String CAMPAIGN = "jackson-2-18";
  private static final String BRANCH = RunRequest.branchFor(CAMPAIGN);
  private static final Duration TICK = Duration.ofMillis(500);

  /**
   * The size of the fleet, how often to kill the controller, the seed of every random choice, the
   * fault rates, how often to kill the embedded PostgreSQL.
   */
  record Config(
      int repos, int kills, long seed, double forgeFaultRate, double runFaultRate, int localConcurrency,
      int storeKills, Duration timeLimit) {}

  /** What a chaos run found; {@link #line()} is the figures line of {@code bench/chaos}. */
  record Figures(
      int repos, int kills, int storeKills, long injectedFaults, long retried, long duplicates, long lost,
      long doubleMerges, long convergeSeconds, boolean converged) {

    boolean clean() {
      return converged && duplicates == 0 && lost == 0 && doubleMerges == 0;
    }

    String line() {
      return String.format("chaos: repos=%d kills=%d store_kills=%d injected_faults=%d duplicates=%d lost=%d double_merges=%d converge_seconds=%d%s",
          repos, kills, storeKills, injectedFaults, duplicates, lost, doubleMerges, convergeSeconds, converged ? "" : " (did not converge)");
    }
  }

  private final Config config;
  private final Path work;
  private final PrintStream out;
  private final Random random;
  private final String token = UUID.randomUUID().toString();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Path faultLog;
  private final Path data;
  private DemoFleet fleet;
  private Map<String, ChangesetState> expected;
  private int port;
  private Process controller;
  private int launches;
  private long retried;
  private Database store;

  private ChaosScenario(Config config, Path work, PrintStream out) {
    this.config = config;
    this.work = work;
    this.out = out;
    this.random = new Random(config.seed());
    this.faultLog = work.resolve("faults.log");
    this.data = work.resolve("data");
  }

  /** Runs the scenario in {@code work} (an empty folder), printing progress to {@code out}. */
  static Figures run(Config config, Path work, PrintStream out) throws Exception {
    ChaosScenario scenario = new ChaosScenario(config, work, out);
    try {
      return scenario.run();
    } finally {
      scenario.stop();
    }
  }

  private Figures run() throws Exception {
    Path campaigns = prepareFleet();
    List<Long> killMarks = killMarks(config.kills());
    List<Long> storeKillMarks = killMarks(config.storeKills());
    out.printf("chaos: %d repositories, %d opted in, kills when %s changesets have settled, PostgreSQL kills at %s, seed %d%n",
        config.repos(), expected.size(), killMarks, storeKillMarks, config.seed());
    port = freePort();
    long started = System.nanoTime();
    launch(campaigns);
    long deadline = started + config.timeLimit().toNanos();
    boolean converged = false;
    int kills = 0;
    int storeKills = 0;
    long lastReport = 0;
    while (System.nanoTime() < deadline) {
      sleep(TICK);
      if (!controller.isAlive()) {
        throw new FlotillaException("the controller exited on its own with " + controller.exitValue()
            + "; see " + work.resolve("controller-" + launches + ".log"));
      }
      Optional<Map<String, ChangesetState>> states = states();
      if (states.isEmpty()) {
        continue;
      }
      long settled = settled(states.get());
      retryInjectedFailures();
      if (kills < killMarks.size() && settled >= killMarks.get(kills)) {
        // A random moment after the mark, so kills land mid-run, mid-merge or mid-transaction alike.
        sleep(Duration.ofMillis(random.nextInt(1500)));
        kill();
        kills++;
        out.printf("chaos: kill -9 #%d at %d settled, %ds in%n", kills, settled, seconds(started));
        launch(campaigns);
        continue;
      }
      if (storeKills < storeKillMarks.size() && settled >= storeKillMarks.get(storeKills)) {
        sleep(Duration.ofMillis(random.nextInt(1500)));
        if (killStore()) {
          storeKills++;
          out.printf("chaos: PostgreSQL kill -9 #%d at %d settled, %ds in%n", storeKills, settled, seconds(started));
        }
        continue;
      }
      if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
        out.printf("chaos: %ds, %d/%d settled, %d injected faults, %d retried%n",
            seconds(started), settled, expected.size(), Faults.countIn(faultLog), retried);
        lastReport = System.nanoTime();
      }
      if (kills == killMarks.size() && storeKills == storeKillMarks.size() && settled == expected.size()) {
        converged = true;
        break;
      }
    }
    long convergeSeconds = seconds(started);
    Jdbc jdbc = jdbc().orElseThrow(() -> new FlotillaException("the store is not reachable after the run"));
    return new Figures(config.repos(), kills, storeKills, Faults.countIn(faultLog), retried, duplicates(jdbc), lost(jdbc),
        doubleMerges(), convergeSeconds, converged);
  }

  /** Writes the fleet and its campaign; the campaign runs wider than the demo's to keep the run short. */
  private Path prepareFleet() throws IOException {
    fleet = DemoFleet.create(Files.createDirectories(work.resolve("forge")), config.repos());
    expected = new HashMap<>();
    for (DemoFleet.DemoRepository repo : fleet.repositories()) {
      endState(repo.profile()).ifPresent(state -> expected.put(repo.fullName(), state));
    }
    Path all = DemoFleet.writeCampaigns(work.resolve("demo-campaigns")).get(0).getParent();
    Path campaigns = Files.createDirectories(work.resolve("campaigns"));
    String spec = Files.readString(all.resolve(CAMPAIGN + ".yaml")).replace("concurrentRuns: 8", "concurrentRuns: 16");
    Files.writeString(campaigns.resolve(CAMPAIGN + ".yaml"), spec);
    return campaigns;
  }

  /** Where the demo fleet says each kind of repository ends in the jackson campaign. */
  private static Optional<ChangesetState> endState(DemoFleet.Profile profile) {
    return switch (profile) {
      case AUTOMERGE, EXCLUDES_DOCKERFILE, AHEAD_OF_CHECKOUT, BREAKS_AFTER_MERGE -> Optional.of(ChangesetState.MERGED);
      case REVIEW -> Optional.of(ChangesetState.MERGEABLE);
      case CI_FAILS -> Optional.of(ChangesetState.CI_FAILED);
      case UP_TO_DATE -> Optional.of(ChangesetState.NO_CHANGE);
      case INVALID_CONFIG -> Optional.of(ChangesetState.SKIPPED);
      case NOT_OPTED_IN -> Optional.empty();
    };
  }

  /** The settled counts at which to kill: random, distinct, between a tenth and four fifths of the way. */
  private List<Long> killMarks(int count) {
    List<Long> marks = new ArrayList<>();
    int total = expected.size();
    for (int i = 0; i < count; i++) {
      double low = 0.1 + 0.7 * i / count;
      double high = 0.1 + 0.7 * (i + 1) / count;
      marks.add(Math.max(i + 1L, Math.round(total * (low + random.nextDouble() * (high - low)))));
    }
    return marks;
  }

  private void launch(Path campaigns) throws IOException {
    launches++;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(
        java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener", "-cp", System.getProperty("java.class.path"),
        ChaosController.class.getName()));
    Map<String, String> env = builder.environment();
    env.put("FLOTILLA_DATA_DIR", data.toString());
    env.put("FLOTILLA_LOCAL_FORGE_DIR", work.resolve("forge").toString());
    env.put("FLOTILLA_CAMPAIGNS_DIR", campaigns.toString());
    env.put("FLOTILLA_POLL_INTERVAL", "300ms");
    env.put("FLOTILLA_DISCOVERY_INTERVAL", "3s");
    env.put("FLOTILLA_DASHBOARD_PORT", Integer.toString(port));
    env.put("FLOTILLA_DASHBOARD_TOKEN", token);
    env.put("FLOTILLA_LOCAL_CONCURRENCY", Integer.toString(config.localConcurrency()));
    env.put("CHAOS_SEED", Long.toString(config.seed() * 1000 + launches));
    env.put("CHAOS_FAULT_LOG", faultLog.toString());
    env.put("CHAOS_FORGE_FAULT_RATE", Double.toString(config.forgeFaultRate()));
    env.put("CHAOS_RUN_FAULT_RATE", Double.toString(config.runFaultRate()));
    builder.redirectErrorStream(true).redirectOutput(work.resolve("controller-" + launches + ".log").toFile());
    controller = builder.start();
  }

  /**
   * Kills the embedded PostgreSQL's postmaster with SIGKILL, as the OOM killer or a slip of {@code
   * kill} would; the controller is to notice and start it again. False if it was not running.
   */
  private boolean killStore() throws IOException {
    Path pidFile = data.resolve("postgres").resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return false;
    }
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    closeStore();
    return ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
  }

  private void kill() throws InterruptedException {
    closeStore();
    controller.destroyForcibly();
    controller.waitFor();
  }

  /**
   * Sends every changeset that failed because of an injected fault back to run, one by one through
   * the dashboard API. Failures with any other reason are left alone: they would be real bugs.
   */
  private void retryInjectedFailures() {
    Optional<Jdbc> jdbc = jdbc();
    if (jdbc.isEmpty()) {
      return;
    }
    List<Long> failed;
    try {
      failed = jdbc.get().query("SELECT id FROM changeset WHERE campaign = ? AND state = 'FAILED' AND state_reason LIKE ?",
          rs -> rs.getLong(1), CAMPAIGN, "%" + Faults.MARK + "%");
    } catch (RuntimeException e) {
      closeStore();
      return;
    }
    for (long id : failed) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/changesets/" + id + "/retry"))
          .header("Authorization", "Bearer " + token)
          .timeout(Duration.ofSeconds(5))
          .POST(HttpRequest.BodyPublishers.noBody())
          .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          retried++;
        }
      } catch (IOException e) {
        // The dashboard is not up yet after a restart; the next tick asks again.
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Each repository's changeset state, by full name; empty while the store is not reachable. */
  private Optional<Map<String, ChangesetState>> states() {
    Optional<Jdbc> jdbc = jdbc();
    if (jdbc.isEmpty()) {
      return Optional.empty();
    }
    try {
      Map<String, ChangesetState> states = new HashMap<>();
      jdbc.get().query("SELECT r.owner || '/' || r.name, c.state FROM changeset c JOIN repository r ON r.id = c.repository_id"
              + " WHERE c.campaign = ?", rs -> states.put(rs.getString(1), ChangesetState.valueOf(rs.getString(2))), CAMPAIGN);
      return Optional.of(states);
    } catch (RuntimeException e) {
      closeStore();
      return Optional.empty();
    }
  }

  private long settled(Map<String, ChangesetState> states) {
    return expected.entrySet().stream().filter(e -> e.getValue() == states.get(e.getKey())).count();
  }

  /** Repositories with more than one pull request for the campaign branch, or more than one open. */
  private static long duplicates(Jdbc jdbc) {
    return jdbc.count("SELECT count(*) FROM (SELECT repository FROM local_pull_request WHERE branch = ? GROUP BY repository"
        + " HAVING count(*) > 1 OR count(*) FILTER (WHERE state = 'OPEN') > 1) d", BRANCH);
  }

  /** Opted-in repositories without exactly one changeset in the end state expected of them. */
  private long lost(Jdbc jdbc) {
    Map<String, List<ChangesetState>> found = new HashMap<>();
    jdbc.query("SELECT r.owner || '/' || r.name, c.state FROM changeset c JOIN repository r ON r.id = c.repository_id"
            + " WHERE c.campaign = ?",
        rs -> found.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(ChangesetState.valueOf(rs.getString(2))),
        CAMPAIGN);
    long lost = 0;
    for (var e : expected.entrySet()) {
      List<ChangesetState> states = found.getOrDefault(e.getKey(), List.of());
      if (states.size() != 1 || states.get(0) != e.getValue()) {
        out.printf("chaos: %s ended %s, expected %s%n", e.getKey(), states, e.getValue());
        lost++;
      }
    }
    long strays = found.keySet().stream().filter(name -> !expected.containsKey(name)).count();
    if (strays > 0) {
      out.printf("chaos: %d changesets for repositories that never opted in%n", strays);
    }
    return lost + strays;
  }

  /** Repositories whose default branch carries more than one merge commit for the same pull request. */
  private long doubleMerges() throws IOException, GitAPIException {
    long doubled = 0;
    for (DemoFleet.DemoRepository repo : fleet.repositories()) {
      Path bare = fleet.root().resolve(repo.owner()).resolve(repo.name() + ".git");
      Map<String, Integer> merges = new HashMap<>();
      try (Git git = Git.open(bare.toFile())) {
        var head = git.getRepository().resolve("refs/heads/" + repo.defaultBranch());
        for (RevCommit c : git.log().add(head).call()) {
          for (String line : c.getFullMessage().split("\n")) {
            if (line.startsWith("Flotilla-Pull-Request:")) {
              merges.merge(line.trim(), 1, Integer::sum);
            }
          }
        }
      }
      if (merges.values().stream().anyMatch(n -> n > 1) || merges.size() > 1) {
        out.printf("chaos: %s has merges %s%n", repo.fullName(), merges);
        doubled++;
      }
    }
    return doubled;
  }

  /**
   * The controller's store, opened once the controller says it is ready: opened any earlier, this
   * process could start the embedded PostgreSQL itself and lock the controller out of it.
   */
  private Optional<Jdbc> jdbc() {
    if (store == null) {
      if (!controllerReady()) {
        return Optional.empty();
      }
      try {
        // Attach only: while the controller starts its PostgreSQL again, this must not start one.
        store = Database.attachEmbedded(data, 2).orElse(null);
        if (store == null) {
          return Optional.empty();
        }
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.of(new Jdbc(store.dataSource()));
  }

  private boolean controllerReady() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void closeStore() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  private void stop() throws InterruptedException {
    closeStore();
    if (controller != null && controller.isAlive()) {
      controller.destroy();
      if (!controller.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        controller.destroyForcibly().waitFor();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static long seconds(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
  }

  private static void sleep(Duration pause) throws InterruptedException {
    Thread.sleep(pause.toMillis());
  }
}
