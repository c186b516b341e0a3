package dev.flotilla.controller.engine;

import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.runner.RunRequest;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims pending changesets and hands them to the executor, honouring each campaign's wave and
 * {@code concurrentRuns}, its open pull request limit, and the global cap. Claiming uses {@code FOR
 * UPDATE SKIP LOCKED}, so several controller replicas never claim the same changeset.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private static final java.util.Set<dev.flotilla.controller.model.CampaignStatus> DISPATCHING = EnumSet.of(
      dev.flotilla.controller.model.CampaignStatus.ACTIVE, dev.flotilla.controller.model.CampaignStatus.HALTED,
      dev.flotilla.controller.model.CampaignStatus.PAUSED);

  private final EngineContext fleet;
  private final Executor executor;

  public Dispatcher(EngineContext fleet, Executor executor) {
    this.fleet = fleet;
    this.executor = executor;
  }

  /** Starts as many runs as the limits allow; returns how many. */
  public int dispatch() {
    int free = fleet.settings().globalConcurrentRuns() - executor.inFlight();
    int started = 0;
    // A halted or paused campaign starts no migration runs, but the reverts a person asked for run.
    for (Campaign campaign : fleet.campaigns().all()) {
      if (!DISPATCHING.contains(campaign.status())) {
        continue;
      }
      if (free <= 0) {
        break;
      }
      int allowed = Math.min(free, allowedFor(campaign));
      List<Changeset> claimed =
          fleet.changesets().claimPending(campaign.name(), campaign.currentWave(), allowed, "dispatcher", fleet.clock().instant());
      started += submitAll(campaign, claimed);
      free -= claimed.size();
    }
    return started;
  }

  /**
   * Hands every changeset the store says is running to the executor again, after a restart. Run ids
   * are stable per attempt, so a run that is still going (a Kubernetes Job) is adopted, not doubled.
   */
  public int resubmitRunning() {
    List<Changeset> running = fleet.changesets().inStates(EnumSet.of(ChangesetState.RUNNING));
    Map<String, List<Changeset>> byCampaign =
        running.stream().collect(Collectors.groupingBy(Changeset::campaign, LinkedHashMap::new, Collectors.toList()));
    // a refused resubmission went back to PENDING and is dispatched again in the next round
    byCampaign.forEach((name, changesets) ->
        fleet.campaigns().byName(name).ifPresent(campaign -> submitAll(campaign, changesets)));
    if (!running.isEmpty()) {
      LOG.info("resubmitted {} runs that were in flight when the controller stopped", running.size());
    }
    return running.size();
  }

  private int allowedFor(Campaign campaign) {
    var limits = campaign.spec().limits();
    long running = fleet.changesets().countInStates(campaign.name(), EnumSet.of(ChangesetState.RUNNING));
    long holding = fleet.changesets().countInStates(campaign.name(), Lifecycle.HOLDS_A_PULL_REQUEST_SLOT);
    long byRuns = limits.concurrentRuns() - running;
    long byOpenPrs = limits.openPullRequests() - holding;
    return (int) Math.max(0, Math.min(byRuns, byOpenPrs));
  }

  /**
   * Hands claimed changesets to the executor, as many at once as it takes: a Kubernetes Job is a few
   * API round trips, which one after another would cap the start rate far below the API's limit.
   */
  private int submitAll(Campaign campaign, List<Changeset> changesets) {
    int parallelism = Math.min(executor.submitParallelism(), changesets.size());
    if (parallelism <= 1) {
      return (int) changesets.stream().filter(changeset -> submit(campaign, changeset)).count();
    }
    List<Callable<Boolean>> submits = changesets.stream()
        .<Callable<Boolean>>map(changeset -> () -> submit(campaign, changeset))
        .toList();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
      Thread thread = new Thread(task, "flotilla-dispatch");
      thread.setDaemon(true);
      return thread;
    });
    try {
      int started = 0;
      for (Future<Boolean> submitted : pool.invokeAll(submits)) {
        if (submitted.get()) {
          started++;
        }
      }
      return started;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing runs to the executor", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("handing a run to the executor failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Hands one claimed changeset to the executor; a refusal (at capacity, API down) puts it back. */
  private boolean submit(Campaign campaign, Changeset changeset) {
    Repository repo = fleet.repositories().byId(changeset.repositoryId()).orElseThrow();
    try {
      executor.submit(changeset.runId(), requestFor(campaign, changeset, repo));
      return true;
    } catch (RuntimeException e) {
      LOG.warn("could not start run {} on {}: {}", changeset.runId(), repo.fullName(), e.getMessage());
      fleet.changesets().transition(
          changeset.id(), ChangesetState.RUNNING, ChangesetState.PENDING, By.ENGINE,
          Changes.none().attempts(changeset.attempts() - 1),
          "dispatcher", "the executor did not take the run (" + e.getMessage() + "); it will be tried again",
          fleet.clock().instant());
      return false;
    }
  }

  /** The run request for one changeset's current attempt. */
  public RunRequest requestFor(Campaign campaign, Changeset changeset, Repository repo) {
    RunRequest request = request(campaign.spec(), repo.ref(), fleet.settings().author(), fleet.forge().runCredential(repo.ref()),
        changeset.lastPushedSha());
    return changeset.reverting() ? revert(request, changeset.revertOf()) : request;
  }

  /** The run that reverts merge commit {@code sha} on the campaign's revert branch instead of migrating. */
  static RunRequest revert(RunRequest migration, String sha) {
    return new RunRequest(migration.campaign(), migration.repository(), migration.migration(), migration.parameters(),
        migration.cloneUrl(), migration.defaultBranch(), RunRequest.revertBranchFor(migration.campaign()),
        migration.author(), migration.credential(), migration.lastPushedSha(), List.of(), sha, null);
  }

  /** The run request for {@code spec} on {@code ref}; {@code lastPushedSha} null for a first push. */
  public static RunRequest request(
      CampaignSpec spec, RepositoryRef ref, RunRequest.Author author, RunRequest.Credential credential, String lastPushedSha) {
    return new RunRequest(
        spec.name(),
        ref.fullName(),
        spec.migration(),
        spec.parameters(),
        ref.cloneUrl(),
        ref.defaultBranch(),
        RunRequest.branchFor(spec.name()),
        author,
        credential,
        lastPushedSha,
        spec.verifiers().stream()
            .map(v -> new RunRequest.Verifier(v.name(), v.command(), v.when(), Math.max(1, v.timeout().toSeconds())))
            .toList(),
        null,
        spec.runnerImage());
  }
}
