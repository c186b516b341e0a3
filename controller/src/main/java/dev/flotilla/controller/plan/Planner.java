package dev.flotilla.controller.plan;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.Repository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Decides, without touching anything, which changesets a campaign should have: one per opted-in
 * repository not excluding the migration, in rollout waves; skipped ones for repositories that
 * excluded it or whose opt-in file is broken. Existing changesets are left where they are, except
 * skipped ones whose reason went away and pending ones whose repository opted out.
 */
public final class Planner {

  /**
   * One thing to do: create a changeset ({@code existingId} null) or move an existing one.
   *
   * @param wave the rollout wave (0-based) the repository belongs to
   */
  public record Decision(long repositoryId, Long existingId, ChangesetState state, String reason, int wave) {}

  private Planner() {}

  public static List<Decision> plan(Campaign campaign, List<Repository> repositories, Map<Long, Changeset> existing) {
    CampaignSpec spec = campaign.spec();
    List<Repository> eligible =
        repositories.stream()
            .filter(r -> r.status() == OptInStatus.OPTED_IN && r.optIn().enabled() && !r.optIn().excludes(spec.migration()))
            .sorted(Comparator.comparing((Repository r) -> r.optIn().wave()).thenComparing(Repository::fullName))
            .toList();
    int[] thresholds = Waves.thresholds(spec.rollout().waves(), eligible.size());

    List<Decision> decisions = new ArrayList<>();
    for (int position = 0; position < eligible.size(); position++) {
      Repository repo = eligible.get(position);
      Changeset current = existing.get(repo.id());
      // A repository that joins a campaign already under way starts no earlier than the current
      // wave: an earlier wave has already been judged, and existing changesets keep their waves.
      int wave = Math.max(Waves.waveOf(position, thresholds), existing.isEmpty() ? 0 : campaign.currentWave());
      if (current == null) {
        decisions.add(new Decision(repo.id(), null, ChangesetState.PENDING, "planned", wave));
      } else if (current.state() == ChangesetState.SKIPPED) {
        decisions.add(new Decision(repo.id(), current.id(), ChangesetState.PENDING, "opted in again", Math.max(wave, current.wave())));
      }
    }
    for (Repository repo : repositories) {
      String skip = skipReason(repo, spec.migration());
      if (skip == null) {
        continue;
      }
      Changeset current = existing.get(repo.id());
      boolean optedIn = repo.status() != OptInStatus.NOT_OPTED_IN;
      if (current == null && optedIn) {
        decisions.add(new Decision(repo.id(), null, ChangesetState.SKIPPED, skip, 0));
      } else if (current != null && current.state() == ChangesetState.PENDING) {
        decisions.add(new Decision(repo.id(), current.id(), ChangesetState.SKIPPED, skip, current.wave()));
      }
    }
    return decisions;
  }

  /** Why a repository gets no run of this migration, or null if it should get one. */
  static String skipReason(Repository repo, String migration) {
    return switch (repo.status()) {
      case INVALID_CONFIG -> "invalid .flotilla.yaml: " + repo.optInError();
      case NOT_OPTED_IN -> "not opted in";
      case OPTED_IN -> {
        OptIn optIn = repo.optIn();
        if (!optIn.enabled()) {
          yield "opted out (enabled: false)";
        }
        yield optIn.excludes(migration) ? "excluded by .flotilla.yaml (exclude: " + migration + ")" : null;
      }
    };
  }
}
