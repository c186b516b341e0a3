package dev.flotilla.dashboard.testkit;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The dashboard as a person uses it, for browser tests here and in the controller (against its real
 * store). Every read waits with Awaitility for the page to settle; nothing sleeps.
 */
public final class DashboardPage {

  public static final Duration WAIT = Duration.ofSeconds(15);

  private final WebDriver driver;
  private final URI base;

  public DashboardPage(WebDriver driver, URI base) {
    this.driver = driver;
    this.base = base;
  }

  public DashboardPage openOverview() {
    driver.get(base.toString());
    await().atMost(WAIT).ignoreExceptions().until(() -> !driver.findElements(By.cssSelector("#campaigns table, #campaigns .empty")).isEmpty());
    return this;
  }

  /** Waits until the page's live-update stream is connected, so published events reach it. */
  public DashboardPage awaitLive() {
    await().atMost(WAIT).until(() -> "live".equals(driver.findElement(By.id("live")).getAttribute("data-state")));
    return this;
  }

  public List<String> campaignNames() {
    return texts("#campaigns tr[data-campaign] .campaign-link");
  }

  /** {@code merged}, {@code open} or {@code total} of a campaign row on the overview. */
  public long overviewNumber(String campaign, String field) {
    return number(text("tr[data-campaign='" + campaign + "'] [data-field='" + field + "']"));
  }

  /** The changesets in one state, as the overview's progress bar segment says. */
  public long barSegment(String campaign, String state) {
    String css = "tr[data-campaign='" + campaign + "'] .bar [data-state='" + state + "']";
    return reread(() -> {
      List<WebElement> seg = driver.findElements(By.cssSelector(css));
      return seg.isEmpty() ? 0 : Long.parseLong(seg.get(0).getAttribute("data-count"));
    });
  }

  public String overviewStatus(String campaign) {
    return text("tr[data-campaign='" + campaign + "'] [data-field='status']");
  }

  public long tile(String key) {
    return number(text("[data-tile='" + key + "'] .value"));
  }

  public DashboardPage openCampaign(String name) {
    driver.get(base + "#/campaigns/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    await().atMost(WAIT).ignoreExceptions().until(() -> name.equals(driver.findElement(By.id("campaign-name")).getText())
        && !driver.findElement(By.id("page-info")).getText().isEmpty());
    return this;
  }

  public String campaignStatus() {
    return text(".page-head [data-field='status']");
  }

  public DashboardPage filterState(String state) {
    String before = pageInfo();
    driver.findElement(By.cssSelector("#filter-state option[value='" + state + "']")).click();
    awaitTableChangedFrom(before);
    return this;
  }

  public DashboardPage filterOwner(String owner) {
    return type("filter-owner", owner);
  }

  public DashboardPage search(String text) {
    return type("filter-q", text);
  }

  private DashboardPage type(String id, String value) {
    String before = pageInfo();
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
    awaitTableChangedFrom(before);
    return this;
  }

  private void awaitTableChangedFrom(String pageInfoBefore) {
    await().atMost(WAIT).ignoreExceptions().until(() -> !pageInfo().equals(pageInfoBefore));
  }

  public String pageInfo() {
    return text("#page-info");
  }

  /** The table's rows as {@code repo=STATE}. */
  public List<String> rows() {
    return reread(() -> driver.findElements(By.cssSelector("#changesets tbody tr[data-repo]")).stream()
        .map(tr -> tr.getAttribute("data-repo") + "=" + tr.getAttribute("data-state"))
        .toList());
  }

  public DashboardPage nextPage() {
    String before = pageInfo();
    driver.findElement(By.id("page-next")).click();
    awaitTableChangedFrom(before);
    return this;
  }

  public DashboardPage click(String id) {
    driver.findElement(By.id(id)).click();
    return this;
  }

  public boolean hasButton(String id) {
    return !driver.findElements(By.id(id)).isEmpty();
  }

  /** Stores the token and name the way a person does, through the sign-in dialog. */
  public DashboardPage signIn(String token, String actor) {
    driver.findElement(By.id("signin")).click();
    await().atMost(WAIT).until(() -> driver.findElement(By.id("token-dialog")).isDisplayed());
    driver.findElement(By.id("token-input")).clear();
    driver.findElement(By.id("token-input")).sendKeys(token);
    driver.findElement(By.id("actor-input")).clear();
    driver.findElement(By.id("actor-input")).sendKeys(actor);
    driver.findElement(By.id("token-save")).click();
    await().atMost(WAIT).until(() -> !driver.findElement(By.id("token-dialog")).isDisplayed());
    return this;
  }

  public DashboardPage signOut() {
    ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
    return this;
  }

  /** The banner's text once it shows; errors and confirmations both use it. */
  public String awaitBanner() {
    await().atMost(WAIT).until(() -> driver.findElement(By.id("banner")).isDisplayed()
        && !driver.findElement(By.id("banner-text")).getText().isEmpty());
    return driver.findElement(By.id("banner-text")).getText();
  }

  public boolean bannerIsError() {
    return driver.findElement(By.id("banner")).getAttribute("class").contains("error");
  }

  public WebDriver driver() {
    return driver;
  }

  private String text(String css) {
    return await().atMost(WAIT).ignoreExceptionsMatching(e -> e instanceof NoSuchElementException
            || e instanceof StaleElementReferenceException)
        .until(() -> driver.findElement(By.cssSelector(css)).getText(), t -> true);
  }

  private List<String> texts(String css) {
    return reread(() -> driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
  }

  /**
   * Reads several elements as one snapshot. A live update replaces rows while they are read, so a
   * read that meets a replaced element starts over; five misses in a row is a real failure.
   */
  private static <T> T reread(java.util.function.Supplier<T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", "").strip());
  }
}
