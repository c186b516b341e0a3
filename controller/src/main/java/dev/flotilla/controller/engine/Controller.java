package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.discovery.BackstageCatalog;
import dev.flotilla.controller.discovery.Discovery;
import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.StoreOutage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine, assembled: discovery, planning, dispatching, result recording and pull request
 * reconciliation over one store, one forge and one executor. {@link #tick()} does one round of
 * everything and is what the schedules call; every step is safe to repeat. Once started, a recorded
 * result also starts the next runs at once (a dispatch round of its own), so a freed slot does not
 * wait for the next poll.
 */
public final class Controller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
  private static final int RECONCILE_BATCH = 500;
  /** How long a claim on a changeset holds if its reconcile never ends (the controller died). */
  static final Duration CLAIM_LEASE = Duration.ofMinutes(2);

  private final EngineContext fleet;
  private final Executor executor;
  private final PlanRuns plans;
  private final PlannedExecutor runs;
  private volatile Discovery discovery;
  private final Dispatcher dispatcher;
  private final CampaignReconciler campaigns;
  private final ChangesetReconciler changesets;
  private final List<Consumer<String>> changeListeners = new CopyOnWriteArrayList<>();
  private final EngineObserver observer;
  private volatile ResultRecorder recorder;
  private volatile boolean storeWasUnreachable;
  private final ReconcilePool reconcilePool;
  /** Rounds do not overlap; nothing else waits for one. */
  private final ReentrantLock rounds = new ReentrantLock();
  private final DispatchLoop dispatchLoop = new DispatchLoop(this::dispatchRound);

  public Controller(EngineContext fleet, Executor executor, EngineObserver observer) {
    this(fleet, executor, observer, ReconcilePool.DEFAULT_PARALLELISM);
  }

  /** @param reconcileParallelism how many changesets are reconciled at once */
  public Controller(EngineContext fleet, Executor executor, EngineObserver observer, int reconcileParallelism) {
    this.fleet = fleet;
    this.executor = executor;
    this.observer = observer;
    this.discovery = new Discovery(fleet.forge(), fleet.repositories(), fleet.clock());
    this.plans = new PlanRuns(fleet, executor);
    this.runs = new PlannedExecutor(executor, fleet, plans);
    this.dispatcher = new Dispatcher(fleet, runs);
    this.campaigns = new CampaignReconciler(fleet);
    this.reconcilePool = new ReconcilePool(reconcileParallelism);
    this.changesets = new ChangesetReconciler(fleet, e -> {
      observer.pullRequest(e);
      changed("pull-request");
    }, fleet.changesets().claims(claimOwner(), CLAIM_LEASE), reconcilePool);
  }

  /** This controller's name in the claims it takes: the host, and a random part for each start. */
  private static String claimOwner() {
    return claimHost().orElse("controller") + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The pod or host name, when there is one: a process of the same name that started before is gone. */
  private static Optional<String> claimHost() {
    return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank());
  }

  /** Asks {@code catalog} first for each repository's owner at discovery; call before {@link #start()}. */
  public void ownersFrom(BackstageCatalog catalog) {
    this.discovery = new Discovery(fleet.forge(), fleet.repositories(), fleet.clock(), java.util.Optional.of(catalog));
  }

  public EngineContext fleet() {
    return fleet;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** Plans: campaign dry runs over the fleet. */
  public PlanRuns plans() {
    return plans;
  }

  public ChangesetReconciler changesetReconciler() {
    return changesets;
  }

  /** Starts receiving results and picks up runs that were in flight before a restart. */
  public void start() {
    start(ResultSpool.inMemory());
  }

  /**
   * As {@link #start()}, keeping results the store cannot take in {@code spool}; results an earlier
   * process kept there are recorded first, so their runs are not done again.
   */
  public void start(ResultSpool spool) {
    claimHost().ifPresent(host -> {
      int freed = changesets.releaseClaimsLeftBy(host + "/");
      if (freed > 0) {
        LOG.info("freed {} changeset claims an earlier run of this controller ({}) left behind", freed, host);
      }
    });
    recorder = new ResultRecorder(fleet, outcome -> {
      observer.runFinished(outcome);
      changed(outcome.campaign());
      // The run's slot is free: the next run starts now, not at the next poll.
      dispatchLoop.wake();
    }, changesets::pushed, spool);
    runs.start(recorder);
    recorder.recordKept();
    dispatcher.resubmitRunning();
    plans.resubmitRunning();
    dispatchLoop.start();
  }

  /** Tells live views that something in a campaign (or the fleet) changed. */
  public void onChange(Consumer<String> listener) {
    changeListeners.add(listener);
  }

  private void changed(String what) {
    for (Consumer<String> listener : changeListeners) {
      listener.accept(what);
    }
  }

  public Discovery.Scan discover() {
    Discovery.Scan scan = discovery.scan();
    campaigns.reconcileAll();
    changed("discovery");
    return scan;
  }

  /**
   * Re-reads one repository's opt-in file now (a push changed it) and plans campaigns with the new
   * verdict, as a discovery would.
   */
  public void rescan(RepositoryRef repository) {
    discovery.rescan(repository);
    campaigns.reconcileAll();
    changed("discovery");
  }

  /** Marks repositories the forge took away ({@code owner/name}) absent, as a discovery would. */
  public int forget(List<String> repositories) {
    int forgotten = discovery.forget(repositories);
    campaigns.reconcileAll();
    changed("discovery");
    return forgotten;
  }

  /** One round: plan and advance campaigns, start runs, follow pull requests. */
  public void tick() {
    inRound(() -> {
      recoverFromStoreOutage();
      round();
    });
  }

  /** Runs {@code body} as a round: rounds do not overlap, and a store outage is remembered for the next tick. */
  private void inRound(Runnable body) {
    rounds.lock();
    try {
      body.run();
    } catch (RuntimeException e) {
      if (StoreOutage.causedBy(e)) {
        storeWasUnreachable = true;
      }
      throw e;
    } finally {
      rounds.unlock();
    }
  }

  /**
   * After the store was unreachable: records the results kept meanwhile, then hands the executor
   * again every changeset the store says is running, as after a restart. A round cut short by the
   * outage may have claimed a changeset without starting its run; the executor ignores a run it
   * already has in flight.
   */
  private void recoverFromStoreOutage() {
    boolean kept = recorder != null && recorder.recordKept();
    if (kept || storeWasUnreachable) {
      int resubmitted = dispatcher.resubmitRunning();
      LOG.info("the store is back: recorded the kept run results, {} running changesets handed to the executor again", resubmitted);
      storeWasUnreachable = false;
    }
  }

  private void round() {
    campaigns.reconcileAll();
    dispatchRuns();
    if (plans.advance() > 0) {
      changed("plan");
    }
    int followed = changesets.reconcileDue(RECONCILE_BATCH);
    if (followed > 0) {
      changed("reconcile");
    }
    observer.ticked();
  }

  /**
   * A round of dispatching alone, when a run's slot freed or a campaign may run again. Waves are
   * judged first, as in {@link #tick()}: a failure that halts its campaign starts nothing, and a
   * finished wave lets the next one start. Planning (new repositories) stays with the polling round.
   */
  private void dispatchRound() {
    inRound(() -> {
      if (storeWasUnreachable) {
        // The next tick records the kept results and hands the running changesets over first.
        return;
      }
      campaigns.advanceAll();
      dispatchRuns();
    });
  }

  private void dispatchRuns() {
    int started = dispatcher.dispatch();
    if (started > 0) {
      observer.runsStarted(started);
      changed("dispatch");
    }
  }

  /**
   * A scheduled campaign's tick: besides planning, changesets that merged or had nothing to change
   * are run again, so a reverted change or a newly drifted repository is migrated again.
   */
  public void reconverge(String campaignName) {
    Instant now = fleet.clock().instant();
    fleet.campaigns().byName(campaignName).filter(Campaign::isActive).ifPresent(campaign -> {
      for (Changeset c : fleet.changesets().forCampaign(campaignName)) {
        // A merged pull request is history: the next change, if any, gets a fresh branch and pull
        // request rather than touching the merged one.
        if (!Lifecycle.RECONVERGED.contains(c.state())) {
          continue;
        }
        Changes fresh = c.state() == ChangesetState.MERGED ? Changes.none().forgetPullRequest() : Changes.none();
        fleet.changesets().transition(
            c.id(), c.state(), ChangesetState.PENDING, By.CAMPAIGN,
            fresh, "schedule", "scheduled re-run to keep the fleet converged", now);
      }
      campaigns.reconcile(campaign);
    });
    changed(campaignName);
  }

  /** Creates or updates a campaign; returns true when it is new. */
  public boolean applyCampaign(CampaignSpec spec, String source, String actor) {
    Instant now = fleet.clock().instant();
    boolean created = fleet.campaigns().apply(spec, source, now);
    fleet.campaigns().audit(actor, created ? "create campaign" : "update campaign", spec.name(), null, now);
    fleet.campaigns().byName(spec.name()).filter(Campaign::isActive).ifPresent(campaigns::reconcile);
    changed(spec.name());
    dispatchLoop.wake();
    return created;
  }

  public boolean pause(String campaign, String actor) {
    return setStatus(campaign, CampaignStatus.PAUSED, "paused by " + actor, actor, CampaignStatus.ACTIVE);
  }

  public boolean resume(String campaign, String actor) {
    boolean resumed = setStatus(campaign, CampaignStatus.ACTIVE, null, actor, CampaignStatus.PAUSED, CampaignStatus.HALTED);
    if (resumed) {
      dispatchLoop.wake();
    }
    return resumed;
  }

  /** Stops new runs; with {@code closePullRequests}, also closes the open ones with a comment. */
  public boolean cancel(String campaign, boolean closePullRequests, String actor) {
    boolean moved = new Cancellation(fleet).cancel(campaign, closePullRequests, actor).cancelled();
    changed(campaign);
    return moved;
  }

  /** Sends a failed, CI-failed, conflicting or needs-a-person changeset back to run again. */
  public boolean retry(long changesetId, String actor) {
    boolean moved = fleet.changesets().transitionFrom(
        changesetId, Lifecycle.RETRYABLE, ChangesetState.PENDING, By.PERSON, Changes.none().nextCheckAt(null), actor,
        "retry requested by " + actor, fleet.clock().instant());
    changed("retry");
    return moved;
  }

  /** Opens a revert pull request for each merged changeset {@code selection} names; see {@link Reverts}. */
  public Optional<Reverts.Result> revert(String campaign, Reverts.Selection selection, String actor) {
    Optional<Reverts.Result> result = new Reverts(fleet.changesets(), fleet.campaigns(), fleet.repositories())
        .revert(campaign, selection, actor, fleet.clock().instant());
    changed(campaign);
    return result;
  }

  public int retryAllFailed(String campaign, String actor) {
    int n = 0;
    for (Changeset c : fleet.changesets().forCampaign(campaign)) {
      if (Lifecycle.FAILURE.contains(c.state()) && retry(c.id(), actor)) {
        n++;
      }
    }
    return n;
  }

  private boolean setStatus(String campaign, CampaignStatus to, String reason, String actor, CampaignStatus... from) {
    Instant now = fleet.clock().instant();
    boolean moved = fleet.campaigns().setStatus(campaign, to, reason, now, from);
    if (moved) {
      fleet.campaigns().audit(actor, to.name().toLowerCase(java.util.Locale.ROOT), campaign, reason, now);
      LOG.info("campaign {} is now {} ({})", campaign, to, actor);
      changed(campaign);
    }
    return moved;
  }

  @Override
  public void close() {
    dispatchLoop.close();
    executor.close();
    reconcilePool.close();
  }
}
