package dev.flotilla.dashboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real headless Chromium for browser tests, from Debian's {@code chromium} and {@code chromium-driver}.
 * Both paths are given explicitly so Selenium Manager never runs and nothing is downloaded; override
 * them with {@code -Dflotilla.chromium=...} and {@code -Dflotilla.chromedriver=...}.
 */
public final class HeadlessChrome implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeadlessChrome.class);

  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChrome(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static HeadlessChrome start() {
    return start(1440, 900);
  }

  public static HeadlessChrome start(int width, int height) {
    Path chromium = Path.of(System.getProperty("flotilla.chromium", "/usr/bin/chromium"));
    Path chromedriver = Path.of(System.getProperty("flotilla.chromedriver", "/usr/bin/chromedriver"));
    if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
      throw new IllegalStateException("browser tests need " + chromium + " and " + chromedriver
          + ": apt-get install -y chromium chromium-driver");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("flotilla-chrome-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Chromium profile directory", e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(width, height));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new HeadlessChrome(driver, profile);
  }

  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteProfile();
    }
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete Chromium profile {}: {}", profile, e.toString());
    }
  }
}
