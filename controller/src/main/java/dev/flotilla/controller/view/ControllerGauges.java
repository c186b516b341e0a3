package dev.flotilla.controller.view;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.Jdbc;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges for alerting on the controller itself, refreshed at every engine tick: when it last
 * ticked (a stale value means it stopped reconciling), each campaign's status (a halted campaign),
 * and the age of the oldest changeset in each state that should not last (a stuck run or CI).
 */
public final class ControllerGauges {

  /** States a changeset passes through on its own; lingering in one means something is stuck. */
  public static final Set<ChangesetState> TRANSIENT = Set.of(ChangesetState.RUNNING, ChangesetState.PUSHED, ChangesetState.CI_PENDING);

  private final CampaignStore campaigns;
  private final ChangesetStore changesets;
  private final Clock clock;
  private final AtomicLong lastTickMillis = new AtomicLong();
  private final MultiGauge campaignStatus;
  private final MultiGauge oldestInState;

  public ControllerGauges(MeterRegistry registry, Jdbc jdbc, Clock clock) {
    this.campaigns = new CampaignStore(jdbc);
    this.changesets = new ChangesetStore(jdbc);
    this.clock = clock;
    Gauge.builder("flotilla.controller.last.tick.timestamp", lastTickMillis, millis -> millis.get() / 1000.0)
        .description("When the controller last finished a round of planning, dispatching and following pull requests")
        .baseUnit("seconds")
        .register(registry);
    campaignStatus = MultiGauge.builder("flotilla.campaign.status")
        .description("1 for the campaign's current status, 0 for the others")
        .register(registry);
    oldestInState = MultiGauge.builder("flotilla.changeset.oldest.age")
        .description("Age of the oldest changeset in a state it should leave on its own (RUNNING, PUSHED, CI_PENDING)")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Records a finished tick and reads the gauges' values from the store. */
  public void ticked() {
    Instant now = clock.instant();
    lastTickMillis.set(now.toEpochMilli());
    List<MultiGauge.Row<?>> statuses = new ArrayList<>();
    for (Campaign campaign : campaigns.all()) {
      for (CampaignStatus status : CampaignStatus.values()) {
        statuses.add(MultiGauge.Row.of(Tags.of("campaign", campaign.name(), "status", status.name()),
            status == campaign.status() ? 1 : 0));
      }
    }
    campaignStatus.register(statuses, true);
    List<MultiGauge.Row<?>> ages = new ArrayList<>();
    for (ChangesetStore.Oldest oldest : changesets.oldestIn(TRANSIENT)) {
      ages.add(MultiGauge.Row.of(Tags.of("campaign", oldest.campaign(), "state", oldest.state().name()),
          Math.max(0, now.getEpochSecond() - oldest.since().getEpochSecond())));
    }
    oldestInState.register(ages, true);
  }
}
