package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The rollout rules, pure: from a campaign's changesets, what its current wave's verdict is. The next
 * wave starts only when the current one is finished and failed no more than {@code
 * haltOnFailureRate}; otherwise the campaign halts until a person resumes it.
 */
public final class WaveRules {

  /** What to do with a campaign's rollout now. */
  public sealed interface Verdict {
    /** The current wave is still going, or the last wave has changesets still moving. */
    record Continue() implements Verdict {}

    /** The wave is done: start the next; {@code accepted} when a person's resume let a failing wave through. */
    record NextWave(long failed, long counted, boolean accepted) implements Verdict {}

    /** The wave failed too often: halt the campaign with {@code reason}. */
    record Halt(String reason, long failed, long counted) implements Verdict {}

    /** Every changeset is done and no schedule will run it again. */
    record Finished() implements Verdict {}
  }

  private WaveRules() {}

  /**
   * The verdict on {@code campaign}'s current wave. A wave's failure rate counts only its own
   * changesets. {@code haltedBefore} says whether a wave already halted the campaign once: resumed
   * by a person, it goes through as it is.
   */
  public static Verdict verdict(Campaign campaign, List<Changeset> all, IntPredicate haltedBefore, Instant now) {
    var rollout = campaign.spec().rollout();
    int current = campaign.currentWave();
    int lastWave = rollout.waves().size() - 1;
    Verdict broken = brokenAfterMerge(campaign, all, haltedBefore);
    if (broken != null) {
      return broken;
    }
    boolean finished = all.stream().filter(c -> c.wave() <= current).allMatch(c -> finished(c, rollout.waveGracePeriod(), now));
    if (!finished) {
      return new Verdict.Continue();
    }
    List<Changeset> wave = all.stream().filter(c -> c.wave() == current).toList();
    long counted = wave.stream().filter(c -> !Lifecycle.NOT_COUNTED_IN_WAVE.contains(c.state())).count();
    long failed = wave.stream().filter(c -> Lifecycle.FAILURE.contains(c.state())).count();
    double rate = counted == 0 ? 0 : (double) failed / counted;
    if (current < lastWave) {
      boolean tooMany = rate > rollout.haltOnFailureRate();
      if (tooMany && !haltedBefore.test(current)) {
        return new Verdict.Halt(String.format(
            "wave %d of %d failed on %d of %d repositories (%.0f%% > haltOnFailureRate %.0f%%); fix the migration and retry,"
                + " or raise haltOnFailureRate and apply the campaign again, then run: flotilla campaign resume %s"
                + " (a resume with the rate still too high accepts the wave and starts the next)",
            current + 1, rollout.waves().size(), failed, counted, rate * 100, rollout.haltOnFailureRate() * 100, campaign.name()),
            failed, counted);
      }
      return new Verdict.NextWave(failed, counted, tooMany);
    }
    boolean allTerminal = all.stream().allMatch(c -> c.state().isTerminal() && !c.watchingHealth());
    if (allTerminal && !all.isEmpty() && campaign.spec().schedule() == null) {
      return new Verdict.Finished();
    }
    return new Verdict.Continue();
  }

  /**
   * A halt as soon as more of the merged changesets of the waves so far broke their default branch
   * than the campaign's {@code postMerge.haltOnFailureRate} allows, without waiting for the wave to
   * end; null when that is not so.
   */
  static Verdict brokenAfterMerge(Campaign campaign, List<Changeset> all, IntPredicate haltedBefore) {
    var postMerge = campaign.spec().postMerge();
    int current = campaign.currentWave();
    if (!postMerge.watched() || haltedBefore.test(current)) {
      return null;
    }
    List<Changeset> merged = all.stream().filter(c -> c.wave() <= current && MERGED_ONCE.contains(c.state())).toList();
    long broken = merged.stream().filter(c -> c.state() == ChangesetState.POST_MERGE_FAILED).count();
    double rate = merged.isEmpty() ? 0 : (double) broken / merged.size();
    if (broken == 0 || rate <= postMerge.haltOnFailureRate()) {
      return null;
    }
    return new Verdict.Halt(String.format(
        "%d of %d merged changesets broke their default branch after the merge (%.0f%% > postMerge.haltOnFailureRate %.0f%%);"
            + " revert them with: flotilla campaign revert %s --wave %d, fix the migration, then run: flotilla campaign resume %s",
        broken, merged.size(), rate * 100, postMerge.haltOnFailureRate() * 100, campaign.name(), current + 1, campaign.name()),
        broken, merged.size());
  }

  private static final java.util.Set<ChangesetState> MERGED_ONCE =
      java.util.EnumSet.of(ChangesetState.MERGED, ChangesetState.POST_MERGE_FAILED, ChangesetState.REVERTED);

  /**
   * Done for the wave: terminal (a merge once its default branch is no longer watched), failed, or an
   * open pull request older than the grace period.
   */
  static boolean finished(Changeset c, Duration grace, Instant now) {
    if (c.watchingHealth() && Lifecycle.HEALTH_WATCHED.contains(c.state())) {
      return false;
    }
    if (c.state().isTerminal() || Lifecycle.FAILURE.contains(c.state()) || c.state() == ChangesetState.HALTED
        || c.state() == ChangesetState.NEEDS_HUMAN) {
      return true;
    }
    return Lifecycle.AWAITING_MERGE.contains(c.state()) && c.stateSince() != null && c.stateSince().plus(grace).isBefore(now);
  }
}
