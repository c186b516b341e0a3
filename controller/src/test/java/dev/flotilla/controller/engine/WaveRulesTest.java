package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.engine.WaveRules.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rollout rules on a two-wave campaign that halts above 20% failures, with a fixed clock. */
class WaveRulesTest {

  static final Instant NOW = Instant.parse("2026-01-07T10:00:00Z");
  static final Duration GRACE = Duration.ofDays(3);

  static Campaign campaign(int currentWave, String schedule) {
    return new Campaign(new CampaignSpec("bump", "m", Map.of(), schedule, true, false,
        new CampaignSpec.Rollout(List.of("5", "100%"), 0.2, GRACE), null, null), CampaignStatus.ACTIVE, null, currentWave, Instant.EPOCH);
  }

  static Changeset in(int wave, ChangesetState state, Instant since) {
    return new Changeset(1, "bump", 1, state, null, since, wave, 1, null, null, null, null, null, null);
  }

  static Changeset in(int wave, ChangesetState state) {
    return in(wave, state, NOW.minusSeconds(60));
  }

  static List<Changeset> wave0(ChangesetState... states) {
    List<Changeset> all = new ArrayList<>();
    for (ChangesetState s : states) {
      all.add(in(0, s));
    }
    all.add(in(1, ChangesetState.PENDING));
    return all;
  }

  static Verdict verdict(Campaign campaign, List<Changeset> all, boolean haltedBefore) {
    return WaveRules.verdict(campaign, all, wave -> haltedBefore, NOW);
  }

  static Campaign watching(double haltOnFailureRate) {
    return new Campaign(new CampaignSpec("bump", "m", Map.of(), null, true, false,
        new CampaignSpec.Rollout(List.of("5", "100%"), 0.2, GRACE), null, null, false, null, List.of(),
        new CampaignSpec.PostMerge(Duration.ofMinutes(30), haltOnFailureRate), null),
        CampaignStatus.ACTIVE, null, 0, Instant.EPOCH);
  }

  static Changeset mergedWatched(int wave) {
    return new Changeset(1, "bump", 1, ChangesetState.MERGED, null, NOW.minusSeconds(60), wave, 1, null, null, null, null,
        null, null, "cafe", NOW.plusSeconds(600), null);
  }

  @Test
  void aMergeWhoseDefaultBranchIsStillWatchedKeepsTheWaveGoing() {
    List<Changeset> all = List.of(in(0, ChangesetState.MERGED), mergedWatched(0), in(1, ChangesetState.PENDING));

    assertThat(verdict(watching(1.0), all, false)).isEqualTo(new Verdict.Continue());
  }

  @Test
  void aPostMergeFailureCountsAgainstTheWave() {
    Verdict verdict = verdict(watching(1.0),
        wave0(ChangesetState.MERGED, ChangesetState.MERGED, ChangesetState.POST_MERGE_FAILED), false);

    assertThat(verdict).isInstanceOf(Verdict.Halt.class);
    assertThat(((Verdict.Halt) verdict).failed()).isEqualTo(1);
  }

  @Test
  void postMergeFailuresHaltOnTheirOwnThresholdBeforeTheWaveEnds() {
    List<Changeset> all = List.of(in(0, ChangesetState.POST_MERGE_FAILED), mergedWatched(0), in(0, ChangesetState.RUNNING),
        in(1, ChangesetState.PENDING));

    Verdict verdict = verdict(watching(0.4), all, false);

    assertThat(verdict).isInstanceOf(Verdict.Halt.class);
    assertThat(((Verdict.Halt) verdict).reason())
        .startsWith("1 of 2 merged changesets broke their default branch after the merge (50% > postMerge.haltOnFailureRate 40%)")
        .contains("flotilla campaign revert bump --wave 1");
    assertThat(verdict(watching(0.5), all, false)).isEqualTo(new Verdict.Continue());
    assertThat(verdict(watching(0.4), all, true)).as("resumed by a person").isEqualTo(new Verdict.Continue());
  }

  @Test
  void waitsWhileTheWaveIsStillMoving() {
    assertThat(verdict(campaign(0, null), wave0(ChangesetState.MERGED, ChangesetState.RUNNING), false))
        .isEqualTo(new Verdict.Continue());
    assertThat(verdict(campaign(0, null), wave0(ChangesetState.MERGED, ChangesetState.CI_PENDING), false))
        .as("an open pull request inside the grace period").isEqualTo(new Verdict.Continue());
  }

  @Test
  void anOpenPullRequestPastTheGracePeriodFinishesTheWave() {
    List<Changeset> all = List.of(in(0, ChangesetState.MERGEABLE, NOW.minus(GRACE).minusSeconds(1)), in(1, ChangesetState.PENDING));
    assertThat(verdict(campaign(0, null), all, false)).isEqualTo(new Verdict.NextWave(0, 1, false));
  }

  @Test
  void startsTheNextWaveAtOrBelowTheRate() {
    assertThat(verdict(campaign(0, null), wave0(ChangesetState.MERGED, ChangesetState.MERGED, ChangesetState.MERGED,
        ChangesetState.MERGED, ChangesetState.FAILED, ChangesetState.NO_CHANGE, ChangesetState.SKIPPED), false))
        .as("1 of 5 counted failed: no change and skipped do not count").isEqualTo(new Verdict.NextWave(1, 5, false));
  }

  @Test
  void haltsAboveTheRateWithWhatToDo() {
    Verdict verdict = verdict(campaign(0, null), wave0(ChangesetState.MERGED, ChangesetState.FAILED, ChangesetState.CI_FAILED), false);
    assertThat(verdict).isInstanceOf(Verdict.Halt.class);
    Verdict.Halt halt = (Verdict.Halt) verdict;
    assertThat(halt.failed()).isEqualTo(2);
    assertThat(halt.counted()).isEqualTo(3);
    assertThat(halt.reason()).startsWith("wave 1 of 2 failed on 2 of 3 repositories (67% > haltOnFailureRate 20%)")
        .contains("flotilla campaign resume bump");
  }

  @Test
  void aResumedWaveThatHaltedBeforeIsAccepted() {
    assertThat(verdict(campaign(0, null), wave0(ChangesetState.MERGED, ChangesetState.FAILED), true))
        .isEqualTo(new Verdict.NextWave(1, 2, true));
  }

  @Test
  void theLastWaveFinishesTheCampaignOnlyWhenEverythingIsTerminalAndNothingIsScheduled() {
    List<Changeset> done = List.of(in(0, ChangesetState.MERGED), in(1, ChangesetState.NO_CHANGE));
    assertThat(verdict(campaign(1, null), done, false)).isEqualTo(new Verdict.Finished());
    assertThat(verdict(campaign(1, "0 0 6 ? * MON-FRI"), done, false)).isEqualTo(new Verdict.Continue());
    assertThat(verdict(campaign(1, null), List.of(in(0, ChangesetState.MERGED), in(1, ChangesetState.FAILED)), false))
        .as("a failure is finished for the wave, not terminal").isEqualTo(new Verdict.Continue());
  }
}
