package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.BranchRules;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeQueueStatus;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.RunRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler does what the branch rules decide, over the real store: updates a branch behind a
 * strict base and adopts the forge's merge commit, enqueues where a merge queue is required, follows
 * the queue to MERGED or CI_FAILED, and acts on each merge refusal.
 */
class BranchRulesReconcilerIT {

  static final Instant NOW = Instant.parse("2026-01-07T10:00:00Z");
  static final String HEAD = "1111111111111111111111111111111111111111";
  static final String UPDATED = "2222222222222222222222222222222222222222";
  static final RepositoryRef REF = new RepositoryRef("acme", "api", "main", "file:///acme/api", null);

  @TempDir static Path dataDir;
  static Database db;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 4);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  private final FakeForge forge = new FakeForge();
  private ChangesetReconciler reconciler;
  private ChangesetStore changesets;
  private long id;

  @BeforeEach
  void setUp() {
    Jdbc jdbc = new Jdbc(db.dataSource());
    jdbc.update("TRUNCATE changeset, repository, campaign CASCADE");
    EngineContext fleet = EngineContext.create(jdbc, forge, Migrations.of(List.of()), Clock.fixed(NOW, ZoneOffset.UTC),
        EngineSettings.defaults());
    reconciler = new ChangesetReconciler(fleet, event -> {});
    changesets = fleet.changesets();
    fleet.campaigns().apply(new CampaignSpec("bump", "m", Map.of(), null, true, false, null, null, null), "test", NOW);
    long repo = fleet.repositories().upsert(REF, OptInStatus.OPTED_IN,
        new OptIn(true, true, MergeMethod.SQUASH, null, List.of(), List.of(), List.of(), null), "enabled: true", null, NOW);
    id = changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", NOW).orElseThrow();
    changesets.transition(id, ChangesetState.RUNNING, By.ENGINE, Changes.none(), "test", "run", NOW);
    changesets.transition(id, ChangesetState.PUSHED, By.RUNNER, Changes.none().pushed(HEAD, 1, 1, 1), "test", "pushed", NOW);
    changesets.transition(id, ChangesetState.PR_OPEN, By.ENGINE, Changes.none().pullRequest(12, "https://forge/pr/12"), "test", "open", NOW);
  }

  private Changeset changeset() {
    return changesets.byId(id).orElseThrow();
  }

  @Test
  void updatesABranchBehindAStrictBaseAdoptsTheMergeCommitAndThenMerges() {
    forge.rules = new BranchRules(List.of("build"), true, false, 0);
    forge.mergeable = PullRequest.Mergeable.BEHIND;

    reconciler.reconcile(id);

    assertThat(forge.calls).containsExactly("updateBranch " + HEAD);
    assertThat(changeset().state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset().stateReason()).contains("requires branches to be up to date");

    // GitHub merged main into the branch: a new head whose first parent is Flotilla's push.
    forge.head = UPDATED;
    forge.mergeable = PullRequest.Mergeable.MERGEABLE;
    reconciler.reconcile(id);

    assertThat(changeset().lastPushedSha()).isEqualTo(UPDATED);
    assertThat(changeset().state()).isEqualTo(ChangesetState.MERGEABLE);

    reconciler.reconcile(id);

    assertThat(forge.calls).containsExactly("updateBranch " + HEAD, "merge " + UPDATED, "deleteBranch");
    assertThat(changeset().state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void enqueuesWhereAMergeQueueIsRequiredAndFollowsTheQueueToMerged() {
    forge.rules = new BranchRules(List.of(), false, true, 0);

    reconciler.reconcile(id);

    assertThat(forge.calls).containsExactly("enqueue " + HEAD);
    assertThat(changeset().state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset().stateReason()).contains("in the merge queue of main");

    forge.queue = new MergeQueueStatus.Queued(1, "AWAITING_CHECKS");
    reconciler.reconcile(id);
    assertThat(forge.calls).containsExactly("enqueue " + HEAD);

    forge.state = PullRequest.State.MERGED;
    reconciler.reconcile(id);
    assertThat(changeset().state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void removalFromTheQueueFailsTheChangesetWithTheQueuesReasonAndDoesNotEnqueueAgain() {
    forge.rules = new BranchRules(List.of(), false, true, 0);
    forge.queue = new MergeQueueStatus.Removed("The merge commit failed the required status check build");

    reconciler.reconcile(id);
    reconciler.reconcile(id);

    assertThat(changeset().state()).isEqualTo(ChangesetState.CI_FAILED);
    assertThat(changeset().stateReason()).contains("The merge commit failed the required status check build");
    assertThat(forge.calls).isEmpty();
  }

  @Test
  void aMergeRefusedForTheQueueEnqueues() {
    forge.mergeResult = new MergeResult.QueueRequired("Changes must be made through the merge queue");

    reconciler.reconcile(id);

    assertThat(forge.calls).containsExactly("merge " + HEAD, "enqueue " + HEAD);
    assertThat(changeset().stateReason()).contains("only through its merge queue");
  }

  @Test
  void aMergeRefusedAsOutOfDateUpdatesTheBranch() {
    forge.mergeResult = new MergeResult.OutOfDate("Head branch is out of date");

    reconciler.reconcile(id);

    assertThat(forge.calls).containsExactly("merge " + HEAD, "updateBranch " + HEAD);
  }

  @Test
  void aRefusalTheRulesDoNotKnowWaitsTenRechecks() {
    forge.mergeResult = new MergeResult.NotMergeable("Something new");

    reconciler.reconcile(id);

    assertThat(changeset().stateReason()).contains("Something new");
    assertThat(changesets.due(java.util.Set.of(ChangesetState.MERGEABLE), NOW.plusSeconds(299), 10)).isEmpty();
    assertThat(changesets.due(java.util.Set.of(ChangesetState.MERGEABLE), NOW.plusSeconds(301), 10)).hasSize(1);
  }

  /** A forge that answers as a GitHub repository with the rules set on it, and records what it was asked to do. */
  static final class FakeForge implements Forge {
    BranchRules rules = BranchRules.NONE;
    MergeQueueStatus queue = MergeQueueStatus.NOT_QUEUED;
    PullRequest.Mergeable mergeable = PullRequest.Mergeable.MERGEABLE;
    PullRequest.State state = PullRequest.State.OPEN;
    MergeResult mergeResult;
    String head = HEAD;
    final List<String> calls = new ArrayList<>();

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public List<RepositoryRef> listRepositories() {
      return List.of(REF);
    }

    @Override
    public Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> repositories) {
      return Map.of();
    }

    @Override
    public RunRequest.Credential runCredential(RepositoryRef repository) {
      return RunRequest.Credential.NONE;
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch) {
      return Optional.of(getPullRequest(repository, 12));
    }

    @Override
    public PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec) {
      return getPullRequest(repository, 12);
    }

    @Override
    public PullRequest getPullRequest(RepositoryRef repository, int number) {
      return new PullRequest(number, "https://forge/pr/12", "flotilla/bump", "main", head, state, mergeable);
    }

    @Override
    public void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec) {}

    @Override
    public void closePullRequest(RepositoryRef repository, int number, String comment) {}

    @Override
    public CiStatus ciStatus(RepositoryRef repository, String headSha) {
      return new CiStatus(CiStatus.State.SUCCESS, List.of(new CiStatus.Check("build", CiStatus.State.SUCCESS, null, null)));
    }

    @Override
    public MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method) {
      calls.add("merge " + expectedHeadSha);
      return mergeResult == null ? new MergeResult.Merged("3333333333333333333333333333333333333333") : mergeResult;
    }

    @Override
    public void deleteBranch(RepositoryRef repository, String branch) {
      calls.add("deleteBranch");
    }

    @Override
    public java.util.List<String> requiredChecks(RepositoryRef repository) {
      // A repository that lets Flotilla merge requires a check; without one nothing would merge.
      return java.util.List.of("ci");
    }

    @Override
    public BranchRules branchRules(RepositoryRef repository, String branch) {
      return rules;
    }

    @Override
    public void updateBranch(RepositoryRef repository, int number, String expectedHeadSha) {
      calls.add("updateBranch " + expectedHeadSha);
    }

    @Override
    public boolean isUpdateFromBase(RepositoryRef repository, String headSha, String previousHeadSha) {
      return UPDATED.equals(headSha) && HEAD.equals(previousHeadSha);
    }

    @Override
    public MergeQueueStatus mergeQueueStatus(RepositoryRef repository, int number) {
      return queue;
    }

    @Override
    public void enqueue(RepositoryRef repository, int number, String expectedHeadSha) {
      calls.add("enqueue " + expectedHeadSha);
    }
  }
}
