package dev.flotilla.controller.view;

import dev.flotilla.controller.engine.ChangesetReconciler.PullRequestEvent;
import dev.flotilla.controller.engine.EngineObserver;
import dev.flotilla.controller.engine.ResultRecorder.RunOutcome;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.dashboard.FleetMetrics;
import dev.flotilla.runner.RunResult;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Records what the engine reports into the dashboard's Prometheus metrics. The engine says how many
 * runs started and that a pull request was opened or merged, not for which campaign; the campaign is
 * read from the changeset history written in the same step, counting each history row once.
 */
public final class EngineMetrics implements EngineObserver {

  private final FleetMetrics metrics;
  private final Jdbc jdbc;
  private final ChangesetStore events;
  private final Mark runs;
  private final Mark opened;
  private final Mark merged;
  private final ControllerGauges gauges;

  public EngineMetrics(FleetMetrics metrics, Jdbc jdbc) {
    this.metrics = metrics;
    this.jdbc = jdbc;
    this.events = new ChangesetStore(jdbc);
    // Counting starts now: history from before this process started was counted by its predecessor.
    long start = events.lastEventId();
    this.runs = new Mark(ChangesetState.RUNNING, start);
    this.opened = new Mark(ChangesetState.PR_OPEN, start);
    this.merged = new Mark(ChangesetState.MERGED, start);
    this.gauges = new ControllerGauges(metrics.registry(), jdbc, Clock.systemUTC());
  }

  Jdbc jdbc() {
    return jdbc;
  }

  public FleetMetrics metrics() {
    return metrics;
  }

  @Override
  public void runsStarted(int count) {
    runs.countSince(metrics::recordRunStarted);
  }

  @Override
  public void runFinished(RunOutcome outcome) {
    if (outcome.duration() != null) {
      metrics.recordRunDuration(outcome.campaign(), outcome.duration());
    }
    if (outcome.status() == RunResult.Status.FAILED) {
      metrics.recordRunFailed(outcome.campaign());
    }
  }

  @Override
  public void ticked() {
    gauges.ticked();
  }

  @Override
  public void pullRequest(PullRequestEvent event) {
    switch (event) {
      case OPENED -> opened.countSince(metrics::recordPullRequestOpened);
      case MERGED -> merged.countSince(metrics::recordPullRequestMerged);
    }
  }

  /** How far the history of transitions into one state has been counted. */
  private final class Mark {
    private final ChangesetState state;
    private final AtomicLong lastId;

    Mark(ChangesetState state, long start) {
      this.state = state;
      this.lastId = new AtomicLong(start);
    }

    synchronized void countSince(Consumer<String> record) {
      events.eventsInto(state, lastId.get()).forEach(e -> {
        lastId.accumulateAndGet(e.id(), Math::max);
        record.accept(e.campaign());
      });
    }
  }
}
