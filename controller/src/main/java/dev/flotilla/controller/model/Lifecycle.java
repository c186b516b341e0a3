package dev.flotilla.controller.model;

import static dev.flotilla.controller.model.ChangesetState.CI_FAILED;
import static dev.flotilla.controller.model.ChangesetState.CI_PENDING;
import static dev.flotilla.controller.model.ChangesetState.CLOSED;
import static dev.flotilla.controller.model.ChangesetState.CONFLICT;
import static dev.flotilla.controller.model.ChangesetState.FAILED;
import static dev.flotilla.controller.model.ChangesetState.MERGEABLE;
import static dev.flotilla.controller.model.ChangesetState.MERGED;
import static dev.flotilla.controller.model.ChangesetState.MODIFIED;
import static dev.flotilla.controller.model.ChangesetState.NEEDS_HUMAN;
import static dev.flotilla.controller.model.ChangesetState.NOT_APPLICABLE;
import static dev.flotilla.controller.model.ChangesetState.NO_CHANGE;
import static dev.flotilla.controller.model.ChangesetState.PENDING;
import static dev.flotilla.controller.model.ChangesetState.POST_MERGE_FAILED;
import static dev.flotilla.controller.model.ChangesetState.PR_OPEN;
import static dev.flotilla.controller.model.ChangesetState.PUSHED;
import static dev.flotilla.controller.model.ChangesetState.REVERTED;
import static dev.flotilla.controller.model.ChangesetState.RUNNING;
import static dev.flotilla.controller.model.ChangesetState.SKIPPED;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The changeset lifecycle in one place: the named groups of states the engine, the store and the
 * views ask about, and the one table of transitions. A transition not in the table is a bug, and the
 * store refuses it; docs/DESIGN.md draws the table as {@link #render()} prints it.
 */
public final class Lifecycle {

  /** Who moves a changeset. */
  public enum By {
    /** The engine's own rules: dispatching, following the pull request on the forge. */
    ENGINE,
    /** A run's result. */
    RUNNER,
    /** A person, on the command line or the dashboard. */
    PERSON,
    /** The campaign: planning as the fleet changes, and its schedule. */
    CAMPAIGN
  }

  /** One row of the table: {@code to} may be reached from {@code from} by {@code by}, because {@code why}. */
  public record Transition(ChangesetState to, By by, Set<ChangesetState> from, String why) {}

  /** Nothing more will happen on its own (a person or a new campaign run may start it again). */
  public static final Set<ChangesetState> TERMINAL =
      of(NO_CHANGE, NOT_APPLICABLE, MERGED, CLOSED, SKIPPED, POST_MERGE_FAILED, REVERTED);

  /** A pull request is open on the forge for it. */
  public static final Set<ChangesetState> OPEN_PULL_REQUEST = of(PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, CONFLICT, MODIFIED);

  /** Waits on the forge: the pull request reconciler looks at these when their next check is due. */
  public static final Set<ChangesetState> WATCHED = of(PUSHED, PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, CONFLICT, MODIFIED);

  /**
   * Holds one of the campaign's {@code limits.openPullRequests}: running (it may push), or any
   * state the reconciler watches.
   */
  public static final Set<ChangesetState> HOLDS_A_PULL_REQUEST_SLOT = union(of(RUNNING), WATCHED);

  /**
   * Counts towards {@code FLOTILLA_MAX_OPEN_PRS_PER_REPO}: a pull request is open and Flotilla is
   * not about to rebuild its branch (a CONFLICT is re-run at once).
   */
  public static final Set<ChangesetState> OPEN_IN_REPOSITORY = of(PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, MODIFIED);

  /** The reconciler follows the pull request of these on the forge. */
  public static final Set<ChangesetState> FOLLOWED = of(PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, MODIFIED);

  /**
   * A run (or one of its verifiers) failed, its checks failed, or the default branch broke after its
   * merge: counts against a wave's {@code haltOnFailureRate}.
   */
  public static final Set<ChangesetState> FAILURE = of(FAILED, CI_FAILED, POST_MERGE_FAILED);

  /**
   * Merged by Flotilla: the reconciler watches the default branch's checks on the merge commit of
   * these while their {@code healthUntil} lasts.
   */
  public static final Set<ChangesetState> HEALTH_WATCHED = of(MERGED);

  /** A person may revert these: their change is on the default branch. */
  public static final Set<ChangesetState> REVERTIBLE = of(MERGED, POST_MERGE_FAILED);

  /** Not part of a wave's failure rate: nothing was done there. */
  public static final Set<ChangesetState> NOT_COUNTED_IN_WAVE = of(NO_CHANGE, NOT_APPLICABLE, SKIPPED);

  /** An open pull request that is done with once the wave's grace period has passed. */
  public static final Set<ChangesetState> AWAITING_MERGE = of(PR_OPEN, CI_PENDING, MERGEABLE, MODIFIED);

  /** A person may send these back to run again. */
  public static final Set<ChangesetState> RETRYABLE = of(FAILED, CI_FAILED, CONFLICT, NEEDS_HUMAN);

  /** Already on its way again: a retry asked twice changes nothing. */
  public static final Set<ChangesetState> QUEUED = of(PENDING, RUNNING);

  /**
   * A scheduled campaign runs these again, so a reverted change is migrated again and a repository a
   * person has fixed is picked up.
   */
  public static final Set<ChangesetState> RECONVERGED = of(MERGED, NO_CHANGE, NEEDS_HUMAN);

  /** The engine re-runs these on a new base (a conflict, a stale branch), keeping the pull request. */
  public static final Set<ChangesetState> RERUNNABLE = of(PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, CONFLICT);

  /** States a changeset is created in. */
  public static final Set<ChangesetState> INITIAL = of(PENDING, SKIPPED);

  private static final Set<ChangesetState> CHECKED = of(PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE);

  private static final List<Transition> TABLE = List.of(
      new Transition(RUNNING, By.ENGINE, of(PENDING), "dispatched"),
      new Transition(PENDING, By.ENGINE, of(RUNNING), "the executor did not take the run"),
      new Transition(PENDING, By.ENGINE, RERUNNABLE, "re-run on a new base"),
      new Transition(NO_CHANGE, By.RUNNER, of(RUNNING), "nothing to change"),
      new Transition(NOT_APPLICABLE, By.RUNNER, of(RUNNING), "the migration does not apply"),
      new Transition(NEEDS_HUMAN, By.RUNNER, of(RUNNING), "the migration left it alone and said why"),
      new Transition(FAILED, By.RUNNER, of(RUNNING), "clone, apply, a verifier or push failed"),
      new Transition(PUSHED, By.RUNNER, of(RUNNING), "branch pushed"),
      new Transition(PR_OPEN, By.RUNNER, of(RUNNING), "branch of the open pull request updated"),
      new Transition(MODIFIED, By.RUNNER, of(RUNNING), "someone else pushed to the branch"),
      new Transition(PR_OPEN, By.ENGINE, of(PUSHED), "pull request opened"),
      new Transition(CI_PENDING, By.ENGINE, CHECKED, "checks running, or none reported"),
      new Transition(CI_FAILED, By.ENGINE, CHECKED, "a check failed"),
      new Transition(MERGEABLE, By.ENGINE, CHECKED, "every check green"),
      new Transition(CONFLICT, By.ENGINE, CHECKED, "conflicts with the base"),
      new Transition(MODIFIED, By.ENGINE, CHECKED, "someone pushed to the branch"),
      new Transition(MERGED, By.ENGINE, FOLLOWED, "merged"),
      new Transition(POST_MERGE_FAILED, By.ENGINE, HEALTH_WATCHED, "the default branch's checks failed on the merge commit"),
      new Transition(REVERTED, By.ENGINE, FOLLOWED, "the revert pull request merged"),
      new Transition(CLOSED, By.ENGINE, FOLLOWED, "closed without merging"),
      new Transition(PENDING, By.PERSON, RETRYABLE, "retry"),
      new Transition(PENDING, By.PERSON, REVERTIBLE, "revert: a run opens a pull request that reverts the merge"),
      new Transition(SKIPPED, By.PERSON, of(PENDING), "campaign cancelled"),
      new Transition(CLOSED, By.PERSON, OPEN_PULL_REQUEST, "campaign cancelled, pull request closed"),
      new Transition(PENDING, By.CAMPAIGN, of(SKIPPED), "opted in again"),
      new Transition(PENDING, By.CAMPAIGN, RECONVERGED, "scheduled re-run"),
      new Transition(SKIPPED, By.CAMPAIGN, of(PENDING), "opted out, excluded, or invalid .flotilla.yaml"));

  private Lifecycle() {}

  /** Every transition, in the order the lifecycle is told. */
  public static List<Transition> table() {
    return TABLE;
  }

  /** The states {@code by} may move a changeset to {@code to} from. */
  public static Set<ChangesetState> from(ChangesetState to, By by) {
    Set<ChangesetState> from = EnumSet.noneOf(ChangesetState.class);
    for (Transition t : TABLE) {
      if (t.to() == to && t.by() == by) {
        from.addAll(t.from());
      }
    }
    return Collections.unmodifiableSet(from);
  }

  public static boolean allows(ChangesetState from, ChangesetState to, By by) {
    return from(to, by).contains(from);
  }

  /**
   * A changeset skipped because its repository's {@code .flotilla.yaml} cannot be used: the views
   * show it apart from the other skipped ones, so owners see what to fix.
   */
  public static boolean skippedForInvalidOptIn(ChangesetState state, OptInStatus optIn) {
    return state == SKIPPED && optIn == OptInStatus.INVALID_CONFIG;
  }

  /** The table as text, one line per target state and mover: what docs/DESIGN.md shows. */
  public static String render() {
    List<String> lines = new ArrayList<>();
    lines.add("created as: " + names(INITIAL));
    for (ChangesetState to : ChangesetState.values()) {
      for (By by : By.values()) {
        for (Transition t : TABLE) {
          if (t.to() == to && t.by() == by) {
            lines.add(String.format("%-14s <- %-8s from %s (%s)", to, by.name().toLowerCase(java.util.Locale.ROOT), names(t.from()), t.why()));
          }
        }
      }
    }
    lines.add("terminal: " + names(TERMINAL));
    Set<ChangesetState> unreached = EnumSet.allOf(ChangesetState.class);
    unreached.removeAll(INITIAL);
    TABLE.forEach(t -> unreached.remove(t.to()));
    if (!unreached.isEmpty()) {
      lines.add("no rule moves a changeset to: " + names(unreached));
    }
    return String.join("\n", lines) + "\n";
  }

  private static String names(Set<ChangesetState> states) {
    return states.stream().map(Enum::name).collect(java.util.stream.Collectors.joining(", "));
  }

  private static Set<ChangesetState> of(ChangesetState first, ChangesetState... rest) {
    return Collections.unmodifiableSet(EnumSet.of(first, rest));
  }

  private static Set<ChangesetState> union(Set<ChangesetState> a, Set<ChangesetState> b) {
    Set<ChangesetState> all = EnumSet.copyOf(a);
    all.addAll(b);
    return Collections.unmodifiableSet(all);
  }
}
