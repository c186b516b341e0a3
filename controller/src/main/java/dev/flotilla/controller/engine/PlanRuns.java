package dev.flotilla.controller.engine;

import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.model.Plan.Entry;
import dev.flotilla.controller.model.Plan.Verdict;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.plan.Planner;
import dev.flotilla.controller.store.PlanStore;
import dev.flotilla.controller.store.RunDataTables;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Makes plans: a requested plan gets a verdict for every repository the campaign would touch, as the
 * {@link Planner} decides eligibility; each eligible repository gets a dry run through the same
 * executor as the campaign's runs (nothing pushed), within the global run cap. Results arrive
 * through {@link #onResult}; a plan is finished when every verdict is in.
 */
public final class PlanRuns implements RunListener {

  private static final Logger LOG = LoggerFactory.getLogger(PlanRuns.class);

  private final EngineContext fleet;
  private final Executor executor;
  private final PlanStore plans;
  private final RunDataTables dataTables;

  public PlanRuns(EngineContext fleet, Executor executor) {
    this.fleet = fleet;
    this.executor = executor;
    this.plans = PlanStore.beside(fleet.campaigns());
    this.dataTables = RunDataTables.beside(fleet.campaigns());
  }

  public PlanStore store() {
    return plans;
  }

  /** Asks for the plan of {@code spec} as written in {@code source}; see {@link PlanStore#request}. */
  public Plan request(CampaignSpec spec, String source, String actor, boolean again) {
    return plans.request(spec, source, actor, again, fleet.clock().instant());
  }

  /** One round: starts requested plans and hands waiting dry runs to the executor; returns how many. */
  public int advance() {
    for (Plan plan : plans.inStatus(Plan.Status.REQUESTED)) {
      start(plan);
    }
    int free = fleet.settings().globalConcurrentRuns() - executor.inFlight();
    int started = 0;
    for (Entry entry : plans.claim(free, fleet.clock().instant())) {
      if (submit(entry)) {
        started++;
      }
    }
    for (Plan plan : plans.inStatus(Plan.Status.RUNNING)) {
      plans.finishIfDone(plan.id(), fleet.clock().instant());
    }
    return started;
  }

  /** Hands the executor again every dry run the store says is going, after a restart. */
  public int resubmitRunning() {
    List<Entry> running = plans.running();
    running.forEach(this::submit);
    return running.size();
  }

  private void start(Plan plan) {
    Instant now = fleet.clock().instant();
    Campaign campaign = new Campaign(plan.spec(), CampaignStatus.ACTIVE, null, 0, now);
    List<Repository> present = fleet.repositories().present();
    Map<Long, Repository> byId = present.stream().collect(Collectors.toMap(Repository::id, Function.identity()));
    List<Entry> entries = new ArrayList<>();
    for (Planner.Decision decision : Planner.plan(campaign, present, Map.of())) {
      Repository repo = byId.get(decision.repositoryId());
      boolean runs = decision.state() == ChangesetState.PENDING;
      entries.add(new Entry(plan.id(), repo.id(), repo.fullName(), runs ? Verdict.PENDING : Verdict.REFUSED,
          runs ? null : decision.reason(), null, null, null, null, null, Plan.runId(plan.id(), repo.id()), now));
    }
    if (plans.start(plan.id(), entries, now)) {
      LOG.info("plan {} of campaign {} started: {} repositories", plan.id(), plan.campaign(), entries.size());
    }
  }

  private boolean submit(Entry entry) {
    Plan plan = plans.byId(entry.planId()).orElseThrow();
    Repository repo = fleet.repositories().byId(entry.repositoryId()).orElse(null);
    if (repo == null) {
      record(entry.runId(), RunResult.failed(RunResult.Phase.EXECUTOR, "the repository is no longer on the forge"));
      return false;
    }
    RunRequest request = Dispatcher.request(plan.spec(), repo.ref(), fleet.settings().author(),
        fleet.forge().runCredential(repo.ref()), null).asDryRun();
    try {
      executor.submit(entry.runId(), request);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("could not start dry run {} on {}: {}", entry.runId(), repo.fullName(), e.getMessage());
      plans.unclaim(entry.runId(), fleet.clock().instant());
      return false;
    }
  }

  @Override
  public void onResult(String runId, RunResult result) {
    MDC.put("run", runId);
    try {
      record(runId, result);
    } finally {
      MDC.remove("run");
    }
  }

  private void record(String runId, RunResult result) {
    Instant now = fleet.clock().instant();
    Verdict verdict = switch (result.status()) {
      case WOULD_CHANGE, PUSHED -> Verdict.WOULD_CHANGE;
      case NO_CHANGE -> Verdict.NO_CHANGE;
      case NOT_APPLICABLE -> Verdict.NOT_APPLICABLE;
      case NEEDS_HUMAN -> Verdict.NEEDS_HUMAN;
      case MODIFIED, FAILED -> Verdict.FAILED;
    };
    String reason = switch (result.status()) {
      case FAILED -> "failed in " + result.phase() + ": " + result.reason();
      case MODIFIED -> result.reason();
      default -> result.summary();
    };
    boolean changes = verdict == Verdict.WOULD_CHANGE;
    plans.record(runId, verdict, reason, result.baseSha(),
            changes ? result.filesChanged() : null, changes ? result.insertions() : null,
            changes ? result.deletions() : null, result.diff(), now)
        .ifPresentOrElse(entry -> {
          Plan plan = plans.byId(entry.planId()).orElseThrow();
          for (RunResult.DataTable table : result.dataTables()) {
            dataTables.keep(runId, table.name(), plan.campaign(), entry.repository(), table.csv(), now);
          }
          LOG.info("dry run {} on {}: {}", runId, entry.repository(), verdict);
          plans.finishIfDone(entry.planId(), now);
        }, () -> LOG.debug("result for dry run {} ignored: its plan no longer waits for it", runId));
  }
}
