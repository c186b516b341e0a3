package dev.flotilla.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.engine.CampaignReport;
import dev.flotilla.controller.model.ChangesetState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

  @Test
  void countsChangesetsLeftForAPersonApartFromNoChange() {
    CampaignReport checkout = new CampaignReport("checkout-v4", "github-actions-version", "ACTIVE", null,
        16, 3, 1, 1, 1, 0, 1, 0, 0, 0,
        Map.of(ChangesetState.MERGED, 16L, ChangesetState.MERGEABLE, 3L, ChangesetState.CI_FAILED, 1L,
            ChangesetState.NO_CHANGE, 1L, ChangesetState.NEEDS_HUMAN, 1L, ChangesetState.SKIPPED, 1L));
    StringWriter out = new StringWriter();

    StatusCommand.printTable(new PrintWriter(out, true), List.of(checkout), 0);

    assertThat(out.toString())
        .contains("NO CHANGE NEEDS HUMAN")
        .containsPattern("checkout-v4\\s+ACTIVE\\s+23\\s+16\\s+3\\s+1\\s+1\\s+1\\s+0\\s+0\\s+0\\s+1\\s+0");
  }

  @Test
  void showsMergesThatBrokeTheDefaultBranchInTheirOwnColumn() {
    CampaignReport checkout = new CampaignReport("checkout-v4", "github-actions-version", "ACTIVE", null,
        15, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
        Map.of(ChangesetState.MERGED, 15L, ChangesetState.POST_MERGE_FAILED, 1L));
    StringWriter out = new StringWriter();

    StatusCommand.printTable(new PrintWriter(out, true), List.of(checkout), 0);

    assertThat(out.toString())
        .contains("FAILED POST-MERGE SKIPPED")
        .containsPattern("checkout-v4\\s+ACTIVE\\s+16\\s+15\\s+0\\s+0\\s+0\\s+0\\s+0\\s+1\\s+0\\s+0\\s+0\\n");
  }
}
