package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.MergeWindow;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSnapshot.Review;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.Repository;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pull request rule, with a fixed clock and no database or forge. */
class PullRequestRulesTest {

  /** A Wednesday, 10:00 UTC. */
  static final Instant NOW = Instant.parse("2026-01-07T10:00:00Z");
  static final Duration RECHECK = Duration.ofSeconds(30);
  static final String HEAD = "aaaaaaa1111111";
  static final PullRequestRules RULES = new PullRequestRules(RECHECK, 3);
  static final List<String> REQUIRED = List.of("build");
  static final String MERGE_SHA = "bbbbbbb2222222";

  static Campaign campaign(boolean automerge, boolean allowNoChecks, CampaignStatus status) {
    return new Campaign(new CampaignSpec("bump", "maven-dependency-version", Map.of(), null, automerge, allowNoChecks,
        null, null, null), status, null, 0, Instant.EPOCH);
  }

  static Campaign campaign() {
    return campaign(true, false, CampaignStatus.ACTIVE);
  }

  static Repository repo(boolean automerge, MergeWindow window) {
    OptIn optIn = new OptIn(true, automerge, MergeMethod.REBASE, window, List.of(), List.of(), List.of(), null);
    return new Repository(7, new RepositoryRef("acme", "api", "main", "file:///x/api", null), OptInStatus.OPTED_IN, optIn,
        "enabled: true", null);
  }

  static Repository repo() {
    return repo(true, null);
  }

  static Changeset changeset(ChangesetState state) {
    return new Changeset(1, "bump", 7, state, null, Instant.EPOCH, 0, 1, "cs1-a1", HEAD, 12, "https://forge/pr/12", null, null);
  }

  static PullRequest pr(PullRequest.State state, PullRequest.Mergeable mergeable) {
    return new PullRequest(12, "https://forge/pr/12", "flotilla/bump", "main", HEAD, state, mergeable);
  }

  static PullRequest open() {
    return pr(PullRequest.State.OPEN, PullRequest.Mergeable.MERGEABLE);
  }

  static CiStatus ci(CiStatus.State state) {
    return state == CiStatus.State.NONE ? CiStatus.none()
        : new CiStatus(state, List.of(new CiStatus.Check("build", state, null, "line one\nlast line")));
  }

  static final MergeWindow WEEKENDS = new MergeWindow(ZoneOffset.UTC, Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
      LocalTime.of(0, 0), LocalTime.of(23, 59));
  static final MergeWindow WEDNESDAY_MORNINGS = new MergeWindow(ZoneOffset.UTC, Set.of(DayOfWeek.WEDNESDAY),
      LocalTime.of(9, 0), LocalTime.of(12, 0));

  static Step decide(Campaign campaign, Repository repo, ChangesetState state, PullRequest pr, CiStatus ci) {
    return decide(campaign, repo, state, pr, ci, Optional.empty());
  }

  static Step decide(Campaign campaign, Repository repo, ChangesetState state, PullRequest pr, CiStatus ci, Optional<String> stale) {
    return RULES.decide(campaign, repo, changeset(state), pr, () -> stale, () -> ci, () -> REQUIRED, NOW);
  }

  static Step.MoveTo ciMove(ChangesetState to, String reason, CiStatus ci) {
    return new Step.MoveTo(to, reason, ci, NOW.plus(RECHECK));
  }

  static Stream<Arguments> rules() {
    CiStatus green = ci(CiStatus.State.SUCCESS);
    Step merge = new Step.Merge(MergeMethod.REBASE, HEAD, green, NOW.plus(RECHECK));
    return Stream.of(
        Arguments.of("green, automerge on both sides: merge with the repository's method at the head seen",
            decide(campaign(), repo(), ChangesetState.CI_PENDING, open(), green), merge),
        Arguments.of("merge window open",
            decide(campaign(), repo(true, WEDNESDAY_MORNINGS), ChangesetState.CI_PENDING, open(), green), merge),
        Arguments.of("merge window closed",
            decide(campaign(), repo(true, WEEKENDS), ChangesetState.CI_PENDING, open(), green),
            ciMove(ChangesetState.MERGEABLE, "ready; waiting for the merge window", green)),
        Arguments.of("the campaign does not automerge",
            decide(campaign(false, false, CampaignStatus.ACTIVE), repo(), ChangesetState.MERGEABLE, open(), green),
            ciMove(ChangesetState.MERGEABLE, "ready; waiting for review (the campaign does not automerge)", green)),
        Arguments.of("the repository does not allow automerge",
            decide(campaign(), repo(false, null), ChangesetState.MERGEABLE, open(), green),
            ciMove(ChangesetState.MERGEABLE,
                "ready; waiting for review (the repository's .flotilla.yaml does not allow automerge)", green)),
        Arguments.of("the campaign is paused",
            decide(campaign(true, false, CampaignStatus.PAUSED), repo(), ChangesetState.MERGEABLE, open(), green),
            ciMove(ChangesetState.MERGEABLE, "ready; waiting because the campaign is PAUSED", green)),
        Arguments.of("the forge still computes mergeability",
            decide(campaign(), repo(), ChangesetState.CI_PENDING, pr(PullRequest.State.OPEN, PullRequest.Mergeable.UNKNOWN), green),
            ciMove(ChangesetState.MERGEABLE, "ready; the forge is still computing whether it merges cleanly", green)),
        Arguments.of("checks still running",
            decide(campaign(), repo(), ChangesetState.PR_OPEN, open(), ci(CiStatus.State.PENDING)),
            ciMove(ChangesetState.CI_PENDING, "waiting for CI", ci(CiStatus.State.PENDING))),
        Arguments.of("no checks, and the campaign needs them",
            decide(campaign(), repo(), ChangesetState.PR_OPEN, open(), CiStatus.none()),
            ciMove(ChangesetState.CI_PENDING,
                "no checks reported on aaaaaaa; set allowNoChecks: true on the campaign to merge without CI", CiStatus.none())),
        Arguments.of("no checks, allowNoChecks",
            decide(campaign(true, true, CampaignStatus.ACTIVE), repo(), ChangesetState.PR_OPEN, open(), CiStatus.none()),
            new Step.Merge(MergeMethod.REBASE, HEAD, CiStatus.none(), NOW.plus(RECHECK))),
        Arguments.of("a check failed: its name and the last line of its summary",
            decide(campaign(), repo(), ChangesetState.CI_PENDING, open(), ci(CiStatus.State.FAILURE)),
            ciMove(ChangesetState.CI_FAILED, "CI failed: build (last line)", ci(CiStatus.State.FAILURE))),
        Arguments.of("conflict with the base",
            decide(campaign(), repo(), ChangesetState.MERGEABLE, pr(PullRequest.State.OPEN, PullRequest.Mergeable.CONFLICTING), green),
            new Step.Conflict("main")),
        Arguments.of("merged by a person",
            decide(campaign(), repo(), ChangesetState.MERGEABLE, pr(PullRequest.State.MERGED, PullRequest.Mergeable.MERGEABLE), green),
            Step.MoveTo.of(ChangesetState.MERGED, "merged on the forge")),
        Arguments.of("closed by a person, even when modified",
            decide(campaign(), repo(), ChangesetState.MODIFIED, pr(PullRequest.State.CLOSED, PullRequest.Mergeable.MERGEABLE), green),
            Step.MoveTo.of(ChangesetState.CLOSED, "pull request #12 was closed without merging; Flotilla will not reopen it")),
        Arguments.of("someone else pushed to the branch",
            decide(campaign(), repo(), ChangesetState.CI_PENDING,
                new PullRequest(12, "u", "flotilla/bump", "main", "bbbbbbb2222222", PullRequest.State.OPEN, PullRequest.Mergeable.MERGEABLE),
                green),
            Step.MoveTo.of(ChangesetState.MODIFIED, "someone pushed bbbbbbb to flotilla/bump; Flotilla leaves the branch alone")),
        Arguments.of("modified: only looked at again",
            decide(campaign(), repo(), ChangesetState.MODIFIED, open(), green), new Step.Wait(null, NOW.plus(RECHECK))),
        Arguments.of("older than rebaseAfter on a moved base: re-run",
            decide(campaign(), repo(), ChangesetState.MERGEABLE, open(), green, Optional.of("stale")), new Step.Rerun("stale")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void decides(String rule, Step decided, Step expected) {
    assertThat(decided).isEqualTo(expected);
  }

  @Test
  void readsNeitherBaseNorChecksOfAMergedPullRequest() {
    Step step = RULES.decide(campaign(), repo(), changeset(ChangesetState.CI_PENDING),
        pr(PullRequest.State.MERGED, PullRequest.Mergeable.UNKNOWN),
        () -> { throw new AssertionError("base read"); }, () -> { throw new AssertionError("checks read"); },
        () -> { throw new AssertionError("required checks read"); }, NOW);
    assertThat(step).isInstanceOf(Step.MoveTo.class);
  }

  @Test
  void readsNoChecksWhenTheBranchIsStale() {
    Step step = RULES.decide(campaign(), repo(), changeset(ChangesetState.CI_PENDING), open(),
        () -> Optional.of("stale"), () -> { throw new AssertionError("checks read"); },
        () -> { throw new AssertionError("required checks read"); }, NOW);
    assertThat(step).isEqualTo(new Step.Rerun("stale"));
  }

  @Test
  void refusesToMergeWhereTheForgeRequiresNoCheckAndSaysWhy() {
    Step step = RULES.decide(campaign(), repo(), changeset(ChangesetState.CI_PENDING), open(),
        Optional::empty, () -> ci(CiStatus.State.SUCCESS), List::of, NOW);

    assertThat(step).isInstanceOf(Step.MoveTo.class);
    Step.MoveTo held = (Step.MoveTo) step;
    assertThat(held.to()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(held.reason()).contains("acme/api requires no check on main").contains("allowNoChecks: true");
  }

  @Test
  void mergesWithoutRequiredChecksWhenTheCampaignAllowsIt() {
    Step step = RULES.decide(campaign(true, true, CampaignStatus.ACTIVE), repo(), changeset(ChangesetState.CI_PENDING), open(),
        Optional::empty, () -> ci(CiStatus.State.SUCCESS), List::of, NOW);

    assertThat(step).isInstanceOf(Step.Merge.class);
  }

  @Test
  void asksForRequiredChecksOnlyWhenAboutToMerge() {
    Step step = RULES.decide(campaign(), repo(true, WEEKENDS), changeset(ChangesetState.CI_PENDING), open(),
        Optional::empty, () -> ci(CiStatus.State.SUCCESS), () -> { throw new AssertionError("required checks read"); }, NOW);

    assertThat(((Step.MoveTo) step).reason()).isEqualTo("ready; waiting for the merge window");
  }

  @Test
  void aPullRequestThatWaitsForAReviewCostsNoReadOfTheRequiredChecks() {
    Step step = RULES.decide(campaign(), repo(), changeset(ChangesetState.MERGEABLE), pr(PullRequest.State.OPEN, PullRequest.Mergeable.BLOCKED),
        PullRequestRules.Lookups.of(Optional::empty, () -> ci(CiStatus.State.SUCCESS), () -> { throw new AssertionError("required checks read"); }),
        new PullRequestRules.Watch(Review.REVIEW_REQUIRED, NOW.minus(Duration.ofDays(1)), false), NOW);

    assertThat(((Step.MoveTo) step).reason()).startsWith("ready; waiting for what main's protection or rulesets still require");
  }

  static Changeset reverting(ChangesetState state) {
    return new Changeset(1, "bump", 7, state, null, Instant.EPOCH, 0, 1, "cs1-a1", HEAD, 13, "https://forge/pr/13", null, null,
        MERGE_SHA, null, MERGE_SHA);
  }

  @Test
  void aRevertMergesWhileTheCampaignIsHaltedAndEndsReverted() {
    Campaign halted = campaign(true, false, CampaignStatus.HALTED);

    assertThat(RULES.decide(halted, repo(), reverting(ChangesetState.CI_PENDING), open(), Optional::empty,
        () -> ci(CiStatus.State.SUCCESS), () -> REQUIRED, NOW)).isInstanceOf(Step.Merge.class);
    assertThat(RULES.decide(halted, repo(), changeset(ChangesetState.CI_PENDING), open(), Optional::empty,
        () -> ci(CiStatus.State.SUCCESS), () -> REQUIRED, NOW)).isInstanceOf(Step.MoveTo.class);
    assertThat(RULES.decide(halted, repo(), reverting(ChangesetState.MERGEABLE), pr(PullRequest.State.MERGED, PullRequest.Mergeable.MERGEABLE),
        Optional::empty, () -> ci(CiStatus.State.SUCCESS), () -> REQUIRED, NOW))
        .isEqualTo(Step.MoveTo.of(ChangesetState.REVERTED, "revert of bbbbbbb merged on the forge"));
  }

  static Changeset merged(Instant healthUntil) {
    return new Changeset(1, "bump", 7, ChangesetState.MERGED, null, Instant.EPOCH, 1, 1, "cs1-a1", HEAD, 12, "https://forge/pr/12",
        "SUCCESS", null, MERGE_SHA, healthUntil, null);
  }

  @Test
  void aFailureOnTheDefaultBranchAfterTheMergeIsAPostMergeFailureNamingTheCheckAndTheRevert() {
    Step step = RULES.health(campaign(), merged(NOW.plusSeconds(600)), ci(CiStatus.State.FAILURE), NOW);

    assertThat(step).isInstanceOf(Step.MoveTo.class);
    Step.MoveTo move = (Step.MoveTo) step;
    assertThat(move.to()).isEqualTo(ChangesetState.POST_MERGE_FAILED);
    assertThat(move.reason()).contains("build (last line)").contains("bbbbbbb").contains("flotilla campaign revert bump --wave 2");
  }

  @Test
  void theWatchEndsGreenOrWhenItsTimeIsUp() {
    assertThat(RULES.health(campaign(), merged(NOW.plusSeconds(600)), ci(CiStatus.State.SUCCESS), NOW))
        .isInstanceOf(Step.StopWatching.class);
    assertThat(RULES.health(campaign(), merged(NOW.plusSeconds(600)), ci(CiStatus.State.PENDING), NOW))
        .isEqualTo(new Step.Wait(null, NOW.plus(RECHECK)));
    assertThat(RULES.health(campaign(), merged(NOW.plusSeconds(10)), CiStatus.none(), NOW))
        .isEqualTo(new Step.Wait(null, NOW.plusSeconds(10)));
    assertThat(RULES.health(campaign(), merged(NOW), ci(CiStatus.State.PENDING), NOW))
        .isInstanceOf(Step.StopWatching.class);
  }

  @Test
  void opensAPullRequestOnlyWhileTheRepositoryHasRoom() {
    assertThat(RULES.open(repo(), 2, NOW)).isEqualTo(new Step.OpenPullRequest());
    assertThat(RULES.open(repo(), 3, NOW)).isEqualTo(new Step.Wait(
        "waiting: acme/api already has 3 open Flotilla pull requests (FLOTILLA_MAX_OPEN_PRS_PER_REPO)", NOW.plus(RECHECK)));
  }

  // ---- when to look again

  static final Duration JUST_NOW = Duration.ZERO;

  /** What the forge said besides the pull request: its review decision, how long it has not changed, whether webhooks arrive. */
  static PullRequestRules.Watch watch(Review review, Duration unchanged, boolean webhooks) {
    return new PullRequestRules.Watch(review, NOW.minus(unchanged), webhooks);
  }

  static Instant nextLook(Campaign campaign, Repository repo, ChangesetState state, PullRequest pr, CiStatus ci,
      PullRequestRules.Watch watch) {
    Step step = RULES.decide(campaign, repo, changeset(state), pr,
        PullRequestRules.Lookups.of(Optional::empty, () -> ci, () -> REQUIRED), watch, NOW);
    if (step instanceof Step.MoveTo move) {
      return move.lookAgainAt();
    }
    if (step instanceof Step.Wait wait) {
      return wait.lookAgainAt();
    }
    if (step instanceof Step.Merge merge) {
      return merge.lookAgainAt();
    }
    throw new AssertionError("no next look in " + step);
  }

  static Stream<Arguments> pacing() {
    CiStatus green = ci(CiStatus.State.SUCCESS);
    CiStatus running = ci(CiStatus.State.PENDING);
    CiStatus red = ci(CiStatus.State.FAILURE);
    PullRequest blocked = pr(PullRequest.State.OPEN, PullRequest.Mergeable.BLOCKED);
    Duration days = Duration.ofDays(3);
    MergeWindow soonOpen = new MergeWindow(ZoneOffset.UTC, Set.of(DayOfWeek.WEDNESDAY), LocalTime.of(10, 20), LocalTime.of(12, 0));
    Campaign manual = campaign(false, false, CampaignStatus.ACTIVE);
    return Stream.of(
        Arguments.of("CI runs: the poll interval, whatever the age",
            nextLook(campaign(), repo(), ChangesetState.CI_PENDING, open(), running, watch(Review.NOT_REQUIRED, days, false)), RECHECK),
        Arguments.of("CI runs and webhooks arrive: the interval with webhooks",
            nextLook(campaign(), repo(), ChangesetState.CI_PENDING, open(), running, watch(Review.NOT_REQUIRED, JUST_NOW, true)),
            Duration.ofMinutes(30)),
        Arguments.of("nothing known of the pull request: the poll interval",
            nextLook(campaign(), repo(), ChangesetState.CI_FAILED, open(), red, PullRequestRules.Watch.UNKNOWN), RECHECK),
        Arguments.of("CI failed just now: the poll interval",
            nextLook(campaign(), repo(), ChangesetState.CI_FAILED, open(), red, watch(Review.NOT_REQUIRED, JUST_NOW, false)), RECHECK),
        Arguments.of("CI failed 4 minutes ago: doubled up to half the time unchanged",
            nextLook(campaign(), repo(), ChangesetState.CI_FAILED, open(), red, watch(Review.NOT_REQUIRED, Duration.ofMinutes(4), false)),
            Duration.ofMinutes(2)),
        Arguments.of("CI failed days ago: capped at the longest wait",
            nextLook(campaign(), repo(), ChangesetState.CI_FAILED, open(), red, watch(Review.NOT_REQUIRED, days, false)), Duration.ofHours(1)),
        Arguments.of("a review is required, unchanged for 10 minutes",
            nextLook(campaign(), repo(), ChangesetState.MERGEABLE, blocked, green, watch(Review.REVIEW_REQUIRED, Duration.ofMinutes(10), false)),
            Duration.ofMinutes(4)),
        Arguments.of("changes were requested an hour ago",
            nextLook(campaign(), repo(), ChangesetState.MERGEABLE, blocked, green, watch(Review.CHANGES_REQUESTED, Duration.ofHours(1), false)),
            Duration.ofMinutes(16)),
        Arguments.of("blocked though approved (a check still runs): the poll interval",
            nextLook(campaign(), repo(), ChangesetState.MERGEABLE, blocked, green, watch(Review.APPROVED, days, false)), RECHECK),
        Arguments.of("waiting for a person to merge, unchanged for 2 hours",
            nextLook(manual, repo(), ChangesetState.MERGEABLE, open(), green, watch(Review.NOT_REQUIRED, Duration.ofHours(2), false)),
            Duration.ofMinutes(32)),
        Arguments.of("waiting for a person to merge while webhooks arrive: no sooner than the interval with webhooks",
            nextLook(manual, repo(), ChangesetState.MERGEABLE, open(), green, watch(Review.NOT_REQUIRED, Duration.ofMinutes(10), true)),
            Duration.ofMinutes(30)),
        Arguments.of("someone else's push, days ago",
            nextLook(campaign(), repo(), ChangesetState.MODIFIED, open(), green, watch(Review.NOT_REQUIRED, days, false)), Duration.ofHours(1)),
        Arguments.of("merge window closed until Saturday: the longest wait first",
            nextLook(campaign(), repo(true, WEEKENDS), ChangesetState.MERGEABLE, open(), green, watch(Review.NOT_REQUIRED, days, false)),
            Duration.ofHours(1)),
        Arguments.of("merge window opens in 20 minutes: when it opens",
            nextLook(campaign(), repo(true, soonOpen), ChangesetState.MERGEABLE, open(), green, watch(Review.NOT_REQUIRED, days, false)),
            Duration.ofMinutes(20)),
        Arguments.of("mergeability still computed, webhooks arrive: the poll interval (no event announces it)",
            nextLook(campaign(), repo(), ChangesetState.MERGEABLE, pr(PullRequest.State.OPEN, PullRequest.Mergeable.UNKNOWN), green,
                watch(Review.NOT_REQUIRED, days, true)), RECHECK),
        Arguments.of("the campaign is paused: the poll interval (a resume marks nothing due)",
            nextLook(campaign(true, false, CampaignStatus.PAUSED), repo(), ChangesetState.MERGEABLE, open(), green,
                watch(Review.NOT_REQUIRED, days, false)), RECHECK));
  }

  @Test
  void pullRequestsThatWaitAlikeFallDueTogetherSoTheyAreReadInOneQuery() {
    CiStatus red = ci(CiStatus.State.FAILURE);
    List<Instant> looks = new java.util.ArrayList<>();
    // Sixty pull requests whose CI failed long ago, reconciled a minute apart: each waits an hour.
    for (int i = 0; i < 60; i++) {
      Instant at = NOW.plus(Duration.ofMinutes(i + 1));
      Step step = RULES.decide(campaign(), repo(), changeset(ChangesetState.CI_FAILED), open(),
          PullRequestRules.Lookups.of(Optional::empty, () -> red, () -> REQUIRED),
          new PullRequestRules.Watch(Review.NOT_REQUIRED, at.minus(Duration.ofDays(3)), false), at);
      Instant next = ((Step.MoveTo) step).lookAgainAt();
      assertThat(Duration.between(at, next)).isBetween(Duration.ofHours(1), Duration.ofMinutes(75));
      looks.add(next);
    }
    // Four instants an hour, not sixty: at a quarter-hour each.
    assertThat(looks.stream().distinct()).hasSize(4)
        .allSatisfy(look -> assertThat(look.getEpochSecond() % (15 * 60)).isZero());
    // The poll interval is kept as it is: CI that runs is looked at when it may have finished.
    Instant odd = NOW.plusSeconds(7);
    Step running = RULES.decide(campaign(), repo(), changeset(ChangesetState.CI_PENDING), open(),
        PullRequestRules.Lookups.of(Optional::empty, () -> ci(CiStatus.State.PENDING), () -> REQUIRED),
        new PullRequestRules.Watch(Review.NOT_REQUIRED, odd, false), odd);
    assertThat(((Step.MoveTo) running).lookAgainAt()).isEqualTo(odd.plus(RECHECK));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pacing")
  void looksAgainByWhatThePullRequestWaitsFor(String rule, Instant next, Duration expected) {
    assertThat(next).isEqualTo(NOW.plus(expected));
  }
}
