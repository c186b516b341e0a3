package dev.flotilla.controller.engine;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.forge.github.ApiCallCounter;
import dev.flotilla.controller.forge.github.GitHubForge;
import dev.flotilla.controller.forge.github.GitHubWebhookHandler;
import dev.flotilla.controller.forge.github.sim.GitHubSim;
import dev.flotilla.controller.forge.github.sim.SimApp;
import dev.flotilla.controller.forge.github.sim.SimRepo;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.WebhookDeliveries;
import dev.flotilla.migration.Migrations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A fleet of tiny repositories on the {@link GitHubSim} and the whole engine migrating it, as the
 * server runs: controller, dispatcher, local executor with the real runner pushing over smart HTTP
 * with run tokens, the reconciler, and webhooks the simulator signs and delivers to the engine's
 * webhook endpoint. One campaign writes one small file ({@code ensure-file}) in every repository.
 *
 * <p>Repository {@code i} (counting from 0) needs a review that never comes when {@code i % 10 == 5}
 * (one in ten) and fails CI when {@code i % 50 == 7} (one in fifty); the rest merge. Every repository
 * requires the {@code ci} check on {@code main} and deletes head branches after a merge itself.
 *
 * <p>{@link Settings#scale} compresses time: GitHub's limit windows, its {@code Retry-After}, the CI
 * duration and the engine's recheck interval all shrink by that one factor, so an hour of GitHub runs
 * in {@code 1/scale} of an hour. Measured times are multiplied back by it.
 */
final class GitHubFleet implements AutoCloseable {

  static final String OWNER = "acme";
  static final String CAMPAIGN = "fleet";
  static final String BRANCH = "flotilla/" + CAMPAIGN;
  static final String FILE = "FLEET.md";
  static final String OPT_IN = "enabled: true\nautomerge: true\n";
  static final String GREEN_CI = "#!/bin/sh\nexit 0\n";
  static final String RED_CI = "#!/bin/sh\necho 'FleetTest > holds FAILED'\nexit 1\n";
  /** Changesets still on their way; any other state is where a changeset of this fleet ends. */
  static final Set<ChangesetState> MOVING = EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING, ChangesetState.PUSHED,
      ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT);
  /**
   * What GitHub counts as creating content: every mutating REST request but minting an installation
   * token. GraphQL mutations would count too; this fleet sends none (no merge queue).
   */
  static final Set<String> NOT_CONTENT = Set.of("POST /app/installations/{installation_id}/access_tokens", "POST /graphql");

  /**
   * The run's knobs.
   *
   * @param repos repositories in the fleet
   * @param scale how much faster than GitHub's clock the run goes (1: real time)
   * @param ci how long CI takes after each push, in GitHub's time
   * @param recheck the engine's recheck interval, in GitHub's time
   * @param latencyLeast the least time the simulator takes to answer a request (not scaled: a network's)
   * @param latencyMost the most time it takes
   * @param threads runs the local executor runs at once
   */
  record Settings(int repos, double scale, Duration ci, Duration recheck, Duration latencyLeast, Duration latencyMost, int threads) {
    static Settings of(int repos) {
      return new Settings(repos, 1, Duration.ofMillis(300), EngineSettings.defaults().recheckInterval(), Duration.ZERO, Duration.ZERO, 2);
    }

    Settings scale(double factor) {
      return new Settings(repos, factor, ci, recheck, latencyLeast, latencyMost, threads);
    }

    Settings ci(Duration duration) {
      return new Settings(repos, scale, duration, recheck, latencyLeast, latencyMost, threads);
    }

    Settings latency(Duration least, Duration most) {
      return new Settings(repos, scale, ci, recheck, least, most, threads);
    }

    Settings threads(int count) {
      return new Settings(repos, scale, ci, recheck, latencyLeast, latencyMost, count);
    }

    /** A duration of GitHub's time as it passes in this run. */
    Duration compressed(Duration github) {
      return Duration.ofNanos(Math.round(github.toNanos() / scale));
    }
  }

  /** What one repository is made to do. */
  enum Kind {
    MERGES,
    AWAITS_REVIEW,
    FAILS_CI;

    static Kind of(int index) {
      if (index % 10 == 5) {
        return AWAITS_REVIEW;
      }
      return index % 50 == 7 ? FAILS_CI : MERGES;
    }
  }

  final Settings settings;
  final GitHubSim sim;
  final GitHubForge github;
  final TestEngine engine;
  final Controller controller;
  private final HttpServer webhooks;
  private final ForgeEventQueue events;
  private final Migrations migrations = Migrations.load();

  GitHubFleet(Path tmp, Settings settings) throws Exception {
    this.settings = settings;
    sim = GitHubSim.start(tmp.resolve("github"));
    sim.install(OWNER);
    sim.limits().compress(settings.scale());
    // An installation on an organisation with more than 20 repositories gets 50 requests an hour more
    // for each, up to 12,500 (REST and GraphQL alike).
    int budget = installationBudget(settings.repos());
    sim.limits().coreLimit = budget;
    sim.limits().graphqlLimit = budget;
    sim.ciDelay(settings.compressed(settings.ci()));
    java.util.stream.IntStream.range(0, settings.repos()).parallel().forEach(this::createRepo);
    // The engine paces content creation over the same compressed minute and hour the simulator counts in.
    github = SimApp.forge(SimApp.config(sim, tmp.resolve("app"), List.of(OWNER)), ApiCallCounter.NONE)
        .contentWindows(settings.compressed(Duration.ofMinutes(1)), settings.compressed(Duration.ofHours(1)));
    engine = TestEngine.builder(tmp).threads(settings.threads()).forge(local -> github)
        .runEnvironment(request -> Map.of(GitHubForge.RUN_TOKEN_ENV, github.mintRunToken(request, migrations).orElseThrow()))
        .settings(EngineSettings.defaults().withRecheckInterval(settings.compressed(settings.recheck()))
            .withWatch(new WatchSettings(settings.compressed(WatchSettings.DEFAULTS.maxInterval()),
                settings.compressed(WatchSettings.DEFAULTS.withWebhooks()), settings.compressed(WatchSettings.DEFAULTS.webhookSilence()))))
        .build();
    controller = engine.controller();
    webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    events = new ForgeEventQueue(new ForgeEvents(controller), 10_000, 2, ForgeEventQueue.Observer.NONE, Clock.systemUTC());
    events.start();
    webhooks.createContext(GitHubWebhookHandler.PATH, new GitHubWebhookHandler(
        Secret.of(SimApp.WEBHOOK_SECRET), events, GitHubWebhookHandler.DEFAULT_MAX_BODY, new WebhookDeliveries(engine.jdbc()), Clock.systemUTC()));
    webhooks.start();
    // The latency starts once the fleet is written, so setting it up costs no time.
    sim.latency(settings.latencyLeast(), settings.latencyMost());
    sim.webhooks(URI.create("http://127.0.0.1:" + webhooks.getAddress().getPort() + GitHubWebhookHandler.PATH), SimApp.WEBHOOK_SECRET);
  }

  /** GitHub's primary budget for an App installation on an organisation with {@code repos} repositories. */
  static int installationBudget(int repos) {
    return Math.min(12_500, 5_000 + 50 * Math.max(0, repos - 20));
  }

  static String name(int index) {
    return "svc-%05d".formatted(index);
  }

  private void createRepo(int index) {
    Kind kind = Kind.of(index);
    SimRepo repo = sim.createRepo(OWNER, name(index), Map.of(
        ".flotilla.yaml", OPT_IN, "ci.sh", kind == Kind.FAILS_CI ? RED_CI : GREEN_CI, "README.md", "# " + name(index) + "\n"));
    repo.deleteBranchOnMerge = true;
    repo.protection = new SimRepo.Rules();
    repo.protection.requiredChecks.add("ci");
    if (kind == Kind.AWAITS_REVIEW) {
      repo.protection.requiredApprovals = 1;
    }
  }

  int expected(Kind kind) {
    int n = 0;
    for (int i = 0; i < settings.repos(); i++) {
      n += Kind.of(i) == kind ? 1 : 0;
    }
    return n;
  }

  /** Discovers the fleet and applies the campaign, as a person would with {@code flotilla apply}. */
  void startCampaign() {
    String yaml = """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: %s}
        spec:
          migration: ensure-file
          parameters: {path: %s, template: "This repository is part of the fleet.\\n"}
          automerge: true
          limits: {concurrentRuns: %d, pullRequestsPerHour: 1000000, openPullRequests: 1000000}
        """.formatted(CAMPAIGN, FILE, Math.max(10, settings.threads() * 4));
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(yaml, CAMPAIGN + ".yaml", migrations), yaml, "bench");
  }

  /** Ticks as the poll schedule does (every {@code every}) until {@code done} holds or {@code within} passes; false on the timeout. */
  boolean tickUntil(BooleanSupplier done, Duration every, Duration within) {
    Instant end = Instant.now().plus(within);
    while (Instant.now().isBefore(end)) {
      controller.tick();
      if (done.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /**
   * True when every repository has its changeset, none is on its way any more, and every one that can
   * merge has (a mergeable one on its way to the merge is MERGEABLE too, as are those awaiting review).
   */
  boolean settled() {
    Map<ChangesetState, Long> states = states();
    long all = states.values().stream().mapToLong(Long::longValue).sum();
    return all == settings.repos() && MOVING.stream().noneMatch(states::containsKey)
        && states.getOrDefault(ChangesetState.MERGED, 0L) >= expected(Kind.MERGES);
  }

  List<Changeset> changesets() {
    return controller.fleet().changesets().forCampaign(CAMPAIGN);
  }

  Map<ChangesetState, Long> states() {
    return new TreeMap<>(controller.fleet().changesets().countByState(CAMPAIGN));
  }

  long count(ChangesetState state) {
    return states().getOrDefault(state, 0L);
  }

  /** The requests that create content on GitHub, by endpoint. */
  Map<String, Integer> contentRequests() {
    Map<String, Integer> content = new TreeMap<>();
    sim.calls().forEach((endpoint, n) -> {
      if (!endpoint.startsWith("GET ") && !NOT_CONTENT.contains(endpoint)) {
        content.put(endpoint, n);
      }
    });
    return content;
  }

  int contentRequestCount() {
    return contentRequests().values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The fewest content requests the repositories' settings allow: a pull request for every pushed
   * changeset and a merge for every merged one. No labels or reviewers are configured, and every
   * repository deletes its head branch after a merge itself, so nothing else is needed.
   */
  long minimumContentRequests() {
    long pushed = changesets().stream().filter(c -> c.prNumber() != null).count();
    return pushed + count(ChangesetState.MERGED);
  }

  /** Makes every watched changeset due now, as if each recheck interval had passed; returns how many. */
  int makeWatchedDue(Instant now) {
    List<Changeset> watched = controller.fleet().changesets().inStates(Lifecycle.WATCHED);
    for (Changeset c : watched) {
      controller.fleet().changesets().update(c.id(), Changes.none().nextCheckAt(now), now);
    }
    return watched.size();
  }

  boolean anyDue(Instant at) {
    return !controller.fleet().changesets().due(Lifecycle.WATCHED, at, 1).isEmpty();
  }

  /** The commits {@code main} of repository {@code index} took after its first one, following first parents. */
  int commitsAfterTheFirst(int index) {
    try (Git git = Git.open(sim.repo(OWNER, name(index)).bare().toFile())) {
      int n = 0;
      RevCommit commit = git.log().add(git.getRepository().resolve("refs/heads/main")).setMaxCount(1).call().iterator().next();
      try (var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
        RevCommit at = walk.parseCommit(commit);
        while (at.getParentCount() > 0) {
          n++;
          at = walk.parseCommit(at.getParent(0));
        }
      }
      return n;
    } catch (IOException | org.eclipse.jgit.api.errors.GitAPIException e) {
      throw new IllegalStateException(name(index) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    sim.webhooks(null, null);
    webhooks.stop(0);
    events.close();
    engine.close();
    sim.close();
  }
}
