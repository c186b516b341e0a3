package dev.flotilla.controller.view;

import dev.flotilla.dashboard.port.AttentionItem;
import dev.flotilla.dashboard.port.BurndownPoint;
import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetQuery;
import dev.flotilla.dashboard.port.ChangesetRow;
import dev.flotilla.dashboard.port.FleetView;
import dev.flotilla.dashboard.port.Page;
import dev.flotilla.dashboard.port.RepositoryDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The view the metrics read at each scrape: campaign counts are kept for a few seconds, so several
 * Prometheus servers scraping often cost one grouped query per interval. Everything else passes through.
 */
final class ScrapeCache implements FleetView {

  private record Cached(Instant at, List<CampaignSummary> campaigns) {}

  private final FleetView view;
  private final Clock clock;
  private final Duration ttl;
  private volatile Cached cached;

  ScrapeCache(FleetView view, Clock clock, Duration ttl) {
    this.view = view;
    this.clock = clock;
    this.ttl = ttl;
  }

  @Override
  public List<CampaignSummary> campaigns() {
    Instant now = clock.instant();
    Cached c = cached;
    if (c == null || !now.isBefore(c.at().plus(ttl))) {
      c = new Cached(now, view.campaigns());
      cached = c;
    }
    return c.campaigns();
  }

  @Override
  public Optional<CampaignSummary> campaign(String name) {
    return view.campaign(name);
  }

  @Override
  public Page<ChangesetRow> changesets(ChangesetQuery query) {
    return view.changesets(query);
  }

  @Override
  public List<BurndownPoint> burndown(String campaign) {
    return view.burndown(campaign);
  }

  @Override
  public Optional<RepositoryDetail> repository(String repository) {
    return view.repository(repository);
  }

  @Override
  public List<AttentionItem> attention(Duration staleAfter) {
    return view.attention(staleAfter);
  }
}
