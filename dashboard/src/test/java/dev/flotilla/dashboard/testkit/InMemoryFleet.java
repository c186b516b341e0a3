package dev.flotilla.dashboard.testkit;

import dev.flotilla.dashboard.port.ActionRefusedException;
import dev.flotilla.dashboard.port.Actor;
import dev.flotilla.dashboard.port.AttentionItem;
import dev.flotilla.dashboard.port.BurndownPoint;
import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetQuery;
import dev.flotilla.dashboard.port.ChangesetRow;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.port.FleetActions;
import dev.flotilla.dashboard.port.FleetEvent;
import dev.flotilla.dashboard.port.FleetEventSink;
import dev.flotilla.dashboard.port.FleetView;
import dev.flotilla.dashboard.port.NotFoundException;
import dev.flotilla.dashboard.port.Page;
import dev.flotilla.dashboard.port.RepositoryDetail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fleet held in memory: the port as the controller will implement it, for dashboard tests and demos.
 * Actions behave like the controller's (idempotent, refusing what does not fit the state) and publish
 * an event to the sink, as the controller does after committing.
 */
public final class InMemoryFleet implements FleetView, FleetActions {

  private static final Pattern LINE = Pattern.compile("line (\\d+)");

  private final Clock clock;
  private final Map<String, Campaign> campaigns = new LinkedHashMap<>();
  private final Map<Long, ChangesetRow> changesets = new LinkedHashMap<>();
  private final Map<String, Repo> repositories = new LinkedHashMap<>();
  private final Map<String, List<BurndownPoint>> burndowns = new LinkedHashMap<>();
  private final List<String> actionLog = new CopyOnWriteArrayList<>();
  private volatile FleetEventSink sink = e -> { };
  private long nextId = 1;

  private record Campaign(String name, String migration, CampaignStatus status, String reason, Instant startedAt) {}

  private record Repo(String owner, String url, String optInFile, String optInError, Instant scannedAt) {}

  public InMemoryFleet() {
    this(Clock.systemUTC());
  }

  public InMemoryFleet(Clock clock) {
    this.clock = clock;
  }

  /** Where actions announce what they changed; the dashboard server, in tests. */
  public void publishTo(FleetEventSink newSink) {
    this.sink = newSink;
  }

  public synchronized InMemoryFleet campaign(String name, String migration, CampaignStatus status, Instant startedAt) {
    campaigns.put(name, new Campaign(name, migration, status, null, startedAt));
    return this;
  }

  public synchronized void campaignStatus(String name, CampaignStatus status, String reason) {
    Campaign c = requireCampaign(name);
    campaigns.put(name, new Campaign(name, c.migration(), status, reason, c.startedAt()));
  }

  public synchronized InMemoryFleet repository(String fullName, String owner, String optInFile, String optInError) {
    repositories.put(fullName, new Repo(owner, "https://github.example.com/" + fullName, optInFile, optInError,
        clock.instant()));
    return this;
  }

  /** Adds a changeset (and its repository if new) and returns its id. */
  public synchronized long changeset(String campaign, String repository, String owner, ChangesetState state,
      String ciResult, String lastError, Instant stateSince) {
    requireCampaign(campaign);
    repositories.computeIfAbsent(repository, r -> new Repo(owner, "https://github.example.com/" + r,
        "enabled: true\nautomerge: true\n", null, clock.instant()));
    long id = nextId++;
    String pr = switch (state) {
      case PR_OPEN, CI_PENDING, CI_FAILED, MERGEABLE, MERGED, CONFLICT, CLOSED, MODIFIED ->
          "https://github.example.com/" + repository + "/pull/" + (100 + id % 900);
      default -> null;
    };
    changesets.put(id, new ChangesetRow(id, campaign, repository, owner, state, pr, ciResult, lastError, stateSince));
    return id;
  }

  public synchronized void state(long changesetId, ChangesetState state) {
    ChangesetRow c = requireChangeset(changesetId);
    changesets.put(changesetId, new ChangesetRow(c.id(), c.campaign(), c.repository(), c.owner(), state,
        c.pullRequestUrl(), c.ciResult(), state == ChangesetState.FAILED ? c.lastError() : null, clock.instant()));
  }

  /** Moves up to {@code n} changesets of the campaign from one state to another; returns how many moved. */
  public synchronized int move(String campaign, ChangesetState from, ChangesetState to, int n) {
    int moved = 0;
    for (ChangesetRow c : List.copyOf(changesets.values())) {
      if (moved < n && c.campaign().equals(campaign) && c.state() == from) {
        state(c.id(), to);
        moved++;
      }
    }
    return moved;
  }

  public synchronized void burndown(String campaign, List<BurndownPoint> points) {
    burndowns.put(campaign, List.copyOf(points));
  }

  /** Every action taken, as {@code "pause jackson-2-18 by alice"}. */
  public List<String> actions() {
    return List.copyOf(actionLog);
  }

  public synchronized List<ChangesetRow> all(String campaign) {
    return changesets.values().stream().filter(c -> c.campaign().equals(campaign)).toList();
  }

  // ---- FleetView ----

  @Override
  public synchronized List<CampaignSummary> campaigns() {
    return campaigns.values().stream()
        .sorted(Comparator.comparing(Campaign::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
        .map(this::summary)
        .toList();
  }

  @Override
  public synchronized Optional<CampaignSummary> campaign(String name) {
    return Optional.ofNullable(campaigns.get(name)).map(this::summary);
  }

  private CampaignSummary summary(Campaign c) {
    Map<ChangesetState, Long> counts = new EnumMap<>(ChangesetState.class);
    Instant weekAgo = clock.instant().minus(Duration.ofDays(7));
    long recent = 0;
    for (ChangesetRow row : changesets.values()) {
      if (row.campaign().equals(c.name())) {
        counts.merge(row.state(), 1L, Long::sum);
        if (row.state() == ChangesetState.MERGED && row.stateSince().isAfter(weekAgo)) {
          recent++;
        }
      }
    }
    return new CampaignSummary(c.name(), c.migration(), c.status(), c.reason(), c.startedAt(), counts, recent);
  }

  @Override
  public synchronized Page<ChangesetRow> changesets(ChangesetQuery q) {
    requireCampaign(q.campaign());
    String text = q.text() == null ? null : q.text().toLowerCase(Locale.ROOT);
    List<ChangesetRow> matching = changesets.values().stream()
        .filter(c -> c.campaign().equals(q.campaign()))
        .filter(c -> q.states().isEmpty() || q.states().contains(c.state()))
        .filter(c -> q.owner() == null || q.owner().equals(c.owner()))
        .filter(c -> text == null || c.repository().toLowerCase(Locale.ROOT).contains(text)
            || (c.lastError() != null && c.lastError().toLowerCase(Locale.ROOT).contains(text)))
        .sorted(order(q))
        .toList();
    int from = Math.min(q.offset(), matching.size());
    int to = Math.min(from + q.limit(), matching.size());
    return new Page<>(matching.subList(from, to), q.offset(), q.limit(), matching.size());
  }

  private static Comparator<ChangesetRow> order(ChangesetQuery q) {
    Comparator<ChangesetRow> primary = switch (q.sort()) {
      case REPOSITORY -> Comparator.comparing(ChangesetRow::repository);
      case STATE -> Comparator.comparing(c -> c.state().name());
      case OWNER -> Comparator.comparing(c -> c.owner() == null ? "" : c.owner());
      case STATE_SINCE -> Comparator.comparing(ChangesetRow::stateSince);
    };
    if (q.descending()) {
      primary = primary.reversed();
    }
    return primary.thenComparing(ChangesetRow::repository);
  }

  @Override
  public synchronized List<BurndownPoint> burndown(String campaign) {
    requireCampaign(campaign);
    return burndowns.getOrDefault(campaign, List.of());
  }

  @Override
  public synchronized Optional<RepositoryDetail> repository(String repository) {
    Repo r = repositories.get(repository);
    if (r == null) {
      return Optional.empty();
    }
    List<ChangesetRow> rows = changesets.values().stream().filter(c -> c.repository().equals(repository)).toList();
    return Optional.of(new RepositoryDetail(repository, r.owner(), r.url(), r.optInFile(), r.optInError(),
        r.scannedAt(), rows));
  }

  @Override
  public synchronized List<AttentionItem> attention(Duration staleAfter) {
    Instant staleBefore = clock.instant().minus(staleAfter);
    List<AttentionItem> items = new ArrayList<>();
    for (ChangesetRow c : changesets.values()) {
      AttentionItem item = switch (c.state()) {
        case FAILED -> new AttentionItem(AttentionItem.Kind.RUN_FAILED, c.repository(), c.campaign(), c.id(),
            c.lastError() == null ? "the run failed" : c.lastError(), "retry", c.stateSince(), null);
        case CI_FAILED -> new AttentionItem(AttentionItem.Kind.CI_FAILED, c.repository(), c.campaign(), c.id(),
            "CI fails on the pull request", "read the CI log, fix, then retry", c.stateSince(), c.pullRequestUrl());
        case CONFLICT -> new AttentionItem(AttentionItem.Kind.CONFLICT, c.repository(), c.campaign(), c.id(),
            "the pull request conflicts with the base branch", "retry (re-runs on the new base)", c.stateSince(),
            c.pullRequestUrl());
        case PR_OPEN, CI_PENDING, MERGEABLE -> c.stateSince().isBefore(staleBefore)
            ? new AttentionItem(AttentionItem.Kind.STALE_PULL_REQUEST, c.repository(), c.campaign(), null,
                "pull request open for " + Duration.between(c.stateSince(), clock.instant()).toDays() + " days",
                "ask " + (c.owner() == null ? "the owners" : c.owner()) + " to review", c.stateSince(),
                c.pullRequestUrl())
            : null;
        default -> null;
      };
      if (item != null) {
        items.add(item);
      }
    }
    repositories.forEach((name, r) -> {
      if (r.optInError() != null) {
        Matcher m = LINE.matcher(r.optInError());
        String next = m.find() ? "fix .flotilla.yaml line " + m.group(1) : "fix .flotilla.yaml";
        items.add(new AttentionItem(AttentionItem.Kind.INVALID_CONFIG, name, null, null, r.optInError(), next,
            r.scannedAt(), r.url()));
      }
    });
    items.sort(Comparator.comparing(AttentionItem::since, Comparator.nullsLast(Comparator.naturalOrder())));
    return items;
  }

  // ---- FleetActions ----

  @Override
  public String pause(String campaign, Actor actor) {
    String message;
    synchronized (this) {
      Campaign c = requireCampaign(campaign);
      switch (c.status()) {
        case PAUSED -> message = "Campaign " + campaign + " was already paused";
        case CANCELLED, COMPLETED -> throw new ActionRefusedException("Campaign " + campaign + " is "
            + c.status().name().toLowerCase(Locale.ROOT) + "; there is nothing to pause");
        default -> {
          campaignStatus(campaign, CampaignStatus.PAUSED, "paused by " + actor.name());
          message = "Paused campaign " + campaign + ": no new runs start until it is resumed";
        }
      }
    }
    done("pause " + campaign, actor, FleetEvent.campaign(campaign));
    return message;
  }

  @Override
  public String resume(String campaign, Actor actor) {
    String message;
    synchronized (this) {
      Campaign c = requireCampaign(campaign);
      switch (c.status()) {
        case ACTIVE -> message = "Campaign " + campaign + " was already running";
        case CANCELLED, COMPLETED -> throw new ActionRefusedException("Campaign " + campaign + " is "
            + c.status().name().toLowerCase(Locale.ROOT) + "; launch a new campaign instead");
        default -> {
          campaignStatus(campaign, CampaignStatus.ACTIVE, null);
          message = "Resumed campaign " + campaign;
        }
      }
    }
    done("resume " + campaign, actor, FleetEvent.campaign(campaign));
    return message;
  }

  @Override
  public String revert(String campaign, Integer wave, String repository, Actor actor) {
    int n = 0;
    synchronized (this) {
      requireCampaign(campaign);
      for (ChangesetRow c : List.copyOf(changesets.values())) {
        if (c.campaign().equals(campaign) && (c.state() == ChangesetState.MERGED || c.state() == ChangesetState.POST_MERGE_FAILED)
            && (repository == null || c.repository().equals(repository))) {
          state(c.id(), ChangesetState.PENDING);
          n++;
        }
      }
    }
    done("revert " + campaign, actor, FleetEvent.campaign(campaign));
    return "Reverting " + n + " merges in " + campaign;
  }

  @Override
  public String retry(long changesetId, Actor actor) {
    ChangesetRow c;
    synchronized (this) {
      c = requireChangeset(changesetId);
      if (c.state() == ChangesetState.PENDING) {
        return "Changeset " + changesetId + " is already waiting to run";
      }
      if (c.state() != ChangesetState.FAILED && c.state() != ChangesetState.CI_FAILED
          && c.state() != ChangesetState.CONFLICT && c.state() != ChangesetState.NEEDS_HUMAN) {
        throw new ActionRefusedException("Changeset " + changesetId + " on " + c.repository() + " is "
            + c.state() + "; only FAILED, CI_FAILED, CONFLICT and NEEDS_HUMAN changesets can be retried");
      }
      state(changesetId, ChangesetState.PENDING);
    }
    done("retry " + changesetId, actor, FleetEvent.changeset(c.campaign(), c.repository()));
    return "Retrying " + c.repository() + " in campaign " + c.campaign();
  }

  @Override
  public String retryFailed(String campaign, Actor actor) {
    int n;
    synchronized (this) {
      requireCampaign(campaign);
      n = move(campaign, ChangesetState.FAILED, ChangesetState.PENDING, Integer.MAX_VALUE);
    }
    done("retry-failed " + campaign, actor, FleetEvent.campaign(campaign));
    return n == 0 ? "Campaign " + campaign + " has no failed changesets" : "Retrying " + n + " failed changesets of " + campaign;
  }

  @Override
  public String rescan(Actor actor) {
    done("rescan", actor, FleetEvent.fleet());
    return "Rescanning the fleet; new and changed opt-in files show up when it finishes";
  }

  private void done(String what, Actor actor, FleetEvent event) {
    actionLog.add(what + " by " + actor.name());
    sink.publish(event);
  }

  private Campaign requireCampaign(String name) {
    Campaign c = campaigns.get(name);
    if (c == null) {
      throw new NotFoundException("Campaign '" + name + "' does not exist");
    }
    return c;
  }

  private ChangesetRow requireChangeset(long id) {
    ChangesetRow c = changesets.get(id);
    if (c == null) {
      throw new NotFoundException("Changeset " + id + " does not exist");
    }
    return c;
  }
}
