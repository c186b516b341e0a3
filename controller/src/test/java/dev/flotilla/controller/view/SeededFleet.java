package dev.flotilla.controller.view;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineObserver;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.EngineContext;
import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.RepositoryStore;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.RunRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small fleet written through the real stores, with history at known instants, so every figure the
 * dashboard shows can be worked out by hand:
 *
 * <pre>
 * campaign jackson (created NOW-20d)          campaign checkout (created NOW-1d)
 *   acme/alpha      MERGED   NOW-2d             acme/alpha  PENDING
 *   acme/bravo      FAILED   "CLONE: repository not found"   acme/bravo  NO_CHANGE
 *   acme/charlie    CI_FAILED (PR, ci FAILURE)
 *   acme/delta      PR_OPEN  since NOW-10d
 *   payments/echo   CONFLICT
 *   payments/fox    PENDING
 *   payments/golf   MERGED   NOW-10d
 *   acme/broken     SKIPPED: invalid .flotilla.yaml  (shown as INVALID_CONFIG)
 * </pre>
 */
final class SeededFleet {

  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final String FORGE = "test";

  final Jdbc jdbc;
  final RepositoryStore repositories;
  final CampaignStore campaigns;
  final ChangesetStore changesets;
  final Map<String, Long> ids = new java.util.HashMap<>();

  SeededFleet(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.repositories = new RepositoryStore(jdbc, FORGE);
    this.campaigns = new CampaignStore(jdbc);
    this.changesets = new ChangesetStore(jdbc);
  }

  static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  static void truncate(Jdbc jdbc) {
    jdbc.update("TRUNCATE audit_event, changeset_event, changeset, campaign, repository CASCADE");
  }

  SeededFleet seed() {
    campaign("jackson", days(20));
    long alpha = repo("acme", "alpha", OptInStatus.OPTED_IN, null);
    long bravo = repo("acme", "bravo", OptInStatus.OPTED_IN, null);
    long charlie = repo("acme", "charlie", OptInStatus.OPTED_IN, null);
    long delta = repo("acme", "delta", OptInStatus.OPTED_IN, null);
    long echo = repo("payments", "echo", OptInStatus.OPTED_IN, null);
    long fox = repo("payments", "fox", OptInStatus.OPTED_IN, null);
    long golf = repo("payments", "golf", OptInStatus.OPTED_IN, null);
    long broken = repo("acme", "broken", OptInStatus.INVALID_CONFIG, "line 3: unknown key 'automerg'");

    Instant planned = days(15);
    merged("jackson", alpha, planned, days(2));
    long b = plan("jackson", bravo, planned);
    walk(b, days(3), Changes.none().error("CLONE: repository not found"), ChangesetState.RUNNING, ChangesetState.FAILED);
    long c = plan("jackson", charlie, planned);
    walk(c, days(4), Changes.none().pullRequest(3, "https://forge.test/acme/charlie/pull/3"), ChangesetState.RUNNING,
        ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING);
    walk(c, days(1), Changes.none().ci("FAILURE", null).error("CI failed: build"), ChangesetState.CI_FAILED);
    long d = plan("jackson", delta, planned);
    walk(d, days(10), Changes.none().pullRequest(4, "https://forge.test/acme/delta/pull/4"), ChangesetState.RUNNING,
        ChangesetState.PUSHED, ChangesetState.PR_OPEN);
    long e = plan("jackson", echo, planned);
    walk(e, days(5), Changes.none().pullRequest(5, "https://forge.test/payments/echo/pull/5"), ChangesetState.RUNNING,
        ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CONFLICT);
    plan("jackson", fox, planned);
    merged("jackson", golf, planned, days(10));
    changesets.createIfAbsent("jackson", broken, ChangesetState.SKIPPED, "invalid .flotilla.yaml: line 3: unknown key 'automerg'",
        0, "planner", planned);
    ids.put("jackson/acme/bravo", b);
    ids.put("jackson/acme/charlie", c);
    ids.put("jackson/acme/delta", d);
    ids.put("jackson/payments/echo", e);

    campaign("checkout", days(1));
    ids.put("checkout/acme/alpha", plan("checkout", alpha, days(1)));
    long nc = plan("checkout", bravo, days(1));
    walk(nc, NOW.minus(Duration.ofHours(20)), Changes.none(), ChangesetState.RUNNING, ChangesetState.NO_CHANGE);
    return this;
  }

  static Instant days(int ago) {
    return NOW.minus(Duration.ofDays(ago));
  }

  void campaign(String name, Instant at) {
    campaigns.apply(new CampaignSpec(name, "maven-dependency-version", Map.of(), null, true, false, null, null, null), "test", at);
  }

  long repo(String owner, String name, OptInStatus status, String error) {
    long id = repositories.upsert(new RepositoryRef(owner, name, "main", "file:///" + owner + "/" + name,
        "https://forge.test/" + owner + "/" + name), status, null, status == OptInStatus.INVALID_CONFIG ? "automerg: true\n" : "enabled: true\n",
        error, NOW.minus(Duration.ofDays(30)));
    ids.put(owner + "/" + name, id);
    return id;
  }

  long plan(String campaign, long repository, Instant at) {
    return changesets.createIfAbsent(campaign, repository, ChangesetState.PENDING, "planned", 0, "planner", at).orElseThrow();
  }

  private void merged(String campaign, long repository, Instant planned, Instant mergedAt) {
    long id = plan(campaign, repository, planned);
    walk(id, mergedAt.minus(Duration.ofHours(1)), Changes.none().pullRequest(null, "https://forge.test/pr/" + id).ci("SUCCESS", null),
        ChangesetState.RUNNING, ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.MERGEABLE);
    walk(id, mergedAt, Changes.none(), ChangesetState.MERGED);
  }

  /** Moves a changeset through {@code states}, one second apart, the last at {@code at}. */
  void walk(long id, Instant at, Changes lastChanges, ChangesetState... states) {
    for (int i = 0; i < states.length; i++) {
      ChangesetState from = changesets.byId(id).orElseThrow().state();
      boolean last = i == states.length - 1;
      Instant when = at.minusSeconds(states.length - 1 - i);
      ChangesetState to = states[i];
      By by = Lifecycle.table().stream().filter(t -> t.to() == to && t.from().contains(from)).map(Lifecycle.Transition::by)
          .findFirst().orElseThrow(() -> new IllegalStateException("the lifecycle has no move from " + from + " to " + to));
      if (!changesets.transition(id, from, to, by, last ? lastChanges : Changes.none(), "test", "to " + to, when)) {
        throw new IllegalStateException("could not move changeset " + id + " from " + from + " to " + states[i]);
      }
    }
  }

  long id(String key) {
    return ids.get(key);
  }

  /** A controller over this store whose forge lists {@code listed} and which never runs anything. */
  Controller controller(List<RepositoryRef> listed, EngineObserver observer) {
    EngineContext fleet = EngineContext.create(jdbc, new ListingForge(listed), Migrations.of(List.of()), clock(), EngineSettings.defaults());
    return new Controller(fleet, new IdleExecutor(), observer);
  }

  /** A forge that lists repositories and their opt-in files; the dashboard tests need nothing else from it. */
  static final class ListingForge implements Forge {
    private final List<RepositoryRef> listed;

    ListingForge(List<RepositoryRef> listed) {
      this.listed = new CopyOnWriteArrayList<>(listed);
    }

    @Override
    public String name() {
      return FORGE;
    }

    @Override
    public List<RepositoryRef> listRepositories() {
      return new ArrayList<>(listed);
    }

    @Override
    public Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> repositories) {
      Map<RepositoryRef, String> files = new java.util.HashMap<>();
      repositories.forEach(r -> files.put(r, "enabled: true\n"));
      return files;
    }

    @Override
    public RunRequest.Credential runCredential(RepositoryRef repository) {
      return RunRequest.Credential.NONE;
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch) {
      throw unsupported();
    }

    @Override
    public PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec) {
      throw unsupported();
    }

    @Override
    public PullRequest getPullRequest(RepositoryRef repository, int number) {
      throw unsupported();
    }

    @Override
    public void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec) {
      throw unsupported();
    }

    @Override
    public void closePullRequest(RepositoryRef repository, int number, String comment) {
      throw unsupported();
    }

    @Override
    public java.util.List<String> requiredChecks(RepositoryRef repository) {
      throw unsupported();
    }

    @Override
    public CiStatus ciStatus(RepositoryRef repository, String headSha) {
      throw unsupported();
    }

    @Override
    public MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method) {
      throw unsupported();
    }

    @Override
    public void deleteBranch(RepositoryRef repository, String branch) {
      throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
      return new UnsupportedOperationException("the dashboard tests never reach pull requests");
    }
  }

  /** The dashboard tests drive state through the store; nothing is ever run. */
  static final class IdleExecutor implements Executor {
    @Override
    public void start(RunListener listener) {}

    @Override
    public void submit(String runId, RunRequest request) {
      throw new UnsupportedOperationException("the dashboard tests never dispatch runs");
    }

    @Override
    public int inFlight() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
