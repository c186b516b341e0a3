package dev.flotilla.controller.view;

import dev.flotilla.controller.discovery.Discovery;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineContext;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.engine.Reverts;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.dashboard.port.ActionRefusedException;
import dev.flotilla.dashboard.port.Actor;
import dev.flotilla.dashboard.port.FleetActions;
import dev.flotilla.dashboard.port.NotFoundException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The dashboard's buttons, done by the {@link Controller}: it writes the audit and history rows, with
 * the person who asked as the actor ({@code name@address}). Each action is idempotent; one that does
 * not fit the state is refused with what to do instead.
 */
public final class ControllerFleetActions implements FleetActions, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerFleetActions.class);

  private final Controller controller;
  private final EngineContext fleet;
  // A scan lists the whole forge and may take minutes: it runs beside the request, one at a time.
  private final ExecutorService scans = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "flotilla-dashboard-rescan");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean scanning = new AtomicBoolean();

  public ControllerFleetActions(Controller controller) {
    this.controller = controller;
    this.fleet = controller.fleet();
  }

  @Override
  public String pause(String campaign, Actor actor) {
    CampaignStatus status = statusOf(campaign);
    if (status == CampaignStatus.PAUSED) {
      return "Campaign " + campaign + " is already paused.";
    }
    if (status != CampaignStatus.ACTIVE) {
      throw new ActionRefusedException("Campaign " + campaign + " is " + lower(status)
          + " and cannot be paused; only an active campaign can");
    }
    if (!controller.pause(campaign, who(actor)) && statusOf(campaign) != CampaignStatus.PAUSED) {
      throw new ActionRefusedException("Campaign " + campaign + " changed to " + lower(statusOf(campaign))
          + " while pausing it; reload the page and try again");
    }
    return "Paused " + campaign + ": no new runs start until it is resumed.";
  }

  @Override
  public String resume(String campaign, Actor actor) {
    CampaignStatus status = statusOf(campaign);
    if (status == CampaignStatus.ACTIVE) {
      return "Campaign " + campaign + " is already active.";
    }
    if (status == CampaignStatus.CANCELLED || status == CampaignStatus.COMPLETED) {
      throw new ActionRefusedException("Campaign " + campaign + " is " + lower(status)
          + " and cannot be resumed; apply it again under a new name to start over");
    }
    if (!controller.resume(campaign, who(actor)) && statusOf(campaign) != CampaignStatus.ACTIVE) {
      throw new ActionRefusedException("Campaign " + campaign + " changed to " + lower(statusOf(campaign))
          + " while resuming it; reload the page and try again");
    }
    return "Resumed " + campaign + (status == CampaignStatus.HALTED ? " after its halt" : "") + ": runs start again.";
  }

  @Override
  public String retry(long changesetId, Actor actor) {
    Changeset changeset = fleet.changesets().byId(changesetId)
        .orElseThrow(() -> new NotFoundException("Changeset " + changesetId + " does not exist; reload the page"));
    if (Lifecycle.QUEUED.contains(changeset.state())) {
      return "Changeset " + changesetId + " is already " + changeset.state() + ".";
    }
    if (!Lifecycle.RETRYABLE.contains(changeset.state())) {
      throw new ActionRefusedException("Changeset " + changesetId + " is " + changeset.state()
          + "; only FAILED, CI_FAILED, CONFLICT or NEEDS_HUMAN changesets can be retried");
    }
    if (!controller.retry(changesetId, who(actor))) {
      ChangesetState now = fleet.changesets().byId(changesetId).map(Changeset::state).orElse(changeset.state());
      if (!Lifecycle.QUEUED.contains(now)) {
        throw new ActionRefusedException("Changeset " + changesetId + " moved to " + now
            + " while retrying it; reload the page and try again");
      }
    }
    return "Changeset " + changesetId + " will run again" + pausedNote(changeset.campaign()) + ".";
  }

  @Override
  public String retryFailed(String campaign, Actor actor) {
    statusOf(campaign);
    int n = controller.retryAllFailed(campaign, who(actor));
    fleet.campaigns().audit(who(actor), "retry failed", campaign, n + " changesets sent back to PENDING",
        fleet.clock().instant());
    return n == 0
        ? "Nothing to retry in " + campaign + ": no changeset is FAILED or CI_FAILED."
        : "Retrying " + n + (n == 1 ? " changeset" : " changesets") + " in " + campaign + pausedNote(campaign) + ".";
  }

  @Override
  public String revert(String campaign, Integer wave, String repository, Actor actor) {
    statusOf(campaign);
    Reverts.Selection selection = new Reverts.Selection(wave, repository);
    Reverts.Result result = controller.revert(campaign, selection, who(actor))
        .orElseThrow(() -> new NotFoundException("Campaign " + campaign + " does not exist; reload the page"));
    return result.describe(campaign, selection);
  }

  @Override
  public String rescan(Actor actor) {
    String who = who(actor);
    if (!scanning.compareAndSet(false, true)) {
      return "A rescan is already running; the page refreshes when it finishes.";
    }
    fleet.campaigns().audit(who, "rescan", null, null, fleet.clock().instant());
    scans.execute(() -> scan(who));
    return "Rescanning the fleet; the page refreshes when it finishes.";
  }

  private void scan(String who) {
    MDC.put("actor", who);
    try {
      Discovery.Scan scan = controller.discover();
      LOG.info("rescan asked by {} found {} repositories ({} opted in, {} invalid)", who, scan.repositories(),
          scan.optedIn(), scan.invalid());
    } catch (RuntimeException e) {
      // Nobody waits on this thread: the log and the audit row are where the failure shows.
      LOG.error("rescan asked by {} failed", who, e);
      fleet.campaigns().audit(who, "rescan failed", null, String.valueOf(e.getMessage()), fleet.clock().instant());
    } finally {
      scanning.set(false);
      MDC.remove("actor");
    }
  }

  /** Stops taking rescans and waits a little for one in progress, so it does not outlive the store. */
  @Override
  public void close() {
    scans.shutdown();
    try {
      if (!scans.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("a rescan is still running after 10 s; interrupting it");
        scans.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      scans.shutdownNow();
    }
  }

  private CampaignStatus statusOf(String campaign) {
    return fleet.campaigns().byName(campaign).map(Campaign::status)
        .orElseThrow(() -> new NotFoundException("Campaign '" + campaign
            + "' does not exist; GET /api/campaigns lists the campaigns"));
  }

  private String pausedNote(String campaign) {
    CampaignStatus status = fleet.campaigns().byName(campaign).map(Campaign::status).orElse(CampaignStatus.ACTIVE);
    return status == CampaignStatus.ACTIVE ? "" : " once campaign " + campaign + " is resumed (it is " + lower(status) + ")";
  }

  /** The history's actor: the name the person gave and where the request came from. */
  static String who(Actor actor) {
    return actor.name() + "@" + actor.source();
  }

  private static String lower(CampaignStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
