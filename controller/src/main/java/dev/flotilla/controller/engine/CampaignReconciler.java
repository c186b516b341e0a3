package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.plan.Planner;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps a campaign's changesets matching the fleet ({@link Planner}) and moves the campaign through
 * its rollout ({@link WaveRules}): fetch, decide, apply.
 */
public final class CampaignReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignReconciler.class);

  private final EngineContext fleet;

  public CampaignReconciler(EngineContext fleet) {
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

  /**
   * Advances, halts or completes every active campaign without planning: what must be true before
   * runs start between polling rounds (a halt stops the next run; a finished wave lets the next start).
   */
  public void advanceAll() {
    for (Campaign campaign : fleet.campaigns().all()) {
      if (campaign.status() == CampaignStatus.ACTIVE) {
        MDC.put("campaign", campaign.name());
        try {
          advanceWave(campaign);
        } finally {
          MDC.remove("campaign");
        }
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
        ChangesetState from = d.state() == ChangesetState.PENDING ? ChangesetState.SKIPPED : ChangesetState.PENDING;
        fleet.changesets().transition(d.existingId(), from, d.state(), By.CAMPAIGN, Changes.none().wave(d.wave()), "planner", d.reason(), now);
      }
    }
    if (!decisions.isEmpty()) {
      LOG.info("planned {} changes for campaign {}", decisions.size(), campaign.name());
    }
    return decisions.size();
  }

  /**
   * Starts the next wave, halts the campaign, or marks it completed, as {@link WaveRules} says. A
   * wave that halted the campaign is judged again once a person resumes it: with a threshold raised
   * by {@code campaign apply} it passes on its own; otherwise the resume itself accepts the wave.
   */
  void advanceWave(Campaign campaign) {
    Instant now = fleet.clock().instant();
    List<Changeset> all = fleet.changesets().forCampaign(campaign.name());
    WaveRules.Verdict verdict =
        WaveRules.verdict(campaign, all, wave -> fleet.campaigns().waveHaltedBefore(campaign.name(), wave), now);
    int current = campaign.currentWave();
    if (verdict instanceof WaveRules.Verdict.Halt halt) {
      halt(campaign, halt, now);
    } else if (verdict instanceof WaveRules.Verdict.NextWave next) {
      if (next.accepted()) {
        accept(campaign, next, now);
      }
      fleet.campaigns().setCurrentWave(campaign.name(), current + 1, now);
      LOG.info("campaign {}: wave {} finished ({} of {} failed); starting wave {}",
          campaign.name(), current + 1, next.failed(), next.counted(), current + 2);
    } else if (verdict instanceof WaveRules.Verdict.Finished) {
      fleet.campaigns().setStatus(campaign.name(), CampaignStatus.COMPLETED, "every changeset is done", now, CampaignStatus.ACTIVE);
    }
  }

  private void halt(Campaign campaign, WaveRules.Verdict.Halt halt, Instant now) {
    if (fleet.campaigns().setStatus(campaign.name(), CampaignStatus.HALTED, halt.reason(), now, CampaignStatus.ACTIVE)) {
      fleet.campaigns().waveHalted(campaign.name(), campaign.currentWave(), halt.failed(), halt.counted(), now);
      LOG.warn("campaign {} halted: {}", campaign.name(), halt.reason());
      fleet.campaigns().audit("controller", "halt", campaign.name(), halt.reason(), now);
    }
  }

  /** A wave that halted the campaign once and was resumed by a person goes through as it is. */
  private void accept(Campaign campaign, WaveRules.Verdict.NextWave next, Instant now) {
    int current = campaign.currentWave();
    fleet.campaigns().waveAccepted(campaign.name(), current, now);
    String detail = String.format("wave %d accepted on resume with %d of %d repositories failed", current + 1, next.failed(), next.counted());
    LOG.warn("campaign {}: {}", campaign.name(), detail);
    fleet.campaigns().audit("controller", "accept wave", campaign.name(), detail, now);
  }
}
