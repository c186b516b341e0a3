package dev.flotilla.dashboard;

import static dev.flotilla.dashboard.TestFleet.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.dashboard.port.PlanPort.PlanRepository;
import dev.flotilla.dashboard.testkit.DashboardPage;
import dev.flotilla.dashboard.testkit.HeadlessChrome;
import dev.flotilla.dashboard.testkit.InMemoryFleet;
import dev.flotilla.dashboard.testkit.InMemoryPlans;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The plan pages in a real headless Chromium, over in-memory plans. */
class PlanPageBrowserIT {

  private static final String DIFF = "diff --git a/pom.xml b/pom.xml\n--- a/pom.xml\n+++ b/pom.xml\n-  <v>1</v>\n+  <v>2</v>\n";

  private static HeadlessChrome chrome;
  private static DashboardServer server;
  private static URI base;

  @BeforeAll
  static void serve() {
    chrome = HeadlessChrome.start();
    InMemoryFleet fleet = TestFleet.build();
    InMemoryPlans plans = new InMemoryPlans();
    plans.add("jackson-2-18", "FINISHED", Instant.parse("2026-03-01T09:00:00Z"), List.of(
        new PlanRepository("acme/billing", "WOULD_CHANGE", "bumped jackson", "a".repeat(40), 1, 1, 1, DIFF, "plan-1-1", List.of("deps")),
        new PlanRepository("acme/orders", "NO_CHANGE", "already up to date", "b".repeat(40), null, null, null, null, "plan-1-2", List.of()),
        new PlanRepository("acme/legacy", "REFUSED", "excluded by .flotilla.yaml (exclude: maven-dependency-version)", null,
            null, null, null, null, "plan-1-3", List.of())));
    plans.table("jackson-2-18", "plan-1-1", "deps", "Group,Artifact\r\ncom.acme,lib\r\n");
    server = new DashboardServer(
        DashboardConfig.fromEnv(Map.of(DashboardConfig.PORT, "0", DashboardConfig.TOKEN, TOKEN)),
        fleet, fleet, new FleetMetrics(fleet), Clock.fixed(TestFleet.NOW, ZoneOffset.UTC)).plans(plans);
    base = server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ZERO);
    chrome.close();
  }

  @Test
  void theCampaignPageLeadsToItsPlansAndAPlanShowsItsCountsVerdictsAndDiffs() {
    WebDriver driver = chrome.driver();
    new DashboardPage(driver, base).openCampaign("jackson-2-18");

    driver.findElement(By.id("campaign-plans")).click();
    WebElement row = await().atMost(DashboardPage.WAIT).ignoreExceptions()
        .until(() -> driver.findElement(By.cssSelector("#plans tr[data-plan='1']")), r -> r != null);
    assertThat(row.findElement(By.cssSelector("[data-verdict='WOULD_CHANGE']")).getText()).isEqualTo("1");
    assertThat(row.findElement(By.cssSelector("[data-verdict='REFUSED']")).getText()).isEqualTo("1");

    row.findElement(By.linkText("#1")).click();
    await().atMost(DashboardPage.WAIT).ignoreExceptions()
        .until(() -> driver.findElement(By.id("plan-name")).getText().equals("Plan #1")
            && !driver.findElements(By.cssSelector("#plan-repositories tbody tr")).isEmpty());
    assertThat(driver.findElement(By.cssSelector("[data-tile='would-change'] .value")).getText()).isEqualTo("1");
    assertThat(driver.findElements(By.cssSelector("#plan-repositories tr[data-verdict]")))
        .extracting(r -> r.getAttribute("data-repo") + "=" + r.getAttribute("data-verdict"))
        .containsExactly("acme/billing=WOULD_CHANGE", "acme/orders=NO_CHANGE", "acme/legacy=REFUSED");
    assertThat(driver.findElement(By.cssSelector("tr[data-repo='acme/legacy'] .reason")).getText())
        .isEqualTo("excluded by .flotilla.yaml (exclude: maven-dependency-version)");

    WebElement diff = driver.findElement(By.cssSelector("tr[data-diff-of='acme/billing'] details"));
    diff.findElement(By.tagName("summary")).click();
    assertThat(diff.findElement(By.cssSelector("pre.diff")).getText()).contains("-  <v>1</v>", "+  <v>2</v>");
    assertThat(driver.findElement(By.cssSelector("tr[data-repo='acme/billing'] a.datatable")).getAttribute("href"))
        .endsWith("/api/runs/plan-1-1/datatables/deps.csv");
  }
}
