package dev.flotilla.dashboard;

import static org.awaitility.Awaitility.await;

import dev.flotilla.dashboard.testkit.DashboardPage;
import dev.flotilla.dashboard.testkit.DemoFleet;
import dev.flotilla.dashboard.testkit.HeadlessChrome;
import dev.flotilla.dashboard.testkit.InMemoryFleet;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;

/**
 * Takes a screenshot of the fleet overview over the demo fleet, for the README. Run through
 * {@code ScreenshotIT} (see dashboard/README.md), or as a main class with the test classpath.
 */
public final class Screenshot {

  private Screenshot() {}

  public static void main(String[] args) throws IOException {
    take(Path.of(args.length > 0 ? args[0] : "docs/dashboard.png"), "#/");
  }

  /** Serves the demo fleet, opens {@code route} (e.g. {@code #/}) and writes a PNG to {@code target}. */
  public static void take(Path target, String route) throws IOException {
    InMemoryFleet fleet = DemoFleet.build(Instant.now());
    DashboardServer server = new DashboardServer(
        DashboardConfig.fromEnv(Map.of(DashboardConfig.PORT, "0", DashboardConfig.TOKEN, "demo-token-0123456789abcdef")),
        fleet, fleet, new FleetMetrics(fleet));
    URI base = server.start();
    try (HeadlessChrome chrome = HeadlessChrome.start(1440, 860)) {
      DashboardPage page = new DashboardPage(chrome.driver(), base);
      page.openOverview().awaitLive();
      if (!route.equals("#/")) {
        chrome.driver().get(base + route);
      }
      // Fonts and the progress bars settle within a frame or two of the data arriving.
      await().atMost(DashboardPage.WAIT).until(() -> ((JavascriptExecutor) chrome.driver())
          .executeScript("return document.fonts.status === 'loaded'"
              + " && document.getElementById('view').dataset.loaded === 'true'")
          .equals(Boolean.TRUE));
      byte[] png = chrome.driver().getScreenshotAs(OutputType.BYTES);
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.write(target, png);
    } finally {
      server.stop(Duration.ZERO);
    }
  }
}
