package dev.flotilla.controller.campaign.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.campaign.k8s.CampaignResourceStatus.Condition;
import dev.flotilla.controller.campaign.k8s.CampaignResourceStatus.Phase;
import dev.flotilla.controller.campaign.k8s.CampaignStatusBuilder.Problem;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.ChangesetState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CampaignStatusBuilderTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T01:00:00Z");
  private static final Map<ChangesetState, Long> COUNTS = Map.of(
      ChangesetState.MERGED, 3L, ChangesetState.PR_OPEN, 2L, ChangesetState.CI_FAILED, 1L,
      ChangesetState.FAILED, 1L, ChangesetState.PENDING, 3L);

  @Test
  void countsChangesetsForThePrinterColumns() {
    CampaignResourceStatus status = build(campaign(CampaignStatus.ACTIVE, null), Optional.empty(), null, T0);

    assertThat(status.phase).isEqualTo(Phase.Active);
    assertThat(status.progress).isEqualTo("3/10");
    assertThat(status.open).isEqualTo(3);
    assertThat(status.failed).isEqualTo(2);
    assertThat(status.counts).containsEntry("PENDING", 3).containsEntry("MERGED", 3);
    assertThat(status.observedGeneration).isEqualTo(4L);
    assertThat(condition(status, "Ready").status).isEqualTo("True");
  }

  @Test
  void haltedCampaignCarriesItsReasonInPhaseAndCondition() {
    String reason = "wave 1 failed 3 of 5 runs (60%), above haltOnFailureRate 20%";
    CampaignResourceStatus status = build(campaign(CampaignStatus.HALTED, reason), Optional.empty(), null, T0);

    assertThat(status.phase).isEqualTo(Phase.Halted);
    assertThat(status.haltReason).isEqualTo(reason);
    assertThat(condition(status, "Halted").status).isEqualTo("True");
    assertThat(condition(status, "Halted").message).isEqualTo(reason);
    assertThat(condition(status, "Ready").status).isEqualTo("False");
  }

  @Test
  void invalidSpecKeepsTheLastValidCampaignRunningAndSaysSo() {
    Problem problem = new Problem("InvalidSpec", "migration 'x' is not known");
    CampaignResourceStatus status = build(campaign(CampaignStatus.ACTIVE, null), Optional.of(problem), null, T0);

    assertThat(condition(status, "Invalid").status).isEqualTo("True");
    assertThat(condition(status, "Invalid").message).isEqualTo("migration 'x' is not known");
    assertThat(condition(status, "Ready").message).contains("last valid spec");
  }

  @Test
  void transitionTimeMovesOnlyWhenAConditionChangesStatus() {
    CampaignResourceStatus first = build(campaign(CampaignStatus.ACTIVE, null), Optional.empty(), null, T0);
    CampaignResourceStatus same = build(campaign(CampaignStatus.ACTIVE, null), Optional.empty(), first, T1);
    CampaignResourceStatus paused = build(campaign(CampaignStatus.PAUSED, "paused by kubernetes"), Optional.empty(), same, T1);

    assertThat(condition(same, "Ready").lastTransitionTime).isEqualTo(T0.toString());
    assertThat(CampaignStatusBuilder.changes(first, same)).isFalse();
    assertThat(condition(paused, "Ready").lastTransitionTime).isEqualTo(T1.toString());
    assertThat(condition(paused, "Halted").lastTransitionTime).isEqualTo(T0.toString());
    assertThat(CampaignStatusBuilder.changes(same, paused)).isTrue();
  }

  private static CampaignResourceStatus build(
      Optional<Campaign> campaign, Optional<Problem> problem, CampaignResourceStatus previous, Instant now) {
    return CampaignStatusBuilder.build(campaign, COUNTS, problem, 4L, previous, now);
  }

  private static Optional<Campaign> campaign(CampaignStatus status, String reason) {
    CampaignSpec spec = new CampaignSpec("c", "m", Map.of(), null, false, false, null, null, null);
    return Optional.of(new Campaign(spec, status, reason, 1, T0));
  }

  private static Condition condition(CampaignResourceStatus status, String type) {
    return status.conditions.stream().filter(c -> c.type.equals(type)).findFirst().orElseThrow();
  }
}
