package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancelling a campaign: no new runs (pending changesets are skipped), and optionally every open
 * pull request closed with a comment saying why. Runs by itself on a store and a forge, so the
 * command line can cancel without a running controller.
 */
public final class Cancellation {

  private static final Logger LOG = LoggerFactory.getLogger(Cancellation.class);

  /** What a cancel did; {@code notClosed} pull requests need closing by hand (see last_error). */
  public record Result(boolean cancelled, int skipped, int closed, int notClosed) {}

  private final EngineContext fleet;

  public Cancellation(EngineContext fleet) {
    this.fleet = fleet;
  }

  /**
   * Cancels {@code campaign} unless it already is; skipping and closing happen either way, so a
   * second cancel with {@code closePullRequests} closes what the first one left open.
   */
  public Result cancel(String campaign, boolean closePullRequests, String actor) {
    Instant now = fleet.clock().instant();
    String reason = "cancelled by " + actor + (closePullRequests ? "; open pull requests closed" : "");
    boolean moved = fleet.campaigns().setStatus(campaign, CampaignStatus.CANCELLED, reason, now,
        CampaignStatus.ACTIVE, CampaignStatus.PAUSED, CampaignStatus.HALTED, CampaignStatus.COMPLETED);
    if (moved) {
      fleet.campaigns().audit(actor, "cancel", campaign, reason, now);
      LOG.info("campaign {} is now CANCELLED ({})", campaign, actor);
    }
    int skipped = 0;
    int closed = 0;
    int notClosed = 0;
    for (Changeset c : fleet.changesets().forCampaign(campaign)) {
      if (c.state() == ChangesetState.PENDING) {
        if (fleet.changesets().transition(
            c.id(), ChangesetState.SKIPPED, By.PERSON, Changes.none(), actor, "campaign cancelled", now)) {
          skipped++;
        }
      } else if (closePullRequests && c.prNumber() != null && c.state().hasOpenPullRequest()) {
        if (close(campaign, c, actor, now)) {
          closed++;
        } else {
          notClosed++;
        }
      }
    }
    return new Result(moved, skipped, closed, notClosed);
  }

  private boolean close(String campaign, Changeset c, String actor, Instant now) {
    var repo = fleet.repositories().byId(c.repositoryId()).orElseThrow();
    try {
      fleet.forge().closePullRequest(
          repo.ref(), c.prNumber(), "The campaign `" + campaign + "` was cancelled by " + actor + "; Flotilla closes this pull request.");
      fleet.changesets().transition(
          c.id(), c.state(), ChangesetState.CLOSED, By.PERSON, Changes.none(), actor, "campaign cancelled; pull request closed", now);
      return true;
    } catch (RuntimeException e) {
      // One repository's forge trouble must not keep the other pull requests open.
      LOG.warn("could not close pull request #{} on {}: {}", c.prNumber(), repo.fullName(), e.getMessage());
      fleet.changesets().update(c.id(), Changes.none().error(
          "campaign cancelled, but pull request #" + c.prNumber() + " could not be closed (" + e.getMessage() + "): close it by hand"), now);
      return false;
    }
  }
}
