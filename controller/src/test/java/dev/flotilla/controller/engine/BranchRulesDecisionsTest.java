package dev.flotilla.controller.engine;

import static dev.flotilla.controller.engine.PullRequestRulesTest.HEAD;
import static dev.flotilla.controller.engine.PullRequestRulesTest.NOW;
import static dev.flotilla.controller.engine.PullRequestRulesTest.RECHECK;
import static dev.flotilla.controller.engine.PullRequestRulesTest.RULES;
import static dev.flotilla.controller.engine.PullRequestRulesTest.campaign;
import static dev.flotilla.controller.engine.PullRequestRulesTest.changeset;
import static dev.flotilla.controller.engine.PullRequestRulesTest.ci;
import static dev.flotilla.controller.engine.PullRequestRulesTest.open;
import static dev.flotilla.controller.engine.PullRequestRulesTest.pr;
import static dev.flotilla.controller.engine.PullRequestRulesTest.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.BranchRules;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeQueueStatus;
import dev.flotilla.controller.model.PullRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules for what a base branch demands: required checks, up-to-date heads, merge queues. */
class BranchRulesDecisionsTest {

  static final CiStatus GREEN = ci(CiStatus.State.SUCCESS);
  static final Instant LATER = NOW.plus(RECHECK);
  static final BranchRules STRICT = new BranchRules(List.of("build"), true, false, 0);
  static final BranchRules QUEUE = new BranchRules(List.of("build"), false, true, 0);

  static Step decide(PullRequest pr, CiStatus ci, BranchRules rules, MergeQueueStatus queue) {
    return decide(campaign(), ChangesetState.CI_PENDING, pr, ci, rules, queue);
  }

  static Step decide(Campaign campaign, ChangesetState state, PullRequest pr, CiStatus ci, BranchRules rules, MergeQueueStatus queue) {
    return RULES.decide(campaign, repo(), changeset(state), pr,
        new PullRequestRules.Lookups(Optional::empty, () -> ci, () -> rules, () -> queue, sha -> false, () -> List.of("ci")), NOW);
  }

  static PullRequest behind() {
    return pr(PullRequest.State.OPEN, PullRequest.Mergeable.BEHIND);
  }

  @Test
  void behindAStrictBaseWithGreenChecksUpdatesTheBranchAtTheHeadSeen() {
    assertThat(decide(behind(), GREEN, STRICT, MergeQueueStatus.NOT_QUEUED)).isEqualTo(new Step.UpdateBranch(HEAD,
        "all checks green; main requires branches to be up to date: merging main into the branch, then waiting for CI", GREEN, LATER));
  }

  @Test
  void behindAStrictBaseReRunsWhenTheCampaignRebuildsBranches() {
    Campaign rebuilds = new Campaign(new CampaignSpec("bump", "maven-dependency-version", Map.of(), null, true, false,
        null, null, Duration.ofDays(7)), CampaignStatus.ACTIVE, null, 0, Instant.EPOCH);

    assertThat(decide(rebuilds, ChangesetState.CI_PENDING, behind(), GREEN, STRICT, MergeQueueStatus.NOT_QUEUED))
        .isInstanceOf(Step.Rerun.class)
        .extracting(step -> ((Step.Rerun) step).reason()).asString().contains("requires branches to be up to date", "rebaseAfter");
  }

  @Test
  void behindABaseThatIsNotStrictMerges() {
    assertThat(decide(behind(), GREEN, BranchRules.NONE, MergeQueueStatus.NOT_QUEUED))
        .isEqualTo(new Step.Merge(MergeMethod.REBASE, HEAD, GREEN, LATER));
  }

  @Test
  void behindAStrictBaseWithChecksRunningWaitsForThemFirst() {
    assertThat(decide(behind(), ci(CiStatus.State.PENDING), STRICT, MergeQueueStatus.NOT_QUEUED))
        .isEqualTo(new Step.MoveTo(ChangesetState.CI_PENDING, "waiting for CI", ci(CiStatus.State.PENDING), LATER));
  }

  @Test
  void aMergeQueueRequiredEnqueuesInsteadOfMerging() {
    assertThat(decide(open(), GREEN, QUEUE, MergeQueueStatus.NOT_QUEUED)).isEqualTo(new Step.Enqueue(HEAD, GREEN, LATER));
  }

  @Test
  void queuedWaitsForTheQueue() {
    assertThat(decide(open(), GREEN, QUEUE, new MergeQueueStatus.Queued(2, "AWAITING_CHECKS"))).isEqualTo(new Step.MoveTo(
        ChangesetState.MERGEABLE, "in the merge queue of main (position 2, AWAITING_CHECKS); GitHub merges it when its merge group passes",
        GREEN, LATER));
  }

  @Test
  void removedFromTheQueueFailsWithTheReason() {
    Step step = decide(campaign(), ChangesetState.MERGEABLE, open(), GREEN, QUEUE,
        new MergeQueueStatus.Removed("The merge commit failed the required status check build"));

    assertThat(step).isInstanceOf(Step.MoveTo.class);
    Step.MoveTo move = (Step.MoveTo) step;
    assertThat(move.to()).isEqualTo(ChangesetState.CI_FAILED);
    assertThat(move.reason()).startsWith("removed from the merge queue of main: The merge commit failed the required status check build");
  }

  @Test
  void mergedByTheQueueIsMerged() {
    assertThat(decide(campaign(), ChangesetState.MERGEABLE, pr(PullRequest.State.MERGED, PullRequest.Mergeable.UNKNOWN), GREEN, QUEUE,
        new MergeQueueStatus.Queued(1, "MERGEABLE")))
        .isEqualTo(Step.MoveTo.of(ChangesetState.MERGED, "merged on the forge"));
  }

  @Test
  void aRulesetCheckThatHasNotReportedKeepsItPendingThoughEveryReportedCheckIsGreen() {
    BranchRules ruleset = new BranchRules(List.of("build", "security-scan"), false, false, 0);

    Step step = decide(open(), GREEN, ruleset, MergeQueueStatus.NOT_QUEUED);

    assertThat(step).isInstanceOf(Step.MoveTo.class);
    Step.MoveTo move = (Step.MoveTo) step;
    assertThat(move.to()).isEqualTo(ChangesetState.CI_PENDING);
    assertThat(move.ci().state()).isEqualTo(CiStatus.State.PENDING);
    assertThat(move.ci().checks()).extracting(CiStatus.Check::name).containsExactly("build", "security-scan");
  }

  @Test
  void aRulesetCheckStillRunningKeepsItPendingEvenWhenTheForgeSaidSuccess() {
    CiStatus saidGreen = new CiStatus(CiStatus.State.SUCCESS, List.of(
        new CiStatus.Check("build", CiStatus.State.SUCCESS, null, null),
        new CiStatus.Check("late", CiStatus.State.PENDING, null, null)));
    BranchRules ruleset = new BranchRules(List.of("late"), false, false, 0);

    assertThat(decide(open(), saidGreen, ruleset, MergeQueueStatus.NOT_QUEUED))
        .isInstanceOf(Step.MoveTo.class)
        .extracting(step -> ((Step.MoveTo) step).to()).isEqualTo(ChangesetState.CI_PENDING);
  }

  @Test
  void everyRequiredCheckGreenMerges() {
    assertThat(decide(open(), GREEN, new BranchRules(List.of("build"), false, false, 1), MergeQueueStatus.NOT_QUEUED))
        .isEqualTo(new Step.Merge(MergeMethod.REBASE, HEAD, GREEN, LATER));
  }

  @Test
  void blockedByProtectionWaitsWithoutTryingToMerge() {
    assertThat(decide(pr(PullRequest.State.OPEN, PullRequest.Mergeable.BLOCKED), GREEN,
        new BranchRules(List.of(), false, false, 1), MergeQueueStatus.NOT_QUEUED))
        .isEqualTo(new Step.MoveTo(ChangesetState.MERGEABLE,
            "ready; waiting for what main's protection or rulesets still require (1 approving review)", GREEN, LATER));
  }

  @Test
  void aHeadThatIsTheForgesUpdateFromTheBaseIsAdopted() {
    PullRequest updated = new PullRequest(12, "u", "flotilla/bump", "main", "ccccccc3333333", PullRequest.State.OPEN,
        PullRequest.Mergeable.MERGEABLE);

    Step step = RULES.decide(campaign(), repo(), changeset(ChangesetState.MERGEABLE), updated,
        new PullRequestRules.Lookups(Optional::empty, () -> GREEN, () -> STRICT, () -> MergeQueueStatus.NOT_QUEUED, HEAD::equals, () -> List.of("ci")), NOW);

    assertThat(step).isEqualTo(new Step.AdoptHead("ccccccc3333333", "brought up to date with main as ccccccc; waiting for CI on it"));
  }

  @Test
  void aHeadSomeoneElsePushedIsStillModified() {
    PullRequest pushed = new PullRequest(12, "u", "flotilla/bump", "main", "ccccccc3333333", PullRequest.State.OPEN,
        PullRequest.Mergeable.MERGEABLE);

    assertThat(RULES.decide(campaign(), repo(), changeset(ChangesetState.MERGEABLE), pushed,
        new PullRequestRules.Lookups(Optional::empty, () -> GREEN, () -> STRICT, () -> MergeQueueStatus.NOT_QUEUED, sha -> false, () -> List.of("ci")), NOW))
        .extracting(step -> ((Step.MoveTo) step).to()).isEqualTo(ChangesetState.MODIFIED);
  }
}
