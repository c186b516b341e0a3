package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.testkit.InMemoryFleet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FleetMetricsTest {

  private final InMemoryFleet fleet = TestFleet.build();
  private final FleetMetrics metrics = new FleetMetrics(fleet);

  @Test
  void exposesEveryFlotillaMetric() {
    metrics.recordRunStarted("jackson-2-18");
    metrics.recordRunStarted("jackson-2-18");
    metrics.recordRunFailed("jackson-2-18");
    metrics.recordRunDuration("jackson-2-18", Duration.ofSeconds(42));
    metrics.recordPullRequestOpened("jackson-2-18");
    metrics.recordPullRequestMerged("jackson-2-18");
    metrics.recordForgeApiCall("github", "GET /repos/{owner}/{repo}/pulls");
    metrics.recordRateLimitRemaining("github", 4321);

    String text = metrics.scrape();

    assertThat(text)
        .contains("# TYPE flotilla_changesets gauge")
        .contains("flotilla_changesets{campaign=\"jackson-2-18\",state=\"MERGED\"} 3.0")
        .contains("flotilla_changesets{campaign=\"java-21\",state=\"PENDING\"} 2.0")
        .contains("flotilla_changesets{campaign=\"java-21\",state=\"MERGED\"} 0.0")
        .contains("flotilla_runs_started_total{campaign=\"jackson-2-18\"} 2.0")
        .contains("flotilla_runs_failed_total{campaign=\"jackson-2-18\"} 1.0")
        .contains("flotilla_pull_requests_opened_total{campaign=\"jackson-2-18\"} 1.0")
        .contains("flotilla_pull_requests_merged_total{campaign=\"jackson-2-18\"} 1.0")
        .contains("flotilla_forge_api_calls_total{endpoint=\"GET /repos/{owner}/{repo}/pulls\",forge=\"github\"} 1.0")
        .contains("flotilla_forge_rate_limit_remaining{forge=\"github\"} 4321.0")
        .contains("flotilla_run_duration_seconds_bucket{campaign=\"jackson-2-18\",le=\"30.0\"} 0")
        .contains("flotilla_run_duration_seconds_bucket{campaign=\"jackson-2-18\",le=\"60.0\"} 1")
        .contains("flotilla_run_duration_seconds_count{campaign=\"jackson-2-18\"} 1");
  }

  @Test
  void changesetGaugesFollowThePortAtEachScrape() {
    assertThat(metrics.scrape()).contains("flotilla_changesets{campaign=\"java-21\",state=\"PENDING\"} 2.0");
    fleet.move("java-21", ChangesetState.PENDING, ChangesetState.RUNNING, 1);
    assertThat(metrics.scrape())
        .contains("flotilla_changesets{campaign=\"java-21\",state=\"PENDING\"} 1.0")
        .contains("flotilla_changesets{campaign=\"java-21\",state=\"RUNNING\"} 1.0");
  }

  @Test
  void registryIsOpenForTheControllersOwnMeters() {
    metrics.registry().counter("flotilla.discovery.runs").increment();
    assertThat(metrics.scrape()).contains("flotilla_discovery_runs_total 1.0");
  }
}
