package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSnapshot;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.forge.ForgeBusy;
import dev.flotilla.controller.store.ChangesetClaims;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.PullRequestBudget;
import dev.flotilla.controller.store.StoreOutage;
import dev.flotilla.runner.RunRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Moves a changeset along once its branch is pushed: fetches what the store and the forge say,
 * asks {@link PullRequestRules} what to do, and does that {@link Step}. Safe to call again at any
 * time.
 */
public final class ChangesetReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(ChangesetReconciler.class);

  /** What happened to a pull request, for metrics. */
  public enum PullRequestEvent {
    OPENED,
    MERGED
  }

  private final EngineContext fleet;
  private final Consumer<PullRequestEvent> observer;
  private final PullRequestBudget budget;
  private final BaseTracker bases;
  private final PullRequestRules rules;
  private final PullRequestWatch watch;
  private final ChangesetClaims claims;
  private final ReconcilePool pool;

  /** How often one reconcile is repeated at once because a webhook asked while it ran. */
  private static final int MAX_RECHECKS = 3;

  /** Reconciles on the caller's thread, claiming changesets under a name of its own. */
  public ChangesetReconciler(EngineContext fleet, Consumer<PullRequestEvent> observer) {
    this(fleet, observer, fleet.changesets().claims("reconciler/" + java.util.UUID.randomUUID(), Controller.CLAIM_LEASE),
        ReconcilePool.onCallerThread());
  }

  /**
   * @param claims the store's claims this controller takes before reconciling a changeset
   * @param pool where due changesets are reconciled, several at once
   */
  public ChangesetReconciler(EngineContext fleet, Consumer<PullRequestEvent> observer, ChangesetClaims claims, ReconcilePool pool) {
    this.fleet = fleet;
    this.observer = observer;
    this.claims = claims;
    this.pool = pool;
    this.budget = fleet.pullRequestBudget();
    this.bases = new BaseTracker(fleet);
    this.rules = new PullRequestRules(fleet.settings());
    this.watch = new PullRequestWatch(fleet);
  }

  /** Records the base a changeset's branch was just pushed onto, when its campaign rebases by age. */
  void pushed(Changeset changeset) {
    Campaign campaign = fleet.campaigns().byName(changeset.campaign()).orElseThrow();
    if (campaign.spec().rebaseAfter() != null) {
      Repository repo = fleet.repositories().byId(changeset.repositoryId()).orElseThrow();
      bases.pushed(changeset, repo, fleet.clock().instant());
    }
  }

  /**
   * Reconciles every watched changeset whose next check is due, and every merged one whose default
   * branch is still watched, up to {@code limit}: claims them in the store, then reconciles them on
   * the pool, each released when done. Returns how many it looked at.
   */
  public int reconcileDue(int limit) {
    List<Changeset> due = claims.claimDue(Lifecycle.WATCHED, fleet.clock().instant(), limit);
    Map<Long, PullRequestSnapshot> read = watch.read(due);
    pool.reconcileAll(due, changeset -> reconcileClaimed(changeset, Optional.ofNullable(read.get(changeset.id()))));
    return due.size();
  }

  /**
   * Reconciles one changeset now (a webhook said something changed). When another reconcile of it
   * is running, here or in another controller, that one is asked to look again once it is done
   * instead: two reconciles of one changeset never overlap.
   */
  public void reconcile(long changesetId) {
    Optional<Changeset> claimed = claims.claim(changesetId, fleet.clock().instant());
    if (claimed.isEmpty()) {
      claims.recheck(changesetId);
      // The holder may have let go between the two: then nobody would see the recheck until the next round.
      claimed = claims.claim(changesetId, fleet.clock().instant());
    }
    claimed.ifPresent(changeset -> reconcileClaimed(changeset, Optional.empty()));
  }

  /** Frees the claims an earlier run of this controller left behind; see {@link ChangesetClaims#releaseLeftBy}. */
  int releaseClaimsLeftBy(String prefix) {
    return claims.releaseLeftBy(prefix);
  }

  /**
   * Reconciles a changeset this controller claimed (from {@code snapshot} when a batched read saw its
   * pull request), releases it, and goes again if a recheck was asked meanwhile.
   */
  private void reconcileClaimed(Changeset changeset, Optional<PullRequestSnapshot> snapshot) {
    Changeset current = changeset;
    for (int round = 0; ; round++) {
      boolean again;
      try {
        // A look asked for meanwhile reads the pull request afresh: the batched read is older than it.
        if (round == 0 && snapshot.isPresent()) {
          reconcileSafely(current, snapshot);
        } else {
          reconcileSafely(current);
        }
      } finally {
        again = claims.release(current.id());
      }
      if (!again || round >= MAX_RECHECKS) {
        return;
      }
      Optional<Changeset> next = claims.claim(current.id(), fleet.clock().instant());
      if (next.isEmpty()) {
        return;
      }
      current = next.get();
    }
  }

  /** A webhook delivery arrived: while they do, pull requests are polled less often. */
  public void webhookDelivered() {
    watch.delivered(fleet.clock().instant());
  }

  private void reconcileSafely(Changeset changeset) {
    reconcileSafely(changeset, Optional.ofNullable(watch.read(List.of(changeset)).get(changeset.id())));
  }

  /** @param snapshot the changeset's pull request as a batched read saw it, if it was read */
  private void reconcileSafely(Changeset changeset, Optional<PullRequestSnapshot> snapshot) {
    MDC.put("campaign", changeset.campaign());
    try {
      Campaign campaign = fleet.campaigns().byName(changeset.campaign()).orElseThrow();
      Repository repo = fleet.repositories().byId(changeset.repositoryId()).orElseThrow();
      MDC.put("repo", repo.fullName());
      reconcile(campaign, repo, changeset, snapshot);
    } catch (ForgeBusy e) {
      // Nothing was done; the changeset waits its turn with the reason, and it is no error.
      Instant now = fleet.clock().instant();
      LOG.debug("changeset {} waits: {}", changeset.id(), e.getMessage());
      fleet.changesets().update(changeset.id(), Changes.none()
          .reason("waiting: " + e.getMessage() + "; next in " + Math.max(1, e.retryIn().toSeconds()) + "s")
          .nextCheckAt(now.plus(e.retryIn())), now);
    } catch (RuntimeException e) {
      if (StoreOutage.causedBy(e)) {
        // Not the forge's fault nor this changeset's: the round ends and the controller recovers.
        throw e;
      }
      // The forge failing for one repository must not stop the others; the reason is kept and the
      // changeset is asked about again later.
      LOG.warn("could not reconcile changeset {}: {}", changeset.id(), e.getMessage());
      Instant now = fleet.clock().instant();
      fleet.changesets().update(changeset.id(), Changes.none().error("forge: " + e.getMessage()).nextCheckAt(later(now)), now);
    } finally {
      MDC.remove("campaign");
      MDC.remove("repo");
    }
  }

  void reconcile(Campaign campaign, Repository repo, Changeset changeset) {
    reconcile(campaign, repo, changeset, Optional.empty());
  }

  /**
   * As {@link #reconcile(Campaign, Repository, Changeset)}, deciding from {@code snapshot} where it
   * answers, and asking the forge only for what it does not.
   */
  void reconcile(Campaign campaign, Repository repo, Changeset changeset, Optional<PullRequestSnapshot> snapshot) {
    Instant now = fleet.clock().instant();
    switch (changeset.state()) {
      case PUSHED -> apply(campaign, repo, changeset, null,
          rules.open(repo, fleet.changesets().countInRepository(repo.id(), Lifecycle.OPEN_IN_REPOSITORY), now), now);
      case CONFLICT -> rerun(changeset,
          "the pull request conflicts with " + repo.ref().defaultBranch() + "; re-running on the new base");
      case PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, MODIFIED -> {
        PullRequestSnapshot read = snapshot.orElseGet(() ->
            PullRequestSnapshot.of(fleet.forge().getPullRequest(repo.ref(), changeset.prNumber())));
        PullRequest pr = read.pullRequest();
        boolean baseIsDefault = pr.base().equals(repo.ref().defaultBranch());
        Step step = rules.decide(campaign, repo, changeset, pr, new PullRequestRules.Lookups(
            () -> bases.stale(changeset, repo, campaign.spec().rebaseAfter(), now),
            () -> read.ci() != null ? read.ci() : fleet.forge().ciStatus(repo.ref(), pr.headSha()),
            () -> read.rules() != null ? read.rules() : fleet.forge().branchRules(repo.ref(), pr.base()),
            () -> read.queue() != null ? read.queue() : fleet.forge().mergeQueueStatus(repo.ref(), pr.number()),
            previous -> fleet.forge().isUpdateFromBase(repo.ref(), pr.headSha(), previous),
            () -> read.rules() != null && baseIsDefault ? read.rules().requiredChecks() : fleet.forge().requiredChecks(repo.ref())),
            watch.pacing(snapshot, now), now);
        apply(campaign, repo, changeset, pr, step, now);
      }
      case MERGED -> {
        if (changeset.watchingHealth() && changeset.mergeSha() != null) {
          apply(campaign, repo, changeset, null,
              rules.health(campaign, changeset, fleet.forge().ciStatus(repo.ref(), changeset.mergeSha()),
                  () -> fleet.forge().deploymentStatuses(repo.ref(), changeset.mergeSha(), campaign.spec().postMerge().deployments()),
                  now), now);
        }
      }
      default -> LOG.debug("changeset {} in {} needs nothing from the forge", changeset.id(), changeset.state());
    }
  }

  private void apply(Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, Step step, Instant now) {
    // Java 17: no pattern switch over the sealed steps yet.
    if (step instanceof Step.OpenPullRequest) {
      openPullRequest(campaign, repo, changeset, now);
    } else if (step instanceof Step.Wait wait) {
      Changes changes = Changes.none().nextCheckAt(wait.lookAgainAt());
      fleet.changesets().update(changeset.id(), wait.reason() == null ? changes : changes.reason(wait.reason()), now);
    } else if (step instanceof Step.MoveTo move) {
      moveTo(changeset, move, now);
    } else if (step instanceof Step.Conflict conflict) {
      fleet.changesets().transition(changeset.id(), changeset.state(), ChangesetState.CONFLICT, By.ENGINE, Changes.none(), "forge",
          "conflicts with " + conflict.base(), now);
      rerun(fleet.changesets().byId(changeset.id()).orElseThrow(), "re-running on the new base of " + conflict.base());
    } else if (step instanceof Step.Rerun rerun) {
      rerun(changeset, rerun.reason());
    } else if (step instanceof Step.Merge merge) {
      merge(campaign, repo, changeset, pr, merge, now);
    } else if (step instanceof Step.UpdateBranch update) {
      moveTo(changeset, new Step.MoveTo(ChangesetState.MERGEABLE, update.reason(), update.ci(), update.lookAgainAt()), now);
      fleet.forge().updateBranch(repo.ref(), pr.number(), update.expectedHeadSha());
    } else if (step instanceof Step.Enqueue enqueue) {
      moveTo(changeset, new Step.MoveTo(ChangesetState.MERGEABLE,
          "all checks green; adding it to the merge queue of " + pr.base(), enqueue.ci(), enqueue.lookAgainAt()), now);
      fleet.forge().enqueue(repo.ref(), pr.number(), enqueue.expectedHeadSha());
      fleet.changesets().update(changeset.id(), Changes.none().reason("in the merge queue of " + pr.base()
          + "; GitHub merges it when its merge group passes"), now);
    } else if (step instanceof Step.AdoptHead adopt) {
      // Still the changeset's state: the checks on the new head decide what comes next.
      fleet.changesets().update(changeset.id(), Changes.none().adoptedHead(adopt.headSha()).reason(adopt.reason()).nextCheckAt(later(now)), now);
    } else if (step instanceof Step.StopWatching stop) {
      fleet.changesets().update(changeset.id(), Changes.none().healthUntil(null).nextCheckAt(null).reason(stop.reason()), now);
    }
  }

  private void moveTo(Changeset changeset, Step.MoveTo move, Instant now) {
    Changes changes = Changes.none();
    String actor = "forge";
    if (move.ci() != null) {
      changes.ci(move.ci().state().name(), PullRequestRules.summary(move.ci())).nextCheckAt(move.lookAgainAt());
      if (move.to() == ChangesetState.CI_FAILED) {
        changes.error(move.reason());
      }
      if (move.to() == ChangesetState.POST_MERGE_FAILED) {
        // The checks shown stay the pull request's; the default branch's failure is the error.
        changes = Changes.none().error(move.reason()).healthUntil(null).nextCheckAt(null);
      }
      if (move.to() == ChangesetState.MERGEABLE) {
        actor = "reconciler";
      }
    }
    fleet.changesets().transition(changeset.id(), changeset.state(), move.to(), By.ENGINE, changes, actor, move.reason(), now);
  }

  /** Opens the pull request if the campaign's hourly budget has a token left, else waits for one. */
  private void openPullRequest(Campaign campaign, Repository repo, Changeset changeset, Instant now) {
    int perHour = campaign.spec().limits().pullRequestsPerHour();
    Optional<Duration> untilToken = budget.take(campaign.name(), perHour, now);
    if (untilToken.isPresent()) {
      Duration wait = untilToken.get().compareTo(fleet.settings().recheckInterval()) > 0
          ? untilToken.get() : fleet.settings().recheckInterval();
      apply(campaign, repo, changeset, null, new Step.Wait("waiting: the campaign opened its " + perHour
          + " pull requests for this hour (limits.pullRequestsPerHour); next one in " + untilToken.get().toSeconds() + "s",
          now.plus(wait)), now);
      return;
    }
    PullRequest pr = fleet.forge().openPullRequest(repo.ref(), pullRequestSpec(campaign, repo, changeset));
    boolean moved = fleet.changesets().transition(
        changeset.id(), ChangesetState.PR_OPEN, By.ENGINE,
        Changes.none().pullRequest(pr.number(), pr.url()).nextCheckAt(null),
        "reconciler", "pull request #" + pr.number() + " open", now);
    if (moved) {
      observer.accept(PullRequestEvent.OPENED);
    }
  }

  private void merge(Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, Step.Merge merge, Instant now) {
    moveTo(changeset, new Step.MoveTo(ChangesetState.MERGEABLE, "all checks green; merging", merge.ci(), merge.lookAgainAt()), now);
    fleet.changesets().mergeAttempted(changeset.id(), merge.expectedHeadSha(), now);
    MergeResult result = fleet.forge().merge(repo.ref(), pr.number(), merge.expectedHeadSha(), merge.method());
    if (result instanceof MergeResult.Merged merged) {
      fleet.changesets().mergeOutcome(changeset.id(), "MERGED " + merged.sha());
      boolean moved;
      if (changeset.reverting()) {
        moved = fleet.changesets().transition(
            changeset.id(), ChangesetState.MERGEABLE, ChangesetState.REVERTED, By.ENGINE,
            Changes.none().merged(merged.sha(), null).nextCheckAt(null),
            "reconciler", "reverted " + ResultRecorder.shortSha(changeset.revertOf()) + " as " + ResultRecorder.shortSha(merged.sha()), now);
      } else {
        var postMerge = campaign.spec().postMerge();
        // Watched from the next round: the forge's CI on the merge commit has only just started.
        Changes changes = postMerge.watched()
            ? Changes.none().merged(merged.sha(), now.plus(postMerge.watch())).nextCheckAt(now)
            : Changes.none().merged(merged.sha(), null).nextCheckAt(null);
        moved = fleet.changesets().transition(
            changeset.id(), ChangesetState.MERGEABLE, ChangesetState.MERGED, By.ENGINE, changes,
            "reconciler", "merged as " + ResultRecorder.shortSha(merged.sha())
                + (postMerge.watched() ? "; watching the default branch's checks on it"
                    + (postMerge.deployments().isEmpty() ? "" : " and its deployments to " + String.join(", ", postMerge.deployments()))
                    : ""), now);
      }
      fleet.forge().deleteBranch(repo.ref(), pr.branch());
      if (moved) {
        observer.accept(PullRequestEvent.MERGED);
      }
    } else if (result instanceof MergeResult.HeadMoved headMoved) {
      fleet.changesets().transition(
          changeset.id(), ChangesetState.MERGEABLE, ChangesetState.MODIFIED, By.ENGINE, Changes.none(), "forge",
          "the head moved to " + ResultRecorder.shortSha(headMoved.actualHeadSha()) + " before the merge; Flotilla leaves the branch alone", now);
    } else if (result instanceof MergeResult.OutOfDate outOfDate) {
      // The base is strict though its rules did not say so (they could not be read, or changed).
      Step refresh = rules.refresh(campaign, pr, merge.ci(), now);
      if (refresh instanceof Step.UpdateBranch update) {
        fleet.forge().updateBranch(repo.ref(), pr.number(), update.expectedHeadSha());
        fleet.changesets().update(changeset.id(), Changes.none().reason(update.reason()).nextCheckAt(later(now)), now);
      } else {
        apply(campaign, repo, fleet.changesets().byId(changeset.id()).orElseThrow(), pr, refresh, now);
      }
    } else if (result instanceof MergeResult.QueueRequired queueRequired) {
      fleet.forge().enqueue(repo.ref(), pr.number(), merge.expectedHeadSha());
      fleet.changesets().update(changeset.id(), Changes.none().reason("GitHub takes merges into " + pr.base()
          + " only through its merge queue; added it to the queue").nextCheckAt(later(now)), now);
    } else if (result instanceof MergeResult.Blocked blocked) {
      fleet.changesets().update(changeset.id(), Changes.none().reason("ready; waiting for what " + pr.base()
          + "'s protection or rulesets still require: " + blocked.reason()).nextCheckAt(later(now)), now);
    } else if (result instanceof MergeResult.NotMergeable refused) {
      // Not a refusal the rules can act on: look again much later rather than ask every round.
      fleet.changesets().update(changeset.id(),
          Changes.none().reason("the forge refused to merge: " + refused.reason() + "; Flotilla tries again in "
              + fleet.settings().recheckInterval().multipliedBy(REFUSED_BACKOFF).toMinutes() + " minutes")
              .nextCheckAt(now.plus(fleet.settings().recheckInterval().multipliedBy(REFUSED_BACKOFF))), now);
    }
  }

  /** How many rechecks a merge refusal the rules do not understand waits before the next try. */
  private static final int REFUSED_BACKOFF = 10;

  /** Sends the changeset back to the dispatcher to run again, keeping its pull request. */
  void rerun(Changeset changeset, String reason) {
    if (Lifecycle.RERUNNABLE.contains(changeset.state())) {
      fleet.changesets().transition(changeset.id(), changeset.state(), ChangesetState.PENDING, By.ENGINE,
          Changes.none().nextCheckAt(null), "reconciler", reason, fleet.clock().instant());
    }
  }

  private Instant later(Instant now) {
    return now.plus(fleet.settings().recheckInterval());
  }

  /** The pull request's title, body, labels and reviewers. */
  PullRequestSpec pullRequestSpec(Campaign campaign, Repository repo, Changeset changeset) {
    var migration = fleet.migrations().get(campaign.spec().migration());
    OptIn optIn = repo.optIn();
    String summary = changeset.stateReason() == null ? "" : changeset.stateReason();
    String body =
        migration.description()
            + "\n\n---\n"
            + "**Campaign:** `" + campaign.name() + "` · **Migration:** `" + migration.id() + "`\n\n"
            + "**Change:** " + summary.replaceFirst("^pushed [0-9a-f?]+: ", "") + "\n\n"
            + "**Repository owner:** " + repo.ref().owner() + " — you are in control: edit `.flotilla.yaml` to exclude this migration"
            + " (`exclude: [" + migration.id() + "]`), turn off automerge, or set a merge window.\n\n"
            + "Fleet progress: " + fleet.settings().dashboardUrl() + "/campaigns/" + campaign.name() + "\n";
    if (changeset.reverting()) {
      return new PullRequestSpec(
          RunRequest.revertBranchFor(campaign.name()),
          repo.ref().defaultBranch(),
          "Revert: " + migration.title(),
          "Reverts " + changeset.revertOf() + ", which campaign `" + campaign.name() + "` merged: a person asked"
              + " Flotilla to undo it (`flotilla campaign revert`).\n\n"
              + "Fleet progress: " + fleet.settings().dashboardUrl() + "/campaigns/" + campaign.name() + "\n",
          optIn == null ? List.of() : optIn.labels(),
          optIn == null ? List.of() : optIn.reviewers());
    }
    return new PullRequestSpec(
        RunRequest.branchFor(campaign.name()),
        repo.ref().defaultBranch(),
        migration.title(),
        body,
        optIn == null ? List.of() : optIn.labels(),
        optIn == null ? List.of() : optIn.reviewers());
  }
}
