package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.RepositoryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code flotilla campaign revert}: sends every merged changeset it names back to run, this time to
 * open a pull request that reverts its merge commit on {@code flotilla/<campaign>-revert}. The pull
 * request then follows the campaign's lifecycle, limits and automerge rules, and ends REVERTED.
 * Asking twice reverts once: a changeset on its way to being reverted is no longer merged.
 */
public final class Reverts {

  /** Which merged changesets to revert: all of them, one wave's (1-based, as shown) or one repository's. */
  public record Selection(Integer wave, String repository) {
    public static final Selection ALL = new Selection(null, null);

    boolean includes(Changeset changeset, Repository repo) {
      return (wave == null || changeset.wave() == wave - 1) && (repository == null || repo.fullName().equals(repository));
    }

    String describe() {
      return wave != null ? "wave " + wave : repository != null ? repository : "the campaign";
    }
  }

  /**
   * What a revert did: how many changesets will be reverted, how many were already on their way,
   * and the merges Flotilla cannot revert, each with why.
   */
  public record Result(int started, int alreadyReverting, List<String> notRevertible) {
    public String describe(String campaign, Selection selection) {
      StringBuilder text = new StringBuilder();
      if (started == 0 && alreadyReverting == 0 && notRevertible.isEmpty()) {
        return "Nothing to revert in " + selection.describe() + " of " + campaign + ": no changeset there is merged.";
      }
      text.append("Reverting ").append(started).append(started == 1 ? " merge" : " merges").append(" in ")
          .append(selection.describe()).append(" of ").append(campaign)
          .append(": a revert pull request opens in each repository (branch flotilla/").append(campaign).append("-revert).");
      if (alreadyReverting > 0) {
        text.append(" ").append(alreadyReverting).append(" already being reverted.");
      }
      for (String reason : notRevertible) {
        text.append(" Not reverted: ").append(reason).append('.');
      }
      return text.toString();
    }
  }

  private final ChangesetStore changesets;
  private final CampaignStore campaigns;
  private final RepositoryStore repositories;

  public Reverts(ChangesetStore changesets, CampaignStore campaigns, RepositoryStore repositories) {
    this.changesets = changesets;
    this.campaigns = campaigns;
    this.repositories = repositories;
  }

  /** Starts the reverts {@code selection} names; a campaign that does not exist is an empty Optional. */
  public Optional<Result> revert(String campaignName, Selection selection, String actor, Instant now) {
    Optional<Campaign> campaign = campaigns.byName(campaignName);
    if (campaign.isEmpty()) {
      return Optional.empty();
    }
    int started = 0;
    int already = 0;
    List<String> not = new ArrayList<>();
    for (Changeset c : changesets.forCampaign(campaignName)) {
      Repository repo = repositories.byId(c.repositoryId()).orElseThrow();
      if (!selection.includes(c, repo)) {
        continue;
      }
      if (c.reverting() && !c.state().isTerminal()) {
        already++;
      } else if (Lifecycle.REVERTIBLE.contains(c.state())) {
        if (c.mergeSha() == null) {
          not.add(repo.fullName() + " was merged outside Flotilla, which does not know its merge commit; revert it by hand");
        } else if (changesets.transitionFrom(c.id(), Lifecycle.REVERTIBLE, ChangesetState.PENDING, By.PERSON,
            Changes.none().revertOf(c.mergeSha()).nextCheckAt(null), actor,
            "revert of " + ResultRecorder.shortSha(c.mergeSha()) + " requested by " + actor, now)) {
          started++;
        }
      }
    }
    campaigns.audit(actor, "revert", campaignName, selection.describe() + ": " + started + " reverts started", now);
    return Optional.of(new Result(started, already, List.copyOf(not)));
  }
}
