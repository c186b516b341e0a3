package dev.flotilla.controller.view;

import static dev.flotilla.controller.view.SeededFleet.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.controller.view.DashboardWiring.RunningDashboard;
import dev.flotilla.dashboard.DashboardConfig;
import dev.flotilla.dashboard.testkit.DashboardPage;
import dev.flotilla.dashboard.testkit.HeadlessChrome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** The team ranking, a team's page and the repository's owner, in a real browser on the real store. */
class TeamPagesBrowserIT {

  @TempDir static Path dataDir;
  static Database db;
  static HeadlessChrome chrome;
  static RunningDashboard dashboard;
  static WebDriver driver;

  @BeforeAll
  static void serve() {
    db = TestPostgres.open(dataDir, 8);
    chrome = HeadlessChrome.start();
    Jdbc jdbc = new Jdbc(db.dataSource());
    SeededFleet.truncate(jdbc);
    SeededFleet fleet = new SeededFleet(jdbc).seed();
    for (String repo : List.of("acme/alpha", "acme/bravo", "acme/charlie", "acme/delta", "acme/broken")) {
      fleet.repositories.recordOwner(fleet.id(repo), Optional.of(Ownership.fresh("core", Ownership.Source.CODEOWNERS, NOW)));
    }
    for (String repo : List.of("payments/echo", "payments/fox", "payments/golf")) {
      fleet.repositories.recordOwner(fleet.id(repo), Optional.of(new Ownership("payments", Ownership.Source.BACKSTAGE, NOW, true)));
    }
    EngineMetrics metrics = DashboardWiring.metrics(jdbc);
    dashboard = DashboardWiring.start(fleet.controller(List.of(), metrics), metrics,
        DashboardConfig.fromEnv(Map.of(DashboardConfig.PORT, "0")));
    driver = chrome.driver();
  }

  @AfterAll
  static void stopAll() {
    dashboard.close();
    chrome.close();
    db.close();
  }

  @Test
  void ranksTeamsQuickestToMergeThenFewestOpen() {
    open("#/teams", "#teams tr[data-team]");

    assertThat(cells("#teams tr[data-team]")).containsExactly("payments", "core");
    assertThat(driver.findElement(By.cssSelector("#teams tr[data-team='core'] [data-waiting]")).getText()).isEqualTo("3");
  }

  @Test
  void teamPageShowsWhatWaitsOnTheTeamWithWhatToDo() {
    open("#/teams/core", "#team-waiting tr[data-repo]");

    List<WebElement> waiting = driver.findElements(By.cssSelector("#team-waiting tbody tr"));
    assertThat(waiting).extracting(r -> r.getAttribute("data-state"))
        .containsExactlyInAnyOrder("CI_FAILED", "PR_OPEN", "INVALID_CONFIG");
    assertThat(driver.findElement(By.cssSelector("#team-waiting tr[data-repo='acme/delta'] .next")).getText())
        .startsWith("Review the pull request");
    assertThat(driver.findElement(By.cssSelector("#team-waiting tr[data-repo='acme/delta'] a[href*='/pull/4']")).getText()).isEqualTo("#4");
    assertThat(driver.findElements(By.cssSelector("#burndown path.line-open"))).hasSize(1);
    assertThat(driver.findElement(By.cssSelector("#team-repos tr[data-repo='acme/alpha']")).getText()).contains("from CODEOWNERS");
  }

  @Test
  void repositoryPageNamesTheOwnerItsSourceAndAStaleCatalogAnswer() {
    open("#/repos/payments/echo", "#repo-owner");

    String owner = driver.findElement(By.id("repo-owner")).getText();
    assertThat(owner).startsWith("owned by payments (from Backstage, as of").contains("the catalog is unreachable");
    driver.findElement(By.cssSelector("#repo-owner a")).click();
    await().atMost(DashboardPage.WAIT).ignoreExceptions()
        .until(() -> driver.findElement(By.id("team-name")).getText().equals("payments"));
  }

  private static void open(String hash, String css) {
    driver.get(dashboard.url() + hash);
    await().atMost(DashboardPage.WAIT).ignoreExceptions()
        .until(() -> "true".equals(driver.findElement(By.id("view")).getAttribute("data-loaded"))
            && !driver.findElements(By.cssSelector(css)).isEmpty());
  }

  private static List<String> cells(String rows) {
    return driver.findElements(By.cssSelector(rows)).stream().map(r -> r.getAttribute("data-team")).toList();
  }
}
