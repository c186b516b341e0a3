package dev.flotilla.controller.engine;

import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.model.Plan.Entry;
import dev.flotilla.controller.model.Plan.Verdict;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.store.PlanStore;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor a campaign's runs go through once it may have a plan. A run of a campaign whose file
 * matches a finished plan (the same content hash), on a repository where the plan found nothing to do
 * and whose default branch is still at the plan's commit, is not run again: the plan's verdict is
 * reported as the run's result, saying so. Any other run (a stale or missing verdict, a change to
 * make, a revert) goes to the real executor. Results of plans' dry runs go to {@link PlanRuns}.
 */
public final class PlannedExecutor implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(PlannedExecutor.class);

  private final Executor executor;
  private final EngineContext fleet;
  private final PlanRuns plans;
  private volatile RunListener listener;

  public PlannedExecutor(Executor executor, EngineContext fleet, PlanRuns plans) {
    this.executor = executor;
    this.fleet = fleet;
    this.plans = plans;
  }

  @Override
  public void start(RunListener listener) {
    this.listener = listener;
    executor.start((runId, result) -> {
      if (Plan.isPlanRun(runId)) {
        plans.onResult(runId, result);
      } else {
        listener.onResult(runId, result);
      }
    });
  }

  @Override
  public void submit(String runId, RunRequest request) {
    Optional<RunResult> planned = request.dryRun() || request.revertSha() != null ? Optional.empty() : planned(request);
    if (planned.isPresent()) {
      LOG.info("run {} on {} not started: {}", runId, request.repository(), planned.get().summary());
      listener.onResult(runId, planned.get());
      return;
    }
    executor.submit(runId, request);
  }

  /** The plan's verdict for this run, if it found nothing to do and still holds. */
  private Optional<RunResult> planned(RunRequest request) {
    PlanStore store = plans.store();
    Optional<String> source = fleet.campaigns().source(request.campaign());
    if (source.isEmpty()) {
      return Optional.empty();
    }
    Optional<Plan> plan = store.finished(request.campaign(), Plan.hash(source.get()));
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    Optional<Entry> found = store.entry(plan.get().id(), request.repository());
    if (found.isEmpty() || !Verdict.NOTHING_TO_DO.contains(found.get().verdict()) || found.get().baseSha() == null) {
      return Optional.empty();
    }
    Entry entry = found.get();
    Optional<Repository> repo = fleet.repositories().byId(entry.repositoryId());
    if (repo.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> head;
    try {
      head = fleet.forge().branchHead(repo.get().ref(), request.defaultBranch());
    } catch (RuntimeException e) {
      LOG.debug("cannot read the default branch of {}; running it: {}", request.repository(), e.getMessage());
      return Optional.empty();
    }
    if (head.isEmpty() || !head.get().equals(entry.baseSha())) {
      LOG.info("plan {} is stale for {}: its default branch moved past {}", plan.get().id(), request.repository(),
          ResultRecorder.shortSha(entry.baseSha()));
      return Optional.empty();
    }
    String why = "as planned (plan " + plan.get().id() + " at " + ResultRecorder.shortSha(entry.baseSha()) + ")"
        + (entry.reason() == null || entry.reason().isBlank() ? "" : ": " + entry.reason());
    return Optional.of(switch (entry.verdict()) {
      case NOT_APPLICABLE -> RunResult.notApplicable(why);
      case NEEDS_HUMAN -> RunResult.needsHuman(why);
      default -> RunResult.noChange(why);
    });
  }

  @Override
  public int submitParallelism() {
    return executor.submitParallelism();
  }

  @Override
  public int inFlight() {
    return executor.inFlight();
  }

  @Override
  public void close() {
    executor.close();
  }
}
