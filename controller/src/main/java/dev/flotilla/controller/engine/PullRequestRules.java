package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.BranchRules;
import dev.flotilla.controller.model.MergeQueueStatus;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.DeploymentStatus;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSnapshot.Review;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Repository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The pull request rules, pure: given what the store and the forge say, what should happen to one
 * changeset now. Opens a pull request when the repository has room, follows it on the forge, re-runs
 * on a conflict or a stale base, and merges when every check is green, the campaign and the
 * repository both allow it, the forge requires at least one check (or the campaign's {@code
 * allowNoChecks} says otherwise) and the merge window is open. What the base branch demands (required
 * checks, up-to-date heads, a merge queue) comes from {@link BranchRules}: a required check that has
 * not passed holds the merge whatever the token may bypass; a head behind a strict base is brought up
 * to date (or re-run, when the campaign rebuilds branches with {@code rebaseAfter}); a base with a merge
 * queue gets the pull request enqueued, and its removal from the queue fails the changeset. After a
 * merge, it reads the default branch's checks on the merge commit, and the commit's deployment
 * statuses in the campaign's {@code postMerge.deployments}, while the campaign's {@code
 * postMerge.watch} lasts.
 */
public final class PullRequestRules {

  private final Duration recheck;
  private final int maxOpenPerRepository;
  private final WatchSettings pacing;
  /** Long waits end on multiples of this fraction of them; see {@link #later}. */
  private static final int ALIGNMENT = 4;

  public PullRequestRules(Duration recheck, int maxOpenPerRepository) {
    this(recheck, maxOpenPerRepository, WatchSettings.DEFAULTS);
  }

  /** @param pacing how the wait before the next look grows with what a pull request waits for */
  public PullRequestRules(Duration recheck, int maxOpenPerRepository, WatchSettings pacing) {
    this.recheck = recheck;
    this.maxOpenPerRepository = maxOpenPerRepository;
    this.pacing = pacing;
  }

  PullRequestRules(EngineSettings settings) {
    this(settings.recheckInterval(), settings.maxOpenPullRequestsPerRepo(), settings.watch());
  }

  /**
   * What is known of a pull request besides the forge's answer, for when to look at it next.
   *
   * @param review what its reviews say; {@link Review#UNKNOWN} when the forge did not say
   * @param changedAt when it last changed on the forge (a push, a review, a comment); null when unknown
   * @param webhooksArrive whether webhook deliveries arrive, so an event reconciles it at once
   */
  public record Watch(Review review, Instant changedAt, boolean webhooksArrive) {
    /** Nothing known: every wait is the poll interval. */
    public static final Watch UNKNOWN = new Watch(Review.UNKNOWN, null, false);
  }

  /** For a PUSHED changeset: open its pull request, unless the repository has {@code openInRepository} already. */
  public Step open(Repository repo, long openInRepository, Instant now) {
    if (openInRepository >= maxOpenPerRepository) {
      return new Step.Wait("waiting: " + repo.fullName() + " already has " + openInRepository
          + " open Flotilla pull requests (FLOTILLA_MAX_OPEN_PRS_PER_REPO)", now.plus(recheck));
    }
    return new Step.OpenPullRequest();
  }

  /** A revert a person asked for goes on while the campaign is halted or paused. */
  private static final Set<CampaignStatus> REVERTS_MERGE_WHEN = EnumSet.of(CampaignStatus.ACTIVE, CampaignStatus.HALTED, CampaignStatus.PAUSED);

  /**
   * What the rules may ask the forge, each asked only when the rules get that far, so a merged or
   * closed pull request costs no further forge call.
   *
   * @param staleBase why the branch should be rebuilt on a moved base, if it should
   * @param ci the checks on the head
   * @param rules what the base branch demands
   * @param queue the pull request's place in the base's merge queue
   * @param updatedFromBase whether the head is the forge's merge of the base into the given sha
   * @param requiredChecks the checks the forge requires on the default branch; none means no gate
   */
  public record Lookups(
      Supplier<Optional<String>> staleBase, Supplier<CiStatus> ci, Supplier<BranchRules> rules,
      Supplier<MergeQueueStatus> queue, Predicate<String> updatedFromBase, Supplier<List<String>> requiredChecks) {

    /** For a forge whose branches demand nothing beyond green checks and the required ones. */
    public static Lookups of(
        Supplier<Optional<String>> staleBase, Supplier<CiStatus> ci, Supplier<List<String>> requiredChecks) {
      return new Lookups(staleBase, ci, () -> BranchRules.NONE, () -> MergeQueueStatus.NOT_QUEUED, sha -> false, requiredChecks);
    }
  }

  /** As {@link #decide(Campaign, Repository, Changeset, PullRequest, Lookups, Instant)}, for a base that demands nothing more. */
  public Step decide(
      Campaign campaign, Repository repo, Changeset changeset, PullRequest pr,
      Supplier<Optional<String>> staleBase, Supplier<CiStatus> ci, Supplier<List<String>> requiredChecks, Instant now) {
    return decide(campaign, repo, changeset, pr, Lookups.of(staleBase, ci, requiredChecks), now);
  }

  /** For a changeset whose pull request is followed, with nothing known for pacing: every wait is the poll interval. */
  public Step decide(Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, Lookups lookups, Instant now) {
    return decide(campaign, repo, changeset, pr, lookups, Watch.UNKNOWN, now);
  }

  /**
   * For a changeset whose pull request is followed. The step's next look is set by what the pull
   * request waits for: CI that runs is looked at again after the poll interval; a person (a review,
   * a fix of failed CI, a decision to merge by hand) after a wait that doubles as the pull request
   * stays unchanged, up to {@link WatchSettings#maxInterval}; a closed merge window when it opens.
   * While webhooks arrive, an event reconciles the pull request at once, so the looks only catch
   * what an event missed and are at least {@link WatchSettings#withWebhooks} apart; what no event
   * announces (GitHub finishing its mergeability computation) is still looked at after the poll
   * interval.
   */
  public Step decide(Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, Lookups lookups, Watch watch, Instant now) {
    if (pr.state() == PullRequest.State.MERGED) {
      return changeset.reverting()
          ? Step.MoveTo.of(ChangesetState.REVERTED, "revert of " + ResultRecorder.shortSha(changeset.revertOf()) + " merged on the forge")
          : Step.MoveTo.of(ChangesetState.MERGED, "merged on the forge");
    }
    if (pr.state() == PullRequest.State.CLOSED) {
      return Step.MoveTo.of(ChangesetState.CLOSED,
          "pull request #" + pr.number() + " was closed without merging; Flotilla will not reopen it");
    }
    if (changeset.state() == ChangesetState.MODIFIED) {
      return new Step.Wait(null, forPerson(watch, now));
    }
    if (changeset.lastPushedSha() != null && !changeset.lastPushedSha().equals(pr.headSha())) {
      if (lookups.updatedFromBase().test(changeset.lastPushedSha())) {
        return new Step.AdoptHead(pr.headSha(), "brought up to date with " + pr.base() + " as " + ResultRecorder.shortSha(pr.headSha())
            + "; waiting for CI on it");
      }
      return Step.MoveTo.of(ChangesetState.MODIFIED,
          "someone pushed " + ResultRecorder.shortSha(pr.headSha()) + " to " + pr.branch() + "; Flotilla leaves the branch alone");
    }
    if (pr.mergeable() == PullRequest.Mergeable.CONFLICTING) {
      return new Step.Conflict(pr.base());
    }
    Optional<String> stale = lookups.staleBase().get();
    if (stale.isPresent()) {
      return new Step.Rerun(stale.get());
    }
    BranchRules rules = lookups.rules().get();
    return checked(campaign, repo, changeset, pr, required(lookups.ci().get(), rules), rules, lookups.queue(), lookups.requiredChecks(),
        watch, now);
  }

  /** What the checks on the head say, for a base that demands nothing more. */
  Step checked(
      Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, CiStatus ci,
      Supplier<List<String>> requiredChecks, Instant now) {
    return checked(campaign, repo, changeset, pr, ci, BranchRules.NONE, () -> MergeQueueStatus.NOT_QUEUED, requiredChecks, Watch.UNKNOWN, now);
  }

  /**
   * The checks with every check the base requires: one that has not reported is pending, one that
   * has not passed keeps the whole verdict from being a success. The forge may have done this
   * already; doing it here too means no forge and no token that may bypass a rule can merge early.
   */
  static CiStatus required(CiStatus ci, BranchRules rules) {
    if (rules.requiredChecks().isEmpty()) {
      return ci;
    }
    List<CiStatus.Check> checks = new ArrayList<>(ci.checks());
    boolean waiting = false;
    for (String name : rules.requiredChecks()) {
      List<CiStatus.Check> reported = ci.checks().stream().filter(c -> c.name().equals(name)).toList();
      if (reported.isEmpty()) {
        checks.add(new CiStatus.Check(name, CiStatus.State.PENDING, null, "required by " + "the base branch's rules; not reported yet"));
        waiting = true;
      } else if (reported.stream().anyMatch(c -> c.state() != CiStatus.State.SUCCESS)) {
        waiting = true;
      }
    }
    if (!waiting || ci.state() == CiStatus.State.FAILURE) {
      return checks.size() == ci.checks().size() ? ci : new CiStatus(ci.state(), checks);
    }
    boolean failed = checks.stream().anyMatch(c -> c.state() == CiStatus.State.FAILURE);
    return new CiStatus(failed ? CiStatus.State.FAILURE : CiStatus.State.PENDING, checks);
  }

  private Step checked(
      Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, CiStatus ci, BranchRules rules,
      Supplier<MergeQueueStatus> queue, Supplier<List<String>> requiredChecks, Watch watch, Instant now) {
    Instant running = forCi(watch, now);
    return switch (ci.state()) {
      case PENDING -> new Step.MoveTo(ChangesetState.CI_PENDING, "waiting for CI", ci, running);
      case NONE -> campaign.spec().allowNoChecks()
          ? green(campaign, repo, changeset, pr, ci, rules, queue, requiredChecks, watch, now)
          : new Step.MoveTo(ChangesetState.CI_PENDING, "no checks reported on " + ResultRecorder.shortSha(pr.headSha())
              + "; set allowNoChecks: true on the campaign to merge without CI", ci, running);
      case FAILURE -> new Step.MoveTo(ChangesetState.CI_FAILED, "CI failed: " + failing(ci), ci, forPerson(watch, now));
      case SUCCESS -> green(campaign, repo, changeset, pr, ci, rules, queue, requiredChecks, watch, now);
    };
  }

  private Step green(
      Campaign campaign, Repository repo, Changeset changeset, PullRequest pr, CiStatus ci, BranchRules rules,
      Supplier<MergeQueueStatus> queue, Supplier<List<String>> requiredChecks, Watch watch, Instant now) {
    Instant later = now.plus(recheck);
    Instant running = forCi(watch, now);
    String hold = mergeHold(campaign, repo.optIn(), pr, changeset.reverting(), now);
    Instant holdUntil = hold == null ? null : holdUntil(campaign, repo.optIn(), watch, now);
    if (hold == null && !rules.mergeQueue() && pr.mergeable() == PullRequest.Mergeable.BLOCKED) {
      // A person acts first (a review, most often): the base's required checks matter only after that,
      // so the wait costs no read of them.
      boolean review = watch.review().awaitsPerson() || (watch.review() == Review.UNKNOWN && rules.requiredApprovals() > 0);
      return new Step.MoveTo(ChangesetState.MERGEABLE, "ready; waiting for what " + pr.base() + "'s protection or rulesets still require"
          + (rules.requiredApprovals() > 0 ? " (" + rules.requiredApprovals() + " approving review" + (rules.requiredApprovals() == 1 ? "" : "s") + ")" : "")
          , ci, review ? forPerson(watch, now) : running);
    }
    if (hold == null) {
      hold = noGate(campaign, repo, requiredChecks.get());
      holdUntil = forPerson(watch, now);
    }
    if (hold != null) {
      return new Step.MoveTo(ChangesetState.MERGEABLE, hold, ci, holdUntil);
    }
    if (rules.mergeQueue()) {
      MergeQueueStatus status = queue.get();
      if (status instanceof MergeQueueStatus.Queued queued) {
        return new Step.MoveTo(ChangesetState.MERGEABLE, "in the merge queue of " + pr.base() + " (position " + queued.position()
            + ", " + queued.state() + "); GitHub merges it when its merge group passes", ci, running);
      }
      if (status instanceof MergeQueueStatus.Removed removed) {
        return new Step.MoveTo(ChangesetState.CI_FAILED, "removed from the merge queue of " + pr.base() + ": " + removed.reason()
            + "; fix the cause on " + pr.base() + ", then retry the changeset to build a new head", ci, forPerson(watch, now));
      }
      return new Step.Enqueue(pr.headSha(), ci, running);
    }
    if (pr.mergeable() == PullRequest.Mergeable.BEHIND && rules.strict()) {
      return refresh(campaign, pr, ci, now);
    }
    return new Step.Merge(repo.optIn().mergeMethod(), pr.headSha(), ci, later);
  }

  /**
   * The head is behind a base that requires up-to-date branches: the forge merges the base into the
   * branch, unless the campaign rebuilds its branches on a moved base ({@code rebaseAfter}): then the
   * migration runs again on the new base, keeping the branch one Flotilla commit.
   */
  Step refresh(Campaign campaign, PullRequest pr, CiStatus ci, Instant now) {
    if (campaign.spec().rebaseAfter() != null) {
      return new Step.Rerun(pr.base() + " requires branches to be up to date and moved on; re-running on the new base"
          + " (the campaign rebuilds branches, rebaseAfter)");
    }
    return new Step.UpdateBranch(pr.headSha(), "all checks green; " + pr.base()
        + " requires branches to be up to date: merging " + pr.base() + " into the branch, then waiting for CI", ci, now.plus(recheck));
  }

  /**
   * When to look again at a green pull request that is held, by what holds it (in the order of
   * {@link #mergeHold}): a person's merge, the campaign's status, the merge window, or GitHub still
   * computing mergeability, which no event announces.
   */
  private Instant holdUntil(Campaign campaign, OptIn optIn, Watch watch, Instant now) {
    if (!campaign.spec().automerge() || optIn == null || !optIn.automerge()) {
      return forPerson(watch, now);
    }
    if (campaign.status() == CampaignStatus.ACTIVE && optIn.mergeWindow() != null && !optIn.mergeWindow().isOpen(now)) {
      Instant person = forPerson(watch, now);
      return optIn.mergeWindow().nextOpening(now).filter(opens -> opens.isBefore(person)).orElse(person);
    }
    return now.plus(recheck);
  }

  /** The next look at a pull request whose CI runs: after the poll interval, or as webhooks allow. */
  Instant forCi(Watch watch, Instant now) {
    return later(now, watch.webhooksArrive() ? max(recheck, pacing.withWebhooks()) : recheck);
  }

  /**
   * The next look at a pull request that waits for a person: the poll interval doubled for as long
   * as the wait is at most half the time the pull request has not changed, up to {@link
   * WatchSettings#maxInterval}; while webhooks arrive, no sooner than {@link WatchSettings#withWebhooks}.
   */
  Instant forPerson(Watch watch, Instant now) {
    Duration unchanged = watch.changedAt() == null || watch.changedAt().isAfter(now) ? Duration.ZERO : Duration.between(watch.changedAt(), now);
    Duration wait = recheck;
    while (!wait.isZero() && wait.multipliedBy(4).compareTo(unchanged) <= 0 && wait.compareTo(pacing.maxInterval()) < 0) {
      wait = wait.multipliedBy(2);
    }
    wait = max(recheck, min(wait, pacing.maxInterval()));
    return later(now, watch.webhooksArrive() ? max(wait, pacing.withWebhooks()) : wait);
  }

  /**
   * {@code wait} after {@code now}; a wait longer than the poll interval is rounded up to the next
   * multiple of a quarter of it (counted from the epoch), so pull requests that wait alike fall due
   * at the same instants and are read together, up to a hundred a query, instead of one by one.
   */
  Instant later(Instant now, Duration wait) {
    Instant at = now.plus(wait);
    if (wait.compareTo(recheck) <= 0) {
      return at;
    }
    long step = Math.max(1, wait.toMillis() / ALIGNMENT);
    long millis = at.toEpochMilli();
    long aligned = Math.floorDiv(millis + step - 1, step) * step;
    return Instant.ofEpochMilli(aligned);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Why Flotilla will not merge into a repository whose forge requires no check, or null when it
   * requires one or the campaign's {@code allowNoChecks} accepts that: without a required check
   * the forge merges whatever the tests say.
   */
  static String noGate(Campaign campaign, Repository repo, List<String> requiredChecks) {
    if (!requiredChecks.isEmpty() || campaign.spec().allowNoChecks()) {
      return null;
    }
    return "ready; not merging: " + repo.fullName() + " requires no check on " + repo.ref().defaultBranch()
        + ", so the forge would merge even with failing tests; make a check required (branch protection),"
        + " or set allowNoChecks: true on the campaign";
  }

  /** As {@link #health(Campaign, Changeset, CiStatus, Supplier, Instant)}, for a campaign that watches no deployment. */
  public Step health(Campaign campaign, Changeset changeset, CiStatus ci, Instant now) {
    return health(campaign, changeset, ci, Map::of, now);
  }

  /**
   * For a merged changeset whose default branch is still watched: what the checks on its merge
   * commit, and its deployments to the campaign's {@code postMerge.deployments}, say. A failed check
   * or a deployment that ended in {@code failure} or {@code error} is a post-merge failure; the watch
   * ends green when the checks and every watched deployment passed, or at {@code healthUntil} with no
   * verdict. The deployments are asked only when the checks did not fail already.
   */
  public Step health(
      Campaign campaign, Changeset changeset, CiStatus ci, Supplier<Map<String, DeploymentStatus>> deployments, Instant now) {
    String sha = ResultRecorder.shortSha(changeset.mergeSha());
    String revert = "; revert it with: flotilla campaign revert " + campaign.name() + " --wave " + (changeset.wave() + 1);
    if (ci.state() == CiStatus.State.FAILURE) {
      return new Step.MoveTo(ChangesetState.POST_MERGE_FAILED,
          "the default branch broke after the merge: " + failing(ci) + " on " + sha + revert, ci, null);
    }
    List<String> environments = campaign.spec().postMerge().deployments();
    Map<String, DeploymentStatus> deployed = environments.isEmpty() ? Map.of() : deployments.get();
    for (String environment : environments) {
      DeploymentStatus status = deployed.get(environment);
      if (status != null && status.state().failed()) {
        return new Step.MoveTo(ChangesetState.POST_MERGE_FAILED,
            "the deployment of " + sha + " to " + environment + " ended in " + status.state().name().toLowerCase(java.util.Locale.ROOT)
                + deploymentDetail(status) + revert, ci, null);
      }
    }
    boolean deploymentsGreen = environments.stream().allMatch(e -> deployed.containsKey(e) && deployed.get(e).state().green());
    if (ci.state() == CiStatus.State.SUCCESS && deploymentsGreen) {
      return new Step.StopWatching("merged as " + sha + "; the default branch's checks passed on it"
          + (environments.isEmpty() ? "" : " and it deployed to " + String.join(", ", environments)), ci);
    }
    return now.isBefore(changeset.healthUntil())
        ? new Step.Wait(null, earliest(now.plus(recheck), changeset.healthUntil()))
        : new Step.StopWatching("merged as " + sha + "; no check failed on the default branch"
            + (environments.isEmpty() ? "" : " and no deployment to " + String.join(", ", environments) + " failed")
            + " within postMerge.watch", ci);
  }

  private static String deploymentDetail(DeploymentStatus status) {
    List<String> parts = new ArrayList<>();
    if (status.description() != null && !status.description().isBlank()) {
      parts.add(lastLine(status.description()));
    }
    if (status.logUrl() != null) {
      parts.add(status.logUrl());
    }
    return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Why a green pull request may not be merged now, or null if it may. */
  static String mergeHold(Campaign campaign, OptIn optIn, PullRequest pr, Instant now) {
    return mergeHold(campaign, optIn, pr, false, now);
  }

  /** As {@link #mergeHold(Campaign, OptIn, PullRequest, Instant)}; a revert also merges in a halted or paused campaign. */
  static String mergeHold(Campaign campaign, OptIn optIn, PullRequest pr, boolean reverting, Instant now) {
    if (!campaign.spec().automerge()) {
      return "ready; waiting for review (the campaign does not automerge)";
    }
    if (optIn == null || !optIn.automerge()) {
      return "ready; waiting for review (the repository's .flotilla.yaml does not allow automerge)";
    }
    if (reverting ? !REVERTS_MERGE_WHEN.contains(campaign.status()) : campaign.status() != CampaignStatus.ACTIVE) {
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

  /** How the checks read on the changeset: each one's name and state. */
  static String summary(CiStatus ci) {
    return ci.checks().stream().map(c -> c.name() + ": " + c.state()).collect(Collectors.joining(", "));
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
}
