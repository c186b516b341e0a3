package dev.flotilla.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.engine.CampaignReport;
import dev.flotilla.controller.runtime.FlotillaServer;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.dashboard.testkit.DashboardPage;
import dev.flotilla.dashboard.testkit.HeadlessChrome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's own dashboard in a real headless Chromium: the three campaigns with the demo's counts. */
class DemoDashboardBrowserIT {

  @TempDir Path tmp;

  @Test
  void overviewShowsTheDemosCampaignsWithTheirCounts() {
    DemoFleet fleet = DemoFleet.create(tmp.resolve("forge"), 24);
    DemoFleet.writeCampaigns(tmp.resolve("campaigns"));
    Map<String, String> env = new HashMap<>();
    env.put("FLOTILLA_DATA_DIR", tmp.resolve("data").toString());
    env.put("FLOTILLA_LOCAL_FORGE_DIR", tmp.resolve("forge").toString());
    env.put("FLOTILLA_CAMPAIGNS_DIR", tmp.resolve("campaigns").toString());
    env.put("FLOTILLA_POLL_INTERVAL", "500ms");
    env.put("FLOTILLA_DASHBOARD_PORT", "0");
    try (FlotillaServer server = FlotillaServer.start(env)) {
      Jdbc jdbc = new Jdbc(server.database().dataSource());
      await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        var reports = CampaignReport.all(jdbc);
        return reports.size() == 3 && reports.stream().allMatch(r -> r.settled() && r.total() > 0);
      });
      try (HeadlessChrome chrome = HeadlessChrome.start()) {
        DashboardPage page = new DashboardPage(chrome.driver(), server.dashboardUrl().orElseThrow()).openOverview();
        assertThat(page.campaignNames()).containsExactlyInAnyOrderElementsOf(DemoFleet.CAMPAIGNS);
        for (String campaign : DemoFleet.CAMPAIGNS) {
          DemoFleet.Expected expected = fleet.expected(campaign);
          // Live updates re-render the row, so an element read a moment ago may be gone: read the
          // row's figures again until they agree, and fail with the last mismatch if they never do.
          await().atMost(DashboardPage.WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(page.overviewNumber(campaign, "merged")).isEqualTo(expected.merged());
            assertThat(page.overviewNumber(campaign, "total")).isEqualTo(23);
            assertThat(page.barSegment(campaign, "MERGEABLE")).isEqualTo(expected.awaitingReview());
            assertThat(page.barSegment(campaign, "CI_FAILED")).isEqualTo(expected.ciFailed());
            assertThat(page.barSegment(campaign, "NEEDS_HUMAN")).isEqualTo(expected.needsHuman());
            assertThat(page.barSegment(campaign, "POST_MERGE_FAILED")).isEqualTo(expected.postMergeFailed());
          });
        }
      }
    }
  }
}
