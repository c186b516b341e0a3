package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.PullRequestRef;
import dev.flotilla.controller.model.PullRequestSnapshot;
import dev.flotilla.controller.store.StoreOutage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pull requests of many changesets at once, so that deciding each costs no forge call of
 * its own in the common case: the forge answers up to {@link #BATCH} pull requests a request where it
 * can ({@link dev.flotilla.controller.forge.Forge#readPullRequests}). Also knows whether webhooks
 * arrive, which lets the rules look at pull requests less often.
 */
final class PullRequestWatch {

  private static final Logger LOG = LoggerFactory.getLogger(PullRequestWatch.class);
  /** Pull requests asked of the forge in one read. */
  static final int BATCH = 100;

  private final EngineContext fleet;
  private volatile Instant lastDelivery;

  PullRequestWatch(EngineContext fleet) {
    this.fleet = fleet;
  }

  /**
   * The pull request of each changeset that follows one, by changeset id. A changeset whose read
   * failed or was not answered is absent: it is read alone when reconciled, and a failure is then
   * recorded on it.
   */
  Map<Long, PullRequestSnapshot> read(List<Changeset> changesets) {
    Map<PullRequestRef, Long> wanted = new LinkedHashMap<>();
    for (Changeset changeset : changesets) {
      if (Lifecycle.FOLLOWED.contains(changeset.state()) && changeset.prNumber() != null) {
        fleet.repositories().byId(changeset.repositoryId())
            .ifPresent(repo -> wanted.put(new PullRequestRef(repo.ref(), changeset.prNumber()), changeset.id()));
      }
    }
    Map<Long, PullRequestSnapshot> read = new LinkedHashMap<>();
    List<PullRequestRef> refs = new ArrayList<>(wanted.keySet());
    for (int from = 0; from < refs.size(); from += BATCH) {
      List<PullRequestRef> batch = refs.subList(from, Math.min(refs.size(), from + BATCH));
      try {
        fleet.forge().readPullRequests(batch).forEach((ref, snapshot) -> {
          Long id = wanted.get(ref);
          if (id != null) {
            read.put(id, snapshot);
          }
        });
      } catch (RuntimeException e) {
        if (StoreOutage.causedBy(e)) {
          throw e;
        }
        // Each is then read alone, and a failure that persists is recorded on its changeset.
        LOG.warn("could not read {} pull requests at once: {}", batch.size(), e.getMessage());
      }
    }
    return read;
  }

  /** What the rules need for pacing, from the snapshot where there is one. */
  PullRequestRules.Watch pacing(Optional<PullRequestSnapshot> snapshot, Instant now) {
    return new PullRequestRules.Watch(
        snapshot.map(PullRequestSnapshot::review).orElse(PullRequestSnapshot.Review.UNKNOWN),
        snapshot.map(PullRequestSnapshot::updatedAt).orElse(null),
        webhooksArrive(now));
  }

  /** A webhook delivery arrived at {@code at}. */
  void delivered(Instant at) {
    lastDelivery = at;
  }

  /** Whether a webhook delivery arrived within {@link WatchSettings#webhookSilence} before {@code now}. */
  boolean webhooksArrive(Instant now) {
    Instant last = lastDelivery;
    return last != null && !last.plus(fleet.settings().watch().webhookSilence()).isBefore(now);
  }
}
