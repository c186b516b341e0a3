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
   * wave went.
   */
  void advanceWave(Campaign campaign) {
    Instant now = fleet.clock().instant();
    var rollout = campaign.spec().rollout();
    int lastWave = rollout.waves().size() - 1;
    List<Changeset> all = fleet.changesets().forCampaign(campaign.name());
    List<Changeset> wave = all.stream().filter(c -> c.wave() <= campaign.currentWave()).toList();
    boolean finished = wave.stream().allMatch(c -> finished(c, rollout.waveGracePeriod(), now));
    if (!finished) {
      return;
    }
    long counted = wave.stream().filter(c -> !NOT_COUNTED.contains(c.state())).count();
    long failed = wave.stream().filter(c -> FAILURES.contains(c.state())).count();
    double rate = counted == 0 ? 0 : (double) failed / counted;
    if (campaign.currentWave() < lastWave) {
      if (rate > rollout.haltOnFailureRate()) {
        String reason = String.format(
            "wave %d of %d failed on %d of %d repositories (%.0f%% > haltOnFailureRate %.0f%%); fix the migration or raise the threshold, then run: flotilla campaign resume %s",
            campaign.currentWave() + 1, lastWave + 1, failed, counted, rate * 100, rollout.haltOnFailureRate() * 100, campaign.name());
        if (fleet.campaigns().setStatus(campaign.name(), CampaignStatus.HALTED, reason, now, CampaignStatus.ACTIVE)) {
          LOG.warn("campaign {} halted: {}", campaign.name(), reason);
          fleet.campaigns().audit("controller", "halt", campaign.name(), reason, now);
        }
        return;
      }
      fleet.campaigns().setCurrentWave(campaign.name(), campaign.currentWave() + 1, now);
      LOG.info("campaign {}: wave {} finished ({} of {} failed); starting wave {}",
          campaign.name(), campaign.currentWave() + 1, failed, counted, campaign.currentWave() + 2);
      return;
    }
    boolean allTerminal = all.stream().allMatch(c -> c.state().isTerminal());
    if (allTerminal && !all.isEmpty() && campaign.spec().schedule() == null) {
      fleet.campaigns().setStatus(campaign.name(), CampaignStatus.COMPLETED, "every changeset is done", now, CampaignStatus.ACTIVE);
    }
  }

  private static boolean finished(Changeset c, java.time.Duration grace, Instant now) {
    if (c.state().isTerminal() || FAILURES.contains(c.state()) || c.state() == ChangesetState.HALTED) {
      return true;
    }
    return OPEN_PR.contains(c.state()) && c.stateSince() != null && c.stateSince().plus(grace).isBefore(now);
  }
}
