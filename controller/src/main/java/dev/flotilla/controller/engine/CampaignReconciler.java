package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.plan.Planner;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps a campaign's changesets matching the fleet (planning) and moves the campaign through its
 * rollout: the next wave starts only when the current one is finished and failed no more than
 * {@code haltOnFailureRate}; otherwise the campaign halts until a person resumes it.
 */
public final class CampaignReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignReconciler.class);

  static final Set<ChangesetState> FAILURES = EnumSet.of(ChangesetState.FAILED, ChangesetState.CI_FAILED);
  private static final Set<ChangesetState> NOT_COUNTED =
      EnumSet.of(ChangesetState.NO_CHANGE, ChangesetState.NOT_APPLICABLE, ChangesetState.SKIPPED);
  private static final Set<ChangesetState> OPEN_PR =
      EnumSet.of(ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.MERGEABLE, ChangesetState.MODIFIED);

  private final Fleet fleet;

  public CampaignReconciler(Fleet fleet) {
    this.fleet = fleet;
  }

  /** Plans and advances every campaign that is not finished. */
  public void reconcileAll() {
    for (Campaign campaign : fleet.campaigns().all()) {
      if (campaign.status() == CampaignStatus.ACTIVE) {
        reconcile(campaign);
      }
    }
  }

  public void reconcile(Campaign campaign) {
    MDC.put("campaign", campaign.name());
    try {
      plan(campaign);
      advanceWave(fleet.campaigns().byName(campaign.name()).orElseThrow());
    } finally {
      MDC.remove("campaign");
    }
  }

  /** Creates and updates changesets so every eligible repository has one; returns how many changed. */
  public int plan(Campaign campaign) {
    Instant now = fleet.clock().instant();
    Map<Long, Changeset> existing =
        fleet.changesets().forCampaign(campaign.name()).stream()
            .collect(Collectors.toMap(Changeset::repositoryId, Function.identity()));
    List<Planner.Decision> decisions = Planner.plan(campaign, fleet.repositories().present(), existing);
    for (Planner.Decision d : decisions) {
      if (d.existingId() == null) {
        fleet.changesets().createIfAbsent(campaign.name(), d.repositoryId(), d.state(), d.reason(), d.wave(), "planner", now);
      } else {
        Set<ChangesetState> from = d.state() == ChangesetState.PENDING ? EnumSet.of(ChangesetState.SKIPPED) : EnumSet.of(ChangesetState.PENDING);
        fleet.changesets().transition(d.existingId(), from, d.state(), Changes.of("wave", d.wave()), "planner", d.reason(), now);
      }
    }
    if (!decisions.isEmpty()) {
      LOG.info("planned {} changes for campaign {}", decisions.size(), campaign.name());
    }
    return decisions.size();
  }

  /**
   * Starts the next wave, halts the campaign, or marks it completed, depending on how the current
   * wave went. A wave's failure rate counts only its own changesets. A wave that halted the campaign
   * is evaluated again once a person resumes it: with a threshold raised by {@code campaign apply}
   * it passes on its own; otherwise the resume itself accepts the wave, and the next one starts.
   */
  void advanceWave(Campaign campaign) {
    Instant now = fleet.clock().instant();
    var rollout = campaign.spec().rollout();
    int current = campaign.currentWave();
    int lastWave = rollout.waves().size() - 1;
    List<Changeset> all = fleet.changesets().forCampaign(campaign.name());
    boolean finished = all.stream().filter(c -> c.wave() <= current).allMatch(c -> finished(c, rollout.waveGracePeriod(), now));
    if (!finished) {
      return;
    }
    List<Changeset> wave = all.stream().filter(c -> c.wave() == current).toList();
    long counted = wave.stream().filter(c -> !NOT_COUNTED.contains(c.state())).count();
    long failed = wave.stream().filter(c -> FAILURES.contains(c.state())).count();
    double rate = counted == 0 ? 0 : (double) failed / counted;
    if (current < lastWave) {
      if (rate > rollout.haltOnFailureRate()) {
        if (!haltedBefore(campaign.name(), current)) {
          halt(campaign, failed, counted, rate, now);
          return;
        }
        accept(campaign, failed, counted, now);
      }
      fleet.campaigns().setCurrentWave(campaign.name(), current + 1, now);
      LOG.info("campaign {}: wave {} finished ({} of {} failed); starting wave {}",
          campaign.name(), current + 1, failed, counted, current + 2);
      return;
    }
    boolean allTerminal = all.stream().allMatch(c -> c.state().isTerminal());
    if (allTerminal && !all.isEmpty() && campaign.spec().schedule() == null) {
      fleet.campaigns().setStatus(campaign.name(), CampaignStatus.COMPLETED, "every changeset is done", now, CampaignStatus.ACTIVE);
    }
  }

  private void halt(Campaign campaign, long failed, long counted, double rate, Instant now) {
    var rollout = campaign.spec().rollout();
    int current = campaign.currentWave();
    String reason = String.format(
        "wave %d of %d failed on %d of %d repositories (%.0f%% > haltOnFailureRate %.0f%%); fix the migration and retry,"
            + " or raise haltOnFailureRate and apply the campaign again, then run: flotilla campaign resume %s"
            + " (a resume with the rate still too high accepts the wave and starts the next)",
        current + 1, rollout.waves().size(), failed, counted, rate * 100, rollout.haltOnFailureRate() * 100, campaign.name());
    if (fleet.campaigns().setStatus(campaign.name(), CampaignStatus.HALTED, reason, now, CampaignStatus.ACTIVE)) {
      fleet.jdbc().update(
          "INSERT INTO rollout_wave (campaign, wave, failed, counted, halted_at) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (campaign, wave) DO UPDATE SET failed = EXCLUDED.failed, counted = EXCLUDED.counted,"
              + " halted_at = EXCLUDED.halted_at",
          campaign.name(), current, failed, counted, now);
      LOG.warn("campaign {} halted: {}", campaign.name(), reason);
      fleet.campaigns().audit("controller", "halt", campaign.name(), reason, now);
    }
  }

  /** A wave that halted the campaign once and was resumed by a person goes through as it is. */
  private void accept(Campaign campaign, long failed, long counted, Instant now) {
    int current = campaign.currentWave();
    fleet.jdbc().update("UPDATE rollout_wave SET accepted_at = ? WHERE campaign = ? AND wave = ?", now, campaign.name(), current);
    String detail = String.format("wave %d accepted on resume with %d of %d repositories failed", current + 1, failed, counted);
    LOG.warn("campaign {}: {}", campaign.name(), detail);
    fleet.campaigns().audit("controller", "accept wave", campaign.name(), detail, now);
  }

  private boolean haltedBefore(String campaign, int wave) {
    return fleet.jdbc().count(
            "SELECT count(*) FROM rollout_wave WHERE campaign = ? AND wave = ? AND halted_at IS NOT NULL", campaign, wave)
        > 0;
  }

  private static boolean finished(Changeset c, java.time.Duration grace, Instant now) {
    if (c.state().isTerminal() || FAILURES.contains(c.state()) || c.state() == ChangesetState.HALTED
        || c.state() == ChangesetState.NEEDS_HUMAN) {
      return true;
    }
    return OPEN_PR.contains(c.state()) && c.stateSince() != null && c.stateSince().plus(grace).isBefore(now);
  }
}
