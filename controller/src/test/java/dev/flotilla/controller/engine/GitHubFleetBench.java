package dev.flotilla.controller.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.flotilla.controller.model.ChangesetState;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * One campaign over a fleet on the stateful GitHub simulator with GitHub's limits enforced and 50 to
 * 100 ms per request, driven by the whole engine ({@link GitHubFleet}); run by {@code bench/github-fleet},
 * whose header says what each figure means. Arguments: repositories (default 5000) and the time scale
 * (default 60: an hour of GitHub in a minute). Exits 1 when the campaign does not settle.
 */
public final class GitHubFleetBench {

  static final Duration CI = Duration.ofMinutes(5);
  static final Duration WATCH_WINDOW = Duration.ofHours(1);
  static final Duration TICK = Duration.ofMillis(100);
  static final int RUNNER_THREADS = 8;
  static final Duration PROGRESS_EVERY = Duration.ofSeconds(20);

  private GitHubFleetBench() {}

  /** A line on the way (to standard error, so the figures stay at the end): states, requests, and what most changesets wait for. */
  private static void progress(GitHubFleet fleet, long start, double scale, Map<ChangesetState, Long> states) {
    Duration run = Duration.ofNanos(System.nanoTime() - start);
    Map<String, Long> reasons = new TreeMap<>();
    fleet.changesets().stream()
        .filter(c -> c.state() != ChangesetState.MERGED && c.stateReason() != null)
        .forEach(c -> reasons.merge(c.stateReason().replaceAll("\\d+", "N"), 1L, Long::sum));
    String top = reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
        .map(e -> e.getValue() + "x \"" + e.getKey() + "\"").collect(java.util.stream.Collectors.joining("; "));
    System.err.printf(Locale.ROOT, "  %s run (%s of GitHub's): %s; %d requests, %d content; waiting: %s%n",
        round(run), round(Duration.ofNanos(Math.round(run.toNanos() * scale))), states, fleet.sim.totalCalls(),
        fleet.contentRequestCount(), top);
  }

  public static void main(String[] args) throws Exception {
    int repos = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    double scale = args.length > 1 ? Double.parseDouble(args[1]) : 60;
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    ((Logger) LoggerFactory.getLogger("dev.flotilla")).setLevel(Level.ERROR);
    AtomicLong peakHeap = new AtomicLong();
    Thread sampler = heapSampler(peakHeap);

    GitHubFleet.Settings settings = GitHubFleet.Settings.of(repos).scale(scale).ci(CI)
        .latency(Duration.ofMillis(50), Duration.ofMillis(100)).threads(RUNNER_THREADS);
    System.out.printf(Locale.ROOT, "time scale: %.0fx (one hour of GitHub's limits, CI and the engine's intervals in %s of the run)%n",
        scale, settings.compressed(Duration.ofHours(1)));
    System.out.printf(Locale.ROOT, "fleet: %d repositories, CI %s, recheck %s, 50-100 ms a request, %d runs at once, budget %d requests/h%n",
        repos, CI, settings.recheck(), RUNNER_THREADS, GitHubFleet.installationBudget(repos));
    Path tmp = Files.createTempDirectory("flotilla-github-fleet");
    long writing = System.nanoTime();
    try (GitHubFleet fleet = new GitHubFleet(tmp, settings)) {
      System.out.printf(Locale.ROOT, "fleet written in %.1f s%n", seconds(System.nanoTime() - writing));
      int mergeable = fleet.expected(GitHubFleet.Kind.MERGES);

      long start = System.nanoTime();
      fleet.startCampaign();
      long[] allMerged = {0};
      long[] nextProgress = {System.nanoTime()};
      boolean settled = fleet.tickUntil(() -> {
        Map<ChangesetState, Long> states = fleet.states();
        if (System.nanoTime() >= nextProgress[0]) {
          nextProgress[0] = System.nanoTime() + PROGRESS_EVERY.toNanos();
          progress(fleet, start, scale, states);
        }
        // A run that failed (the runner's own failure, which a person retries) ends its changeset: the
        // bench waits for the others, and prints how many failed.
        long failed = states.getOrDefault(ChangesetState.FAILED, 0L);
        if (allMerged[0] == 0 && states.getOrDefault(ChangesetState.MERGED, 0L) + failed >= mergeable) {
          allMerged[0] = System.nanoTime();
        }
        return allMerged[0] != 0 && GitHubFleet.MOVING.stream().noneMatch(states::containsKey);
      }, TICK, settings.compressed(Duration.ofHours(4)).plus(Duration.ofSeconds(repos)));
      if (!settled) {
        System.out.println("the campaign did not settle: " + fleet.states());
        System.exit(1);
      }
      Duration run = Duration.ofNanos(System.nanoTime() - start);
      Duration toMerge = Duration.ofNanos(Math.round((allMerged[0] - start) * scale));
      Map<String, Integer> runCalls = fleet.sim.calls();
      int calls = fleet.sim.totalCalls();
      int content = fleet.contentRequestCount();
      long minimum = fleet.minimumContentRequests();
      long merged = fleet.count(ChangesetState.MERGED);
      int pulls = fleet.sim.calls("POST /repos/{owner}/{repo}/pulls");
      Duration best = bestTime(mergeable, CI, fleet.sim.limits().contentPerMinute, fleet.sim.limits().contentPerHour);

      // Watching: what the open pull requests (waiting for a review that never comes, or with failed CI) cost.
      long openPulls = openPulls(fleet);
      Map<String, Integer> before = fleet.sim.calls();
      fleet.tickUntil(() -> false, TICK, settings.compressed(WATCH_WINDOW));
      Map<String, Integer> watch = difference(fleet.sim.calls(), before);
      int watchCalls = watch.values().stream().mapToInt(Integer::intValue).sum();
      double watchPerHourFor10k = openPulls == 0 ? 0 : watchCalls * (3_600_000.0 / WATCH_WINDOW.toMillis()) * 10_000 / openPulls;

      // Reconciling: every watched changeset due at once, 50 ms a request.
      fleet.sim.latency(Duration.ofMillis(50));
      Instant due = Instant.now();
      int reconciled = fleet.makeWatchedDue(due);
      long reconcileStart = System.nanoTime();
      fleet.tickUntil(() -> !fleet.anyDue(due), Duration.ofMillis(1), Duration.ofMinutes(30));
      double throughput = reconciled / seconds(System.nanoTime() - reconcileStart);

      sampler.interrupt();
      System.out.printf(Locale.ROOT, "campaign: %s run, %s of GitHub's time; every mergeable changeset merged after %s (GitHub's time)%n",
          round(run), round(Duration.ofNanos(Math.round(run.toNanos() * scale))), round(toMerge));
      System.out.printf(Locale.ROOT, "states: %s; open pull requests left: %d%n", fleet.states(), openPulls);
      System.out.printf(Locale.ROOT, "best time the limits allow: %s (%d mergeable changesets, a pull request and a merge each, at %d a minute"
              + " and %d an hour, CI %s); pull requests asked for: %d%n",
          round(best), mergeable, fleet.sim.limits().contentPerMinute, fleet.sim.limits().contentPerHour, CI, pulls);
      table("requests during the campaign, by endpoint", runCalls);
      table("requests while watching " + openPulls + " open pull requests for " + WATCH_WINDOW + " of GitHub's time, by endpoint", watch);
      System.out.printf(Locale.ROOT, "content requests: %d (fewest the repositories' settings allow: %d); secondary limit hits: %d; primary: %d%n",
          content, minimum, fleet.sim.secondaryLimitHits(), fleet.sim.primaryLimitHits());
      System.out.printf(Locale.ROOT, "reconcile: %d changesets due at once reconciled at %.1f a second (50 ms a request)%n", reconciled, throughput);
      System.out.println();
      System.out.printf(Locale.ROOT,
          "github-fleet: repos=%d time_scale=%.0f calls_per_merged_changeset=%.2f content_requests_per_merged_changeset=%.2f"
              + " content_requests_min_per_merged_changeset=%.2f watch_calls_per_hour_for_10000_open_prs=%.0f secondary_limit_hits=%d"
              + " bound_ratio=%.2f reconcile_throughput=%.1f peak_heap_mb=%d%n",
          repos, scale, (double) calls / merged, (double) content / merged, (double) minimum / merged, watchPerHourFor10k,
          fleet.sim.secondaryLimitHits(), (double) toMerge.toMillis() / best.toMillis(), throughput, peakHeap.get() >> 20);
    } finally {
      deleteQuietly(tmp);
    }
    System.exit(0);
  }

  /**
   * The least time GitHub's content-creation limits allow to merge {@code mergeable} changesets when
   * each needs a pull request and, {@code ci} later, a merge: creations happen at whole minutes, at
   * most {@code perMinute} in one minute and {@code perHour} in any 60; merges that are ready go first,
   * then new pull requests (those that will merge; the rest can be opened afterwards). Returns the
   * minute of the last merge. The primary budget (5,000 to 12,500 an hour) allows many more requests
   * than 500 creations an hour need, so it never binds first.
   */
  static Duration bestTime(int mergeable, Duration ci, int perMinute, int perHour) {
    long ciMinutes = (ci.toSeconds() + 59) / 60;
    Map<Long, Integer> created = new HashMap<>();
    Map<Long, Integer> opened = new HashMap<>();
    int toOpen = mergeable;
    int merged = 0;
    long minute = 0;
    for (; merged < mergeable; minute++) {
      int inLastHour = 0;
      for (long m = Math.max(0, minute - 59); m < minute; m++) {
        inLastHour += created.getOrDefault(m, 0);
      }
      int room = Math.min(perMinute, perHour - inLastHour);
      int ready = 0;
      for (long m = 0; m <= minute - ciMinutes; m++) {
        ready += opened.getOrDefault(m, 0);
      }
      ready -= merged;
      int merges = Math.min(room, Math.max(0, ready));
      int opens = Math.min(room - merges, toOpen);
      merged += merges;
      toOpen -= opens;
      opened.put(minute, opens);
      created.put(minute, merges + opens);
    }
    return Duration.ofMinutes(minute - 1);
  }

  private static long openPulls(GitHubFleet fleet) {
    long open = 0;
    for (int i = 0; i < fleet.settings.repos(); i++) {
      open += fleet.sim.openPull(GitHubFleet.OWNER, GitHubFleet.name(i), GitHubFleet.BRANCH).isPresent() ? 1 : 0;
    }
    return open;
  }

  private static Map<String, Integer> difference(Map<String, Integer> after, Map<String, Integer> before) {
    Map<String, Integer> diff = new TreeMap<>();
    after.forEach((k, v) -> {
      int d = v - before.getOrDefault(k, 0);
      if (d > 0) {
        diff.put(k, d);
      }
    });
    return diff;
  }

  private static void table(String title, Map<String, Integer> calls) {
    System.out.println(title + ":");
    calls.forEach((endpoint, n) -> System.out.printf(Locale.ROOT, "  %8d  %s%n", n, endpoint));
    System.out.printf(Locale.ROOT, "  %8d  in all%n", calls.values().stream().mapToInt(Integer::intValue).sum());
  }

  private static Thread heapSampler(AtomicLong peak) {
    Thread t = new Thread(() -> {
      var memory = ManagementFactory.getMemoryMXBean();
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String round(Duration d) {
    return d.withNanos(0).toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static void deleteQuietly(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
