package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the README screenshot when asked: {@code -Dflotilla.screenshot=/abs/path/dashboard.png}, and
 * optionally {@code -Dflotilla.screenshot.route=#/campaigns/jackson-2-18} for another page.
 */
@EnabledIfSystemProperty(named = "flotilla.screenshot", matches = ".+")
class ScreenshotIT {

  @Test
  void writesTheScreenshot() throws Exception {
    Path target = Path.of(System.getProperty("flotilla.screenshot"));
    Screenshot.take(target, System.getProperty("flotilla.screenshot.route", "#/"));
    assertThat(Files.size(target)).isGreaterThan(10_000);
  }
}
