package dev.flotilla.controller.engine;

import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.StoreJson;
import dev.flotilla.controller.store.StoreOutage;
import dev.flotilla.runner.RunResult;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Records a run's result on its changeset. Only the run the changeset is waiting for counts: a
 * result for an older attempt, or a second delivery of the same one, changes nothing. A result that
 * arrives while the store is unreachable is kept in a {@link ResultSpool} and recorded by {@link
 * #recordKept()} once the store is back.
 */
public final class ResultRecorder implements RunListener {

  private static final Logger LOG = LoggerFactory.getLogger(ResultRecorder.class);

  private final EngineContext fleet;
  private final Consumer<RunOutcome> observer;
  private final Consumer<Changeset> onPushed;
  private final ResultSpool spool;

  /** What a recorded run did, for metrics and live views. */
  public record RunOutcome(String campaign, RunResult.Status status, java.time.Duration duration) {}

  public ResultRecorder(EngineContext fleet, Consumer<RunOutcome> observer) {
    this(fleet, observer, changeset -> {});
  }

  /** With {@code onPushed} told about every changeset whose branch a run just pushed. */
  public ResultRecorder(EngineContext fleet, Consumer<RunOutcome> observer, Consumer<Changeset> onPushed) {
    this(fleet, observer, onPushed, ResultSpool.inMemory());
  }

  /** With results the store cannot take kept in {@code spool}. */
  public ResultRecorder(EngineContext fleet, Consumer<RunOutcome> observer, Consumer<Changeset> onPushed, ResultSpool spool) {
    this.fleet = fleet;
    this.observer = observer;
    this.onPushed = onPushed;
    this.spool = spool;
  }

  @Override
  public void onResult(String runId, RunResult result) {
    try {
      recordNow(runId, result);
      spool.recorded(runId);
    } catch (RuntimeException e) {
      if (!StoreOutage.causedBy(e)) {
        throw e;
      }
      spool.keep(runId, result);
      LOG.warn("the store is unreachable; the result of run {} ({}) is kept and recorded when the store is back",
          runId, result.status());
    }
  }

  /**
   * Records the results kept while the store was unreachable, oldest first; stops at the first the
   * store still cannot take. Returns whether any result was kept when it was called.
   */
  public boolean recordKept() {
    Map<String, RunResult> kept = spool.pending();
    for (Map.Entry<String, RunResult> entry : kept.entrySet()) {
      try {
        recordNow(entry.getKey(), entry.getValue());
      } catch (RuntimeException e) {
        if (StoreOutage.causedBy(e)) {
          throw e;
        }
        LOG.warn("the kept result of run {} could not be recorded: {}; the run is done again", entry.getKey(), e.getMessage());
      }
      spool.recorded(entry.getKey());
    }
    return !kept.isEmpty();
  }

  private void recordNow(String runId, RunResult result) {
    MDC.put("run", runId);
    try {
      Optional<Changeset> found = fleet.changesets().byRunId(runId);
      if (found.isEmpty() || found.get().state() != ChangesetState.RUNNING) {
        LOG.debug("result for run {} ignored: its changeset no longer waits for it", runId);
        return;
      }
      Changeset changeset = found.get();
      MDC.put("campaign", changeset.campaign());
      boolean recorded = record(changeset, result);
      if (recorded) {
        keepDataTables(runId, changeset, result);
      }
      if (recorded && result.status() == RunResult.Status.PUSHED) {
        onPushed.accept(changeset);
      }
      if (recorded) {
        LOG.info("run {} finished: {}", runId, describe(result));
        observer.accept(new RunOutcome(changeset.campaign(), result.status(), runDuration(changeset)));
      }
    } finally {
      MDC.remove("run");
      MDC.remove("campaign");
    }
  }

  private boolean record(Changeset changeset, RunResult result) {
    var now = fleet.clock().instant();
    // The data tables are kept apart (they may be large); a plan's dry run has no changeset.
    Changes changes = Changes.none().lastResult(result.withDataTables(java.util.List.of()));
    return switch (result.status()) {
      case NO_CHANGE, NOT_APPLICABLE, NEEDS_HUMAN -> {
        ChangesetState to = switch (result.status()) {
          case NO_CHANGE -> ChangesetState.NO_CHANGE;
          case NEEDS_HUMAN -> ChangesetState.NEEDS_HUMAN;
          default -> ChangesetState.NOT_APPLICABLE;
        };
        String reason = result.summary() == null || result.summary().isBlank() ? "nothing to change" : result.summary();
        if (changeset.prNumber() != null) {
          reason = closeObsoletePullRequest(changeset, reason);
        }
        yield fleet.changesets().transition(changeset.id(), to, By.RUNNER, changes.error(null), "runner", reason, now);
      }
      case PUSHED -> {
        // A re-run on a new base updates the branch of the pull request that is already open.
        ChangesetState to = changeset.prNumber() != null ? ChangesetState.PR_OPEN : ChangesetState.PUSHED;
        yield fleet.changesets().transition(
            changeset.id(),
            to,
            By.RUNNER,
            changes
                .pushed(result.headSha(), result.filesChanged(), result.insertions(), result.deletions())
                .error(null)
                .ciUnknown()
                .nextCheckAt(null),
            "runner",
            "pushed " + shortSha(result.headSha()) + ": " + result.summary(),
            now);
      }
      case WOULD_CHANGE -> fleet.changesets().transition(
          changeset.id(), ChangesetState.FAILED, By.RUNNER, changes.error("EXECUTOR: a dry run's result"), "runner",
          "failed: the run was a dry run and pushed nothing; retry it", now);
      case MODIFIED -> fleet.changesets().transition(
          changeset.id(), ChangesetState.MODIFIED, By.RUNNER, changes, "runner", result.reason(), now);
      case FAILED -> fleet.changesets().transition(
          changeset.id(),
          ChangesetState.FAILED,
          By.RUNNER,
          changes.error(result.phase() + ": " + result.reason()),
          "runner",
          "failed in " + result.phase() + ": " + result.reason(),
          now);
    };
  }

  private void keepDataTables(String runId, Changeset changeset, RunResult result) {
    if (result.dataTables().isEmpty()) {
      return;
    }
    var tables = dev.flotilla.controller.store.RunDataTables.beside(fleet.campaigns());
    String repository = fleet.repositories().byId(changeset.repositoryId()).map(r -> r.fullName()).orElse("?");
    for (RunResult.DataTable table : result.dataTables()) {
      tables.keep(runId, table.name(), changeset.campaign(), repository, table.csv(), fleet.clock().instant());
    }
  }

  private String closeObsoletePullRequest(Changeset changeset, String reason) {
    var repo = fleet.repositories().byId(changeset.repositoryId()).orElseThrow();
    try {
      fleet.forge().closePullRequest(
          repo.ref(), changeset.prNumber(), "Flotilla closes this pull request: " + reason + ". Nothing is left to change.");
      return reason + "; closed pull request #" + changeset.prNumber();
    } catch (RuntimeException e) {
      LOG.warn("could not close obsolete pull request #{} on {}: {}", changeset.prNumber(), repo.fullName(), e.getMessage());
      return reason + "; pull request #" + changeset.prNumber() + " could not be closed (" + e.getMessage() + "): close it by hand";
    }
  }

  private java.time.Duration runDuration(Changeset changeset) {
    return changeset.stateSince() == null
        ? java.time.Duration.ZERO
        : java.time.Duration.between(changeset.stateSince(), fleet.clock().instant());
  }

  static String shortSha(String sha) {
    return sha == null ? "?" : sha.substring(0, Math.min(7, sha.length()));
  }

  private static String describe(RunResult result) {
    return switch (result.status()) {
      case PUSHED -> "pushed " + shortSha(result.headSha()) + " (" + result.filesChanged() + " files, +" + result.insertions() + " -" + result.deletions() + ")";
      case FAILED -> "failed in " + result.phase() + ": " + result.reason();
      case MODIFIED -> "left alone: " + result.reason();
      default -> result.status() + (result.summary() == null ? "" : ": " + result.summary());
    };
  }
}
