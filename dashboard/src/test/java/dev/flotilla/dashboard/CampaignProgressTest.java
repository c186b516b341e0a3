package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignProgressTest {

  private static final Instant NOW = Instant.parse("2026-11-20T00:00:00Z");

  private static CampaignSummary summary(CampaignStatus status, long mergedLast7Days, Map<ChangesetState, Long> counts) {
    return new CampaignSummary("c", "m", status, null, NOW, counts, mergedLast7Days);
  }

  @Test
  void estimatesCompletionFromTheRecentMergeRate() {
    CampaignProgress p = CampaignProgress.of(summary(CampaignStatus.ACTIVE, 14, Map.of(
        ChangesetState.MERGED, 30L, ChangesetState.PR_OPEN, 10L, ChangesetState.PENDING, 10L,
        ChangesetState.NO_CHANGE, 20L, ChangesetState.CLOSED, 10L)), NOW);

    assertThat(p.total()).isEqualTo(80);
    assertThat(p.open()).isEqualTo(20);
    assertThat(p.mergeRate()).isEqualTo(0.5);
    assertThat(p.mergesPerDay()).isEqualTo(2.0);
    assertThat(p.estimatedCompletion()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
  }

  @Test
  void noEstimateWithoutRecentMergesOrWhenNotActiveOrDone() {
    Map<ChangesetState, Long> open = Map.of(ChangesetState.PENDING, 5L);
    assertThat(CampaignProgress.of(summary(CampaignStatus.ACTIVE, 0, open), NOW).estimatedCompletion()).isNull();
    assertThat(CampaignProgress.of(summary(CampaignStatus.PAUSED, 7, open), NOW).estimatedCompletion()).isNull();
    assertThat(CampaignProgress.of(summary(CampaignStatus.ACTIVE, 7, Map.of(ChangesetState.MERGED, 5L)), NOW)
        .estimatedCompletion()).isNull();
  }

  @Test
  void haltedAndInvalidConfigCountAsOpen() {
    CampaignProgress p = CampaignProgress.of(summary(CampaignStatus.HALTED, 0, Map.of(
        ChangesetState.HALTED, 3L, ChangesetState.INVALID_CONFIG, 1L, ChangesetState.NOT_APPLICABLE, 4L)), NOW);
    assertThat(p.open()).isEqualTo(4);
    assertThat(p.mergeRate()).isZero();
  }

  @Test
  void aChangesetLeftAloneWithAReasonIsNeitherDoneNorNothingToDo() {
    CampaignProgress p = CampaignProgress.of(summary(CampaignStatus.ACTIVE, 1, Map.of(
        ChangesetState.MERGED, 3L, ChangesetState.NEEDS_HUMAN, 1L, ChangesetState.NO_CHANGE, 2L)), NOW);

    assertThat(p.open()).as("a person still has to act").isEqualTo(1);
    assertThat(p.mergeRate()).as("merged of those that need a change").isEqualTo(0.75);
    assertThat(ChangesetState.NEEDS_HUMAN.nothingToDo()).isFalse();
  }

  @Test
  void terminalStatesAreExactlyThoseOfTheDesign() {
    assertThat(ChangesetState.values()).filteredOn(ChangesetState::terminal).containsExactlyInAnyOrder(
        ChangesetState.NO_CHANGE, ChangesetState.NOT_APPLICABLE, ChangesetState.MERGED, ChangesetState.CLOSED,
        ChangesetState.SKIPPED, ChangesetState.POST_MERGE_FAILED, ChangesetState.REVERTED);
  }
}
