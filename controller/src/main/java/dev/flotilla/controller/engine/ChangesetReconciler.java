package dev.flotilla.controller.engine;

import dev.flotilla.controller.config.OptIn;
import dev.flotilla.controller.forge.CiStatus;
import dev.flotilla.controller.forge.MergeResult;
import dev.flotilla.controller.forge.PullRequest;
import dev.flotilla.controller.forge.PullRequestSpec;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.PullRequestBudget;
import dev.flotilla.runner.RunRequest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Moves a changeset along once its branch is pushed: opens (or adopts) the pull request, reads CI on
 * the head, and merges when every check is green, the campaign and the repository both allow it and
 * the merge window is open. Reads, decides, acts, records; safe to call again at any time.
 */
public final class ChangesetReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(ChangesetReconciler.class);

  /** States that wait on the forge. */
  public static final Set<ChangesetState> WATCHED =
      EnumSet.of(
          ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CI_FAILED,
          ChangesetState.MERGEABLE, ChangesetState.CONFLICT, ChangesetState.MODIFIED);

  private static final Set<ChangesetState> PR_STATES =
      EnumSet.of(
          ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CI_FAILED, ChangesetState.MERGEABLE,
          ChangesetState.MODIFIED);

  /** States a changeset may be re-run from: a failure, a conflict, or a pull request on a stale base. */
  private static final Set<ChangesetState> RERUNNABLE =
      EnumSet.of(
          ChangesetState.CONFLICT, ChangesetState.CI_FAILED, ChangesetState.FAILED, ChangesetState.PR_OPEN,
          ChangesetState.CI_PENDING, ChangesetState.MERGEABLE);

  /** What happened to a pull request, for metrics. */
  public enum PullRequestEvent {
    OPENED,
    MERGED
  }

  private final Fleet fleet;
  private final Consumer<PullRequestEvent> observer;
  private final PullRequestBudget budget;
  private final BaseTracker bases;

  public ChangesetReconciler(Fleet fleet, Consumer<PullRequestEvent> observer) {
    this.fleet = fleet;
    this.observer = observer;
    this.budget = new PullRequestBudget(fleet.jdbc());
    this.bases = new BaseTracker(fleet);
  }

  /** Records the base a changeset's branch was just pushed onto, when its campaign rebases by age. */
  void pushed(Changeset changeset) {
    Campaign campaign = fleet.campaigns().byName(changeset.campaign()).orElseThrow();
    if (campaign.spec().rebaseAfter() != null) {
      Repository repo = fleet.repositories().byId(changeset.repositoryId()).orElseThrow();
      bases.pushed(changeset, repo, fleet.clock().instant());
    }
  }

  /** Reconciles every watched changeset whose next check is due; returns how many it looked at. */
  public int reconcileDue(int limit) {
    List<Changeset> due = fleet.changesets().due(WATCHED, fleet.clock().instant(), limit);
    for (Changeset changeset : due) {
      reconcileSafely(changeset);
    }
    return due.size();
  }

  /** Reconciles one changeset now (a webhook said something changed). */
  public void reconcile(long changesetId) {
    fleet.changesets().byId(changesetId).ifPresent(this::reconcileSafely);
  }

  private void reconcileSafely(Changeset changeset) {
    MDC.put("campaign", changeset.campaign());
    try {
      Campaign campaign = fleet.campaigns().byName(changeset.campaign()).orElseThrow();
      Repository repo = fleet.repositories().byId(changeset.repositoryId()).orElseThrow();
      MDC.put("repo", repo.fullName());
      reconcile(campaign, repo, changeset);
    } catch (RuntimeException e) {
      // The forge failing for one repository must not stop the others; the reason is kept and the
      // changeset is asked about again later.
      LOG.warn("could not reconcile changeset {}: {}", changeset.id(), e.getMessage());
      Instant now = fleet.clock().instant();
      fleet.changesets().update(
          changeset.id(),
          Changes.of("last_error", "forge: " + e.getMessage()).set("next_check_at", Timestamp.from(later(now))),
          now);
    } finally {
      MDC.remove("campaign");
      MDC.remove("repo");
    }
  }

  void reconcile(Campaign campaign, Repository repo, Changeset changeset) {
    switch (changeset.state()) {
      case PUSHED -> openPullRequest(campaign, repo, changeset);
      case CONFLICT -> rerun(changeset, "the pull request conflicts with " + repo.ref().defaultBranch() + "; re-running on the new base");
      case PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, MODIFIED -> follow(campaign, repo, changeset);
      default -> LOG.debug("changeset {} in {} needs nothing from the forge", changeset.id(), changeset.state());
    }
  }

  private void openPullRequest(Campaign campaign, Repository repo, Changeset changeset) {
    Instant now = fleet.clock().instant();
    String waiting = pullRequestSlotTaken(repo);
    Duration wait = fleet.settings().recheckInterval();
    if (waiting == null) {
      Optional<Duration> untilToken = budget.take(campaign.name(), campaign.spec().limits().pullRequestsPerHour(), now);
      if (untilToken.isPresent()) {
        waiting = "waiting: the campaign opened its " + campaign.spec().limits().pullRequestsPerHour()
            + " pull requests for this hour (limits.pullRequestsPerHour); next one in " + untilToken.get().toSeconds() + "s";
        wait = untilToken.get().compareTo(wait) > 0 ? untilToken.get() : wait;
      }
    }
    if (waiting != null) {
      fleet.changesets().update(
          changeset.id(), Changes.of("state_reason", waiting).set("next_check_at", Timestamp.from(now.plus(wait))), now);
      return;
    }
    PullRequest pr = fleet.forge().openPullRequest(repo.ref(), pullRequestSpec(campaign, repo, changeset));
    boolean moved =
        fleet.changesets().transition(
            changeset.id(),
            EnumSet.of(ChangesetState.PUSHED),
            ChangesetState.PR_OPEN,
            Changes.of("pr_number", pr.number()).set("pr_url", pr.url()).set("next_check_at", null),
            "reconciler",
            "pull request #" + pr.number() + " open",
            now);
    if (moved) {
      observer.accept(PullRequestEvent.OPENED);
    }
  }

  /**
   * Why the repository may not get another Flotilla pull request now (the global per-repository
   * cap), or null if it may.
   */
  private String pullRequestSlotTaken(Repository repo) {
    long openInRepo =
        fleet.jdbc().count(
            "SELECT count(*) FROM changeset WHERE repository_id = ? AND state = ANY(?)",
            repo.id(),
            PR_STATES.stream().map(Enum::name).toArray(String[]::new));
    if (openInRepo >= fleet.settings().maxOpenPullRequestsPerRepo()) {
      return "waiting: " + repo.fullName() + " already has " + openInRepo + " open Flotilla pull requests (FLOTILLA_MAX_OPEN_PRS_PER_REPO)";
    }
    return null;
  }

  private void follow(Campaign campaign, Repository repo, Changeset changeset) {
    Instant now = fleet.clock().instant();
    PullRequest pr = fleet.forge().getPullRequest(repo.ref(), changeset.prNumber());
    Set<ChangesetState> from = EnumSet.of(changeset.state());
    if (pr.state() == PullRequest.State.MERGED) {
      fleet.changesets().transition(changeset.id(), from, ChangesetState.MERGED, Changes.none(), "forge", "merged on the forge", now);
      return;
    }
    if (pr.state() == PullRequest.State.CLOSED) {
      fleet.changesets().transition(
          changeset.id(), from, ChangesetState.CLOSED, Changes.none(), "forge",
          "pull request #" + pr.number() + " was closed without merging; Flotilla will not reopen it", now);
      return;
    }
    if (changeset.state() == ChangesetState.MODIFIED) {
      recheckLater(changeset, now);
      return;
    }
    if (changeset.lastPushedSha() != null && !changeset.lastPushedSha().equals(pr.headSha())) {
      fleet.changesets().transition(
          changeset.id(), from, ChangesetState.MODIFIED, Changes.none(), "forge",
          "someone pushed " + ResultRecorder.shortSha(pr.headSha()) + " to " + pr.branch() + "; Flotilla leaves the branch alone", now);
      return;
    }
    if (pr.mergeable() == PullRequest.Mergeable.CONFLICTING) {
      fleet.changesets().transition(
          changeset.id(), from, ChangesetState.CONFLICT, Changes.none(), "forge",
          "conflicts with " + pr.base(), now);
      rerun(fleet.changesets().byId(changeset.id()).orElseThrow(), "re-running on the new base of " + pr.base());
      return;
    }
    Optional<String> stale = bases.stale(changeset, repo, campaign.spec().rebaseAfter(), now);
    if (stale.isPresent()) {
      rerun(changeset, stale.get());
      return;
    }
    CiStatus ci = fleet.forge().ciStatus(repo.ref(), pr.headSha());
    String checks = ci.checks().stream().map(c -> c.name() + ": " + c.state()).collect(Collectors.joining(", "));
    Changes changes = Changes.of("ci_state", ci.state().name()).set("ci_summary", checks).set("next_check_at", Timestamp.from(later(now)));
    switch (ci.state()) {
      case PENDING -> fleet.changesets().transition(
          changeset.id(), from, ChangesetState.CI_PENDING, changes, "forge", "waiting for CI", now);
      case NONE -> {
        if (campaign.spec().allowNoChecks()) {
          greenlit(campaign, repo, changeset, pr, from, changes, now);
        } else {
          fleet.changesets().transition(
              changeset.id(), from, ChangesetState.CI_PENDING, changes, "forge",
              "no checks reported on " + ResultRecorder.shortSha(pr.headSha()) + "; set allowNoChecks: true on the campaign to merge without CI",
              now);
        }
      }
      case FAILURE -> fleet.changesets().transition(
          changeset.id(), from, ChangesetState.CI_FAILED,
          changes.set("last_error", "CI failed: " + failing(ci)),
          "forge", "CI failed: " + failing(ci), now);
      case SUCCESS -> greenlit(campaign, repo, changeset, pr, from, changes, now);
    }
  }

  private void greenlit(
      Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, Set<ChangesetState> from, Changes changes, Instant now) {
    OptIn optIn = repo.optIn();
    String hold = mergeHold(campaign, optIn, pr, now);
    if (hold != null) {
      fleet.changesets().transition(changeset.id(), from, ChangesetState.MERGEABLE, changes, "reconciler", hold, now);
      return;
    }
    fleet.changesets().transition(changeset.id(), from, ChangesetState.MERGEABLE, changes, "reconciler", "all checks green; merging", now);
    recordMergeAttempt(changeset, pr, now);
    MergeResult result = fleet.forge().merge(repo.ref(), pr.number(), pr.headSha(), optIn.mergeMethod());
    Set<ChangesetState> mergeable = EnumSet.of(ChangesetState.MERGEABLE);
    if (result instanceof MergeResult.Merged merged) {
      fleet.jdbc().update("UPDATE merge_attempt SET outcome = ? WHERE changeset_id = ?", "MERGED " + merged.sha(), changeset.id());
      boolean moved = fleet.changesets().transition(
          changeset.id(), mergeable, ChangesetState.MERGED, Changes.of("next_check_at", null), "reconciler",
          "merged as " + ResultRecorder.shortSha(merged.sha()), now);
      fleet.forge().deleteBranch(repo.ref(), pr.branch());
      if (moved) {
        observer.accept(PullRequestEvent.MERGED);
      }
    } else if (result instanceof MergeResult.HeadMoved headMoved) {
      fleet.changesets().transition(
          changeset.id(), mergeable, ChangesetState.MODIFIED, Changes.none(), "forge",
          "the head moved to " + ResultRecorder.shortSha(headMoved.actualHeadSha()) + " before the merge; Flotilla leaves the branch alone", now);
    } else if (result instanceof MergeResult.NotMergeable refused) {
      fleet.changesets().update(
          changeset.id(), Changes.of("state_reason", "the forge refused to merge: " + refused.reason())
              .set("next_check_at", Timestamp.from(later(now))), now);
    }
  }

  /** Why a green pull request may not be merged now, or null if it may. */
  private String mergeHold(Campaign campaign, OptIn optIn, PullRequest pr, Instant now) {
    if (!campaign.spec().automerge()) {
      return "ready; waiting for review (the campaign does not automerge)";
    }
    if (optIn == null || !optIn.automerge()) {
      return "ready; waiting for review (the repository's .flotilla.yaml does not allow automerge)";
    }
    if (campaign.status() != CampaignStatus.ACTIVE) {
      return "ready; waiting because the campaign is " + campaign.status();
    }
    if (optIn.mergeWindow() != null && !optIn.mergeWindow().isOpen(now)) {
      return "ready; waiting for the merge window";
    }
    if (pr.mergeable() == PullRequest.Mergeable.UNKNOWN) {
      return "ready; the forge is still computing whether it merges cleanly";
    }
    return null;
  }

  private void recordMergeAttempt(Changeset changeset, PullRequest pr, Instant now) {
    fleet.jdbc().update(
        "INSERT INTO merge_attempt (changeset_id, head_sha, at) VALUES (?, ?, ?)"
            + " ON CONFLICT (changeset_id) DO UPDATE SET head_sha = EXCLUDED.head_sha, at = EXCLUDED.at",
        changeset.id(), pr.headSha(), now);
  }

  /** Sends the changeset back to the dispatcher to run again, keeping its pull request. */
  void rerun(Changeset changeset, String reason) {
    fleet.changesets().transition(
        changeset.id(), RERUNNABLE,
        ChangesetState.PENDING, Changes.of("next_check_at", null), "reconciler", reason, fleet.clock().instant());
  }

  private void recheckLater(Changeset changeset, Instant now) {
    fleet.changesets().update(changeset.id(), Changes.of("next_check_at", Timestamp.from(later(now))), now);
  }

  private Instant later(Instant now) {
    return now.plus(fleet.settings().recheckInterval());
  }

  private static String failing(CiStatus ci) {
    String names =
        ci.checks().stream()
            .filter(c -> c.state() == CiStatus.State.FAILURE)
            .map(c -> c.name() + (c.summary() == null || c.summary().isBlank() ? "" : " (" + lastLine(c.summary()) + ")"))
            .collect(Collectors.joining(", "));
    return names.isEmpty() ? "a check failed" : names;
  }

  private static String lastLine(String text) {
    String trimmed = text.strip();
    int nl = trimmed.lastIndexOf('\n');
    return nl < 0 ? trimmed : trimmed.substring(nl + 1);
  }

  /** The pull request's title, body, labels and reviewers. */
  PullRequestSpec pullRequestSpec(Campaign campaign, Repository repo, Changeset changeset) {
    var migration = fleet.migrations().get(campaign.spec().migration());
    String summary = changeset.stateReason() == null ? "" : changeset.stateReason();
    String body =
        migration.description()
            + "\n\n---\n"
            + "**Campaign:** `" + campaign.name() + "` · **Migration:** `" + migration.id() + "`\n\n"
            + "**Change:** " + summary.replaceFirst("^pushed [0-9a-f?]+: ", "") + "\n\n"
            + "**Repository owner:** " + repo.ref().owner() + " — you are in control: edit `.flotilla.yaml` to exclude this migration"
            + " (`exclude: [" + migration.id() + "]`), turn off automerge, or set a merge window.\n\n"
            + "Fleet progress: " + fleet.settings().dashboardUrl() + "/campaigns/" + campaign.name() + "\n";
    OptIn optIn = repo.optIn();
    return new PullRequestSpec(
        RunRequest.branchFor(campaign.name()),
        repo.ref().defaultBranch(),
        migration.title(),
        body,
        optIn == null ? List.of() : optIn.labels(),
        optIn == null ? List.of() : optIn.reviewers());
  }
}
