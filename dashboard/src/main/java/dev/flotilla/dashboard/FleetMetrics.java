package dev.flotilla.dashboard;

import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.port.FleetView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flotilla's Prometheus metrics. The controller calls the {@code record...} methods where things happen;
 * changeset counts are read from the {@link FleetView} at each scrape, so they are never stale and the
 * controller has nothing to keep in step. {@link #registry()} is open for the controller's own meters.
 */
public final class FleetMetrics {

  /** Runs take seconds to tens of minutes: buckets that tell a quick no-op from a stuck clone. */
  private static final Duration[] RUN_BUCKETS = {
      Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1),
      Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20),
      Duration.ofMinutes(40)};

  private final PrometheusMeterRegistry registry;
  private final FleetView view;
  private final MultiGauge changesets;
  private final Map<String, AtomicLong> rateLimitRemaining = new ConcurrentHashMap<>();

  public FleetMetrics(FleetView view) {
    this(view, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public FleetMetrics(FleetView view, PrometheusMeterRegistry registry) {
    this.view = view;
    this.registry = registry;
    this.changesets = MultiGauge.builder("flotilla.changesets")
        .description("Changesets by campaign and state")
        .register(registry);
  }

  /** The registry, for the controller's own meters (JVM, database pool, Quartz). */
  public MeterRegistry registry() {
    return registry;
  }

  public void recordRunStarted(String campaign) {
    Counter.builder("flotilla.runs.started").description("Migration runs started")
        .tag("campaign", campaign).register(registry).increment();
  }

  public void recordRunFailed(String campaign) {
    Counter.builder("flotilla.runs.failed").description("Migration runs that ended FAILED")
        .tag("campaign", campaign).register(registry).increment();
  }

  /** How long one run took from dispatch to result, whatever its outcome. */
  public void recordRunDuration(String campaign, Duration duration) {
    Timer.builder("flotilla.run.duration").description("Migration run duration, dispatch to result")
        .tag("campaign", campaign)
        .serviceLevelObjectives(RUN_BUCKETS)
        .register(registry)
        .record(duration);
  }

  public void recordPullRequestOpened(String campaign) {
    Counter.builder("flotilla.pull.requests.opened").description("Pull requests opened")
        .tag("campaign", campaign).register(registry).increment();
  }

  public void recordPullRequestMerged(String campaign) {
    Counter.builder("flotilla.pull.requests.merged").description("Pull requests merged")
        .tag("campaign", campaign).register(registry).increment();
  }

  /**
   * One call to a forge's API.
   *
   * @param forge e.g. {@code github} or {@code local}
   * @param endpoint the route template, e.g. {@code GET /repos/{owner}/{repo}/pulls}, never the
   *     expanded path: one series per repository would swamp Prometheus
   */
  public void recordForgeApiCall(String forge, String endpoint) {
    Counter.builder("flotilla.forge.api.calls").description("Forge API calls")
        .tags(Tags.of("forge", forge, "endpoint", endpoint)).register(registry).increment();
  }

  /** The forge's remaining request budget, as its last response reported it. */
  public void recordRateLimitRemaining(String forge, long remaining) {
    rateLimitRemaining.computeIfAbsent(forge, f -> {
      AtomicLong holder = new AtomicLong();
      registry.gauge("flotilla.forge.rate.limit.remaining", Tags.of("forge", f), holder, AtomicLong::doubleValue);
      return holder;
    }).set(remaining);
  }

  /** The Prometheus text exposition, with changeset gauges freshly read from the port. */
  public synchronized String scrape() {
    refreshChangesetGauges();
    return registry.scrape();
  }

  private void refreshChangesetGauges() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (CampaignSummary campaign : view.campaigns()) {
      for (ChangesetState state : ChangesetState.values()) {
        long n = campaign.count(state);
        // Every state gets a series, zero included, so rate() and absent() queries behave.
        rows.add(MultiGauge.Row.of(Tags.of("campaign", campaign.name(), "state", state.name()), n));
      }
    }
    changesets.register(rows, true);
  }
}
