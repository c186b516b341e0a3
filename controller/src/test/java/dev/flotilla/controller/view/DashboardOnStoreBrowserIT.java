package dev.flotilla.controller.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.controller.view.DashboardWiring.RunningDashboard;
import dev.flotilla.dashboard.DashboardConfig;
import dev.flotilla.dashboard.testkit.DashboardPage;
import dev.flotilla.dashboard.testkit.HeadlessChrome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real page, in a real browser, on the real store and controller. */
class DashboardOnStoreBrowserIT {

  static final String TOKEN = "browser-test-token-0123456789";

  @TempDir static Path dataDir;
  static Database db;
  static HeadlessChrome chrome;
  Jdbc jdbc;
  SeededFleet fleet;
  Controller controller;
  RunningDashboard dashboard;
  DashboardPage page;

  @BeforeAll
  static void start() {
    db = TestPostgres.open(dataDir, 8);
    chrome = HeadlessChrome.start();
  }

  @AfterAll
  static void stopAll() {
    chrome.close();
    db.close();
  }

  @BeforeEach
  void serve() {
    jdbc = new Jdbc(db.dataSource());
    SeededFleet.truncate(jdbc);
    fleet = new SeededFleet(jdbc).seed();
    EngineMetrics metrics = DashboardWiring.metrics(jdbc);
    controller = fleet.controller(List.of(), metrics);
    dashboard = DashboardWiring.start(controller, metrics,
        DashboardConfig.fromEnv(Map.of(DashboardConfig.PORT, "0", DashboardConfig.TOKEN, TOKEN)));
    page = new DashboardPage(chrome.driver(), dashboard.url());
    chrome.driver().get(dashboard.url().toString());
    page.signOut();
  }

  @AfterEach
  void stop() {
    dashboard.close();
  }

  @Test
  void overviewShowsTheSeededCampaignsWithTheStoresCounts() {
    page.openOverview();

    assertThat(page.campaignNames()).containsExactly("checkout", "jackson");
    assertThat(page.overviewNumber("jackson", "merged")).isEqualTo(2);
    assertThat(page.overviewNumber("jackson", "total")).isEqualTo(8);
    assertThat(page.overviewNumber("jackson", "open")).as("all but the two merged").isEqualTo(6);
    assertThat(page.barSegment("jackson", "FAILED")).isEqualTo(1);
    assertThat(page.barSegment("jackson", "INVALID_CONFIG")).isEqualTo(1);
    assertThat(page.barSegment("checkout", "NO_CHANGE")).isEqualTo(1);
    assertThat(page.overviewStatus("jackson")).isEqualTo("ACTIVE");
  }

  @Test
  void campaignTableFiltersInTheStore() {
    page.openCampaign("jackson");
    assertThat(page.pageInfo()).isEqualTo("1–8 of 8");

    page.filterState("FAILED");
    assertThat(page.rows()).containsExactly("acme/bravo=FAILED");

    page.filterState("");
    page.filterOwner("payments");
    assertThat(page.rows()).containsExactly("payments/echo=CONFLICT", "payments/fox=PENDING", "payments/golf=MERGED");
  }

  @Test
  void pauseAndResumeThroughThePageChangeTheCampaignInTheStore() {
    page.openCampaign("jackson").signIn(TOKEN, "alice");
    assertThat(page.campaignStatus()).isEqualTo("ACTIVE");

    clickWhenSettled("pause");
    await().atMost(DashboardPage.WAIT).until(() -> status("jackson") == CampaignStatus.PAUSED);
    await().atMost(DashboardPage.WAIT).until(() -> page.campaignStatus().equals("PAUSED"));

    clickWhenSettled("resume");
    await().atMost(DashboardPage.WAIT).until(() -> status("jackson") == CampaignStatus.ACTIVE);
    await().atMost(DashboardPage.WAIT).until(() -> page.campaignStatus().equals("ACTIVE"));
    assertThat(jdbc.query("SELECT actor, action FROM audit_event ORDER BY id", rs -> rs.getString(1) + " " + rs.getString(2)))
        .containsExactly("alice@127.0.0.1 paused", "alice@127.0.0.1 active");
  }

  @Test
  void mutationWithoutTheTokenIsRefused() throws Exception {
    page.openCampaign("jackson");
    page.click("pause");

    assertThat(page.awaitBanner()).startsWith("Refused (401)");
    HttpResponse<String> direct = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(dashboard.url() + "api/campaigns/jackson/pause"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(direct.statusCode()).isEqualTo(401);
    assertThat(status("jackson")).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(jdbc.count("SELECT count(*) FROM audit_event")).isZero();
  }

  @Test
  void overviewFollowsTheControllerLive() {
    page.openOverview().awaitLive();

    controller.pause("checkout", "bob");

    await().atMost(DashboardPage.WAIT).until(() -> page.overviewStatus("checkout").equals("PAUSED"));
  }

  /** Live updates re-render the page after an action; a click on a button just replaced is tried again. */
  private void clickWhenSettled(String id) {
    await().atMost(DashboardPage.WAIT).ignoreExceptionsInstanceOf(org.openqa.selenium.StaleElementReferenceException.class)
        .until(() -> {
          page.click(id);
          return true;
        });
  }

  private CampaignStatus status(String campaign) {
    return fleet.campaigns.byName(campaign).orElseThrow().status();
  }
}
