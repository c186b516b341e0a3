package dev.flotilla.controller.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flotilla.controller.engine.ChangesetReconciler.PullRequestEvent;
import dev.flotilla.controller.engine.ResultRecorder.RunOutcome;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.runner.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring component ships alerts and a dashboard that query metrics the controller really
 * exports (read from a live registry), and each alert behaves as intended under promtool.
 */
class MonitoringIT {

  private static final Path MONITORING = Path.of("../k8s/components/monitoring");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern METRIC = Pattern.compile("\\bflotilla_[a-z_]+\\b");

  @TempDir static Path dataDir;
  static Database db;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 4);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @Test
  void alertsAndDashboardQueryOnlyExportedMetrics() throws IOException {
    Set<String> exported = exportedMetricNames();
    Set<String> queried = new TreeSet<>();
    alerts().forEach(rule -> queried.addAll(metricNames(rule.path("expr").asText())));
    dashboardQueries().forEach(expr -> queried.addAll(metricNames(expr)));

    assertThat(queried).contains("flotilla_campaign_status", "flotilla_forge_rate_limit_remaining",
        "flotilla_runs_failed_total", "flotilla_controller_last_tick_timestamp_seconds",
        "flotilla_changeset_oldest_age_seconds", "flotilla_pull_requests_merged_total", "flotilla_run_duration_seconds_bucket");
    assertThat(exported).containsAll(queried);
  }

  @Test
  void controllerGaugesReportStatusStuckChangesetsAndTheLastTick() {
    EngineMetrics observer = seededObserver();
    observer.ticked();
    String scrape = observer.metrics().scrape();

    assertThat(scrape)
        .contains("flotilla_campaign_status{campaign=\"jackson\",status=\"ACTIVE\"} 1.0")
        .contains("flotilla_campaign_status{campaign=\"jackson\",status=\"HALTED\"} 0.0")
        .containsPattern("flotilla_changeset_oldest_age_seconds\\{campaign=\"jackson\",state=\"RUNNING\"} [1-9]")
        .doesNotContain("flotilla_changeset_oldest_age_seconds{campaign=\"jackson\",state=\"MERGED\"")
        .containsPattern("flotilla_controller_last_tick_timestamp_seconds [1-9]");
  }

  @Test
  void promtoolTestsEveryAlert() throws Exception {
    List<String> alertNames = alerts().stream().map(rule -> rule.path("alert").asText()).toList();
    String tests = Files.readString(MONITORING.resolve("tests/rules-test.yaml"));
    assertThat(alertNames).isNotEmpty().allSatisfy(name -> assertThat(tests).as("a promtool test for %s", name).contains("alertname: " + name));

    assumeTrue(promtoolAvailable(), "promtool is not on the PATH: apt-get install prometheus (.ci/run does)");
    Path dir = Files.createTempDirectory(dataDir, "promtool");
    JsonNode rule = YAML.readTree(MONITORING.resolve("prometheusrule.yaml").toFile());
    YAML.writeValue(dir.resolve("rules.yaml").toFile(), rule.path("spec"));
    Files.writeString(dir.resolve("rules-test.yaml"), tests);
    Process promtool = new ProcessBuilder("promtool", "test", "rules", "rules-test.yaml")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(output).isZero();
    assertThat(output).contains("SUCCESS");
  }

  private static EngineMetrics seededObserver() {
    Jdbc jdbc = new Jdbc(db.dataSource());
    SeededFleet.truncate(jdbc);
    EngineMetrics observer = DashboardWiring.metrics(jdbc);
    SeededFleet fleet = new SeededFleet(jdbc).seed();
    // A run that started at the seed's "now", days before the real clock: stuck for the gauge.
    fleet.walk(fleet.id("jackson/acme/bravo"), SeededFleet.NOW, ChangesetStore.Changes.none(), ChangesetState.PENDING, ChangesetState.RUNNING);
    return observer;
  }

  /** Every series name in the exposition, after one of everything the controller records. */
  private static Set<String> exportedMetricNames() {
    EngineMetrics observer = seededObserver();
    observer.runsStarted(1);
    observer.runFinished(new RunOutcome("jackson", RunResult.Status.FAILED, Duration.ofSeconds(40)));
    observer.pullRequest(PullRequestEvent.OPENED);
    observer.pullRequest(PullRequestEvent.MERGED);
    observer.metrics().recordForgeApiCall("github", "GET /repos/{owner}/{repo}/pulls");
    observer.metrics().recordRateLimitRemaining("github", 4000);
    observer.ticked();
    Set<String> names = new TreeSet<>();
    for (String line : observer.metrics().scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static List<JsonNode> alerts() throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    YAML.readTree(MONITORING.resolve("prometheusrule.yaml").toFile()).path("spec").path("groups")
        .forEach(group -> group.path("rules").forEach(rules::add));
    return rules;
  }

  private static List<String> dashboardQueries() throws IOException {
    List<String> queries = new ArrayList<>();
    new ObjectMapper().readTree(MONITORING.resolve("flotilla-dashboard.json").toFile()).findValues("expr")
        .forEach(expr -> queries.add(expr.asText()));
    new ObjectMapper().readTree(MONITORING.resolve("flotilla-dashboard.json").toFile()).findValues("query")
        .forEach(query -> queries.add(query.asText()));
    return queries;
  }

  private static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private static boolean promtoolAvailable() {
    try {
      Process process = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
