package dev.flotilla.controller.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.store.StoreFleetView;
import dev.flotilla.controller.engine.ChangesetReconciler.PullRequestEvent;
import dev.flotilla.controller.engine.ResultRecorder.RunOutcome;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.dashboard.FleetMetrics;
import dev.flotilla.runner.RunResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetViewMetricsIT {

  @TempDir static Path dataDir;
  static Database db;
  Jdbc jdbc;
  final AtomicReference<Instant> now = new AtomicReference<>(SeededFleet.NOW);
  final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  FleetMetrics metrics;
  EngineMetrics observer;
  SeededFleet fleet;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 4);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void seedAfterTheObserverStarts() {
    jdbc = new Jdbc(db.dataSource());
    SeededFleet.truncate(jdbc);
    jdbc.update("INSERT INTO campaign (name, migration, spec, source, created_at, updated_at)"
        + " VALUES ('old', 'm', '{\"name\":\"old\",\"migration\":\"m\"}', 'test', now(), now())");
    metrics = new FleetMetrics(new ScrapeCache(new StoreFleetView(jdbc, clock), clock, Duration.ofSeconds(5)));
    observer = new EngineMetrics(metrics, jdbc);
    fleet = new SeededFleet(jdbc).seed();
  }

  @Test
  void countsRunsAndPullRequestsByCampaignFromTheHistoryOnce() {
    observer.runsStarted(7);
    observer.pullRequest(PullRequestEvent.OPENED);
    observer.pullRequest(PullRequestEvent.MERGED);
    observer.runsStarted(0);
    observer.pullRequest(PullRequestEvent.MERGED);

    assertThat(metrics.scrape())
        .contains("flotilla_runs_started_total{campaign=\"jackson\"} 6.0")
        .contains("flotilla_runs_started_total{campaign=\"checkout\"} 1.0")
        .contains("flotilla_pull_requests_opened_total{campaign=\"jackson\"} 5.0")
        .contains("flotilla_pull_requests_merged_total{campaign=\"jackson\"} 2.0");
  }

  @Test
  void recordsFailedRunsAndDurations() {
    observer.runFinished(new RunOutcome("jackson", RunResult.Status.FAILED, Duration.ofSeconds(40)));
    observer.runFinished(new RunOutcome("jackson", RunResult.Status.PUSHED, Duration.ofSeconds(20)));

    assertThat(metrics.scrape())
        .contains("flotilla_runs_failed_total{campaign=\"jackson\"} 1.0")
        .contains("flotilla_run_duration_seconds_count{campaign=\"jackson\"} 2")
        .contains("flotilla_run_duration_seconds_sum{campaign=\"jackson\"} 60.0");
  }

  @Test
  void changesetGaugesComeFromTheStoreAndAreReusedForAFewSeconds() {
    assertThat(metrics.scrape())
        .contains("flotilla_changesets{campaign=\"jackson\",state=\"MERGED\"} 2.0")
        .contains("flotilla_changesets{campaign=\"jackson\",state=\"INVALID_CONFIG\"} 1.0")
        .contains("flotilla_changesets{campaign=\"checkout\",state=\"PENDING\"} 1.0")
        .contains("flotilla_changesets{campaign=\"old\",state=\"PENDING\"} 0.0");

    fleet.walk(fleet.id("jackson/acme/bravo"), SeededFleet.NOW, dev.flotilla.controller.store.ChangesetStore.Changes.none(),
        dev.flotilla.controller.model.ChangesetState.PENDING);
    assertThat(metrics.scrape()).as("cached").contains("flotilla_changesets{campaign=\"jackson\",state=\"FAILED\"} 1.0");

    now.set(SeededFleet.NOW.plusSeconds(6));
    assertThat(metrics.scrape()).contains("flotilla_changesets{campaign=\"jackson\",state=\"FAILED\"} 0.0")
        .contains("flotilla_changesets{campaign=\"jackson\",state=\"PENDING\"} 2.0");
  }
}
