package dev.flotilla.dashboard;

import static dev.flotilla.dashboard.TestFleet.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.port.FleetEvent;
import dev.flotilla.dashboard.testkit.DashboardPage;
import dev.flotilla.dashboard.testkit.HeadlessChrome;
import dev.flotilla.dashboard.testkit.InMemoryFleet;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/** The dashboard in a real headless Chromium, over the in-memory fleet. */
class DashboardBrowserIT {

  private static HeadlessChrome chrome;
  private InMemoryFleet fleet;
  private DashboardServer server;
  private DashboardPage page;

  @BeforeAll
  static void browser() {
    chrome = HeadlessChrome.start();
  }

  @AfterAll
  static void closeBrowser() {
    chrome.close();
  }

  @BeforeEach
  void serve() {
    fleet = TestFleet.build();
    server = new DashboardServer(
        DashboardConfig.fromEnv(Map.of(DashboardConfig.PORT, "0", DashboardConfig.TOKEN, TOKEN)),
        fleet, fleet, new FleetMetrics(fleet), Clock.fixed(TestFleet.NOW, ZoneOffset.UTC));
    fleet.publishTo(server);
    URI base = server.start();
    page = new DashboardPage(chrome.driver(), base);
    // Each test starts signed out, on a fresh page.
    chrome.driver().get(base.toString());
    page.signOut();
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ZERO);
  }

  @Test
  void overviewShowsEveryCampaignWithItsCounts() {
    page.openOverview();

    assertThat(page.campaignNames()).containsExactly("jackson-2-18", "java-21");
    assertThat(page.overviewNumber("jackson-2-18", "merged")).isEqualTo(3);
    assertThat(page.overviewNumber("jackson-2-18", "open")).isEqualTo(4);
    assertThat(page.overviewNumber("jackson-2-18", "total")).isEqualTo(8);
    assertThat(page.barSegment("jackson-2-18", "PR_OPEN")).isEqualTo(2);
    assertThat(page.barSegment("jackson-2-18", "FAILED")).isEqualTo(1);
    assertThat(page.overviewStatus("java-21")).isEqualTo("PAUSED");
    assertThat(page.tile("attention")).isEqualTo(4);
  }

  @Test
  void filtersNarrowTheRepositoryTable() {
    page.openCampaign("jackson-2-18");
    assertThat(page.pageInfo()).isEqualTo("1–8 of 8");

    page.filterState("MERGED");
    assertThat(page.rows()).containsExactly("acme/billing=MERGED", "acme/catalog=MERGED", "acme/orders=MERGED");

    page.filterState("");
    page.filterOwner("payments");
    assertThat(page.rows()).containsExactly("acme/billing=MERGED", "acme/gateway=CI_FAILED", "acme/ledger=FAILED");

    page.search("clone timed");
    assertThat(page.rows()).containsExactly("acme/ledger=FAILED");
  }

  @Test
  void pagesThroughTenThousandRepositories() {
    for (int i = 0; i < 10_000; i++) {
      fleet.changeset("java-21", String.format("bulk/repo-%05d", i), "bulk", ChangesetState.PENDING, null, null,
          TestFleet.NOW);
    }
    page.openCampaign("java-21");
    assertThat(page.pageInfo()).isEqualTo("1–50 of 10,002");
    page.nextPage();
    assertThat(page.pageInfo()).isEqualTo("51–100 of 10,002");
    // acme/billing and acme/orders sort first, so the second page starts two bulk repositories earlier.
    assertThat(page.rows()).first().isEqualTo("bulk/repo-00048=PENDING");
  }

  @Test
  void pauseAndResumeChangeTheCampaign() {
    page.openCampaign("jackson-2-18").signIn(TOKEN, "alice");
    assertThat(page.campaignStatus()).isEqualTo("ACTIVE");

    page.click("pause");
    assertThat(page.awaitBanner()).startsWith("Paused campaign jackson-2-18");
    await().atMost(DashboardPage.WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> page.campaignStatus().equals("PAUSED"));
    assertThat(fleet.campaign("jackson-2-18").orElseThrow().status()).isEqualTo(CampaignStatus.PAUSED);

    page.click("resume");
    await().atMost(DashboardPage.WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> page.campaignStatus().equals("ACTIVE"));
    assertThat(fleet.actions()).containsExactly("pause jackson-2-18 by alice", "resume jackson-2-18 by alice");
  }

  @Test
  void retryMovesAFailedChangesetBackToPending() {
    page.openCampaign("jackson-2-18").signIn(TOKEN, "bob");
    page.filterState("FAILED");
    assertThat(page.rows()).containsExactly("acme/ledger=FAILED");

    chrome.driver().findElement(By.cssSelector("#changesets button[data-retry]")).click();

    assertThat(page.awaitBanner()).isEqualTo("Retrying acme/ledger in campaign jackson-2-18");
    await().atMost(DashboardPage.WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> page.rows().isEmpty());
    assertThat(fleet.actions()).singleElement().asString().startsWith("retry ").endsWith(" by bob");
  }

  @Test
  void revertOpensARevertForTheOneMergeThatBrokeItsDefaultBranch() {
    fleet.move("jackson-2-18", ChangesetState.MERGED, ChangesetState.POST_MERGE_FAILED, 1);
    page.openCampaign("jackson-2-18").signIn(TOKEN, "carol");
    page.filterState("POST_MERGE_FAILED");
    assertThat(page.rows()).singleElement().asString().endsWith("=POST_MERGE_FAILED");

    chrome.driver().findElement(By.cssSelector("#changesets button[data-revert]")).click();

    // Only that repository: the other merges of the campaign stay as they are.
    assertThat(page.awaitBanner()).isEqualTo("Reverting 1 merges in jackson-2-18");
    await().atMost(DashboardPage.WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> page.rows().isEmpty());
    assertThat(fleet.actions()).containsExactly("revert jackson-2-18 by carol");
    assertThat(fleet.all("jackson-2-18").stream().filter(c -> c.state() == ChangesetState.MERGED)).hasSize(2);
  }

  @Test
  void mutationWithoutTheTokenIsRefusedAndSaysSo() {
    page.openCampaign("jackson-2-18");
    page.click("pause");

    assertThat(page.awaitBanner()).startsWith("Refused (401)").contains("Authorization: Bearer");
    assertThat(page.bannerIsError()).isTrue();
    assertThat(fleet.campaign("jackson-2-18").orElseThrow().status()).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(fleet.actions()).isEmpty();
  }

  @Test
  void wrongTokenIsRefused() {
    page.openCampaign("jackson-2-18").signIn("wrong-token-but-long-enough", "mallory");
    page.click("pause");

    assertThat(page.awaitBanner()).startsWith("Refused (403)").contains("token is wrong");
    assertThat(fleet.actions()).isEmpty();
  }

  @Test
  void progressUpdatesLiveWithoutAReload() {
    page.openOverview().awaitLive();
    assertThat(page.overviewNumber("java-21", "merged")).isZero();
    // A marker on the window survives only if the page is not reloaded.
    ((JavascriptExecutor) chrome.driver()).executeScript("window.__notReloaded = true");

    fleet.move("java-21", ChangesetState.PENDING, ChangesetState.MERGED, 2);
    server.publish(FleetEvent.changeset("java-21", "acme/billing"));

    await().atMost(DashboardPage.WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> page.overviewNumber("java-21", "merged") == 2);
    assertThat(page.barSegment("java-21", "MERGED")).isEqualTo(2);
    assertThat(((JavascriptExecutor) chrome.driver())
        .executeScript("return window.__notReloaded === true")).isEqualTo(true);
  }

  @Test
  void campaignPageUpdatesLiveToo() {
    page.openCampaign("jackson-2-18").awaitLive();
    page.filterState("FAILED");
    assertThat(page.rows()).containsExactly("acme/ledger=FAILED");

    fleet.move("jackson-2-18", ChangesetState.MERGED, ChangesetState.FAILED, 1);
    server.publish(FleetEvent.changeset("jackson-2-18", "acme/billing"));

    await().atMost(DashboardPage.WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> page.rows().size() == 2);
  }

  @Test
  void repositoryPageShowsEveryCampaignAndTheOptInFileError() {
    chrome.driver().get(server.url() + "#/repos/acme/legacy");
    await().atMost(DashboardPage.WAIT).ignoreExceptions().until(() ->
        chrome.driver().findElement(By.id("optin-error")).getText()
            .equals("line 2: unknown key 'automerg'"));
    assertThat(chrome.driver().findElement(By.cssSelector("#optin-file span.bad")).getText())
        .isEqualTo("automerg: true");

    chrome.driver().get(server.url() + "#/repos/acme/billing");
    await().atMost(DashboardPage.WAIT).ignoreExceptions().until(() -> chrome.driver()
        .findElements(By.cssSelector("#repo-changesets tr[data-campaign]")).size() == 2);
  }
}
