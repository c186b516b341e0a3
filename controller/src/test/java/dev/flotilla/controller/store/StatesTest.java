package dev.flotilla.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.ChangesetState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StatesTest {

  @Test
  void everyControllerStateHasADashboardState() {
    for (ChangesetState state : ChangesetState.values()) {
      assertThat(States.shown(state.name()).name()).isEqualTo(state.name());
    }
  }

  @Test
  void everyCampaignStatusHasADashboardStatus() {
    assertThat(Arrays.stream(dev.flotilla.controller.model.CampaignStatus.values()).map(Enum::name))
        .allMatch(name -> dev.flotilla.dashboard.port.CampaignStatus.valueOf(name) != null);
  }

  @Test
  void theBurndownsOpenLineIsEveryStateStillMoving() {
    assertThat(States.OPEN).contains("PENDING", "RUNNING", "FAILED", "PR_OPEN", "CI_FAILED", "CONFLICT", "NEEDS_HUMAN")
        .doesNotContain("MERGED", "NO_CHANGE", "NOT_APPLICABLE", "CLOSED", "SKIPPED");
  }

  @Test
  void sortsStatesInLifecycleOrder() {
    assertThat(States.ORDER).startsWith("array_position(ARRAY['PENDING','RUNNING','NO_CHANGE',")
        .endsWith("]::text[], shown_state)");
  }
}
