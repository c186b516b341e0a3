package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Changeset;
import dev.flotilla.runner.RunRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Which changesets a forge event (a webhook) is about: the one whose campaign branch it names
 * ({@code flotilla/<campaign>}), or else those whose last push is the event's head commit.
 */
public final class ForgeEvents {

  private final EngineContext fleet;

  public ForgeEvents(EngineContext fleet) {
    this.fleet = fleet;
  }

  /** The changesets {@code repository} ({@code owner/name}) at {@code branch} or {@code headSha} concerns; either may be null. */
  public List<Changeset> changesetsFor(String repository, String branch, String headSha) {
    List<Changeset> found = new ArrayList<>();
    if (repository == null) {
      return found;
    }
    String[] ownerAndName = repository.split("/", 2);
    var repo = fleet.repositories().byName(ownerAndName[0], ownerAndName.length > 1 ? ownerAndName[1] : "");
    if (repo.isEmpty()) {
      return found;
    }
    String prefix = RunRequest.branchFor("");
    if (branch != null && branch.startsWith(prefix)) {
      fleet.changesets().find(branch.substring(prefix.length()), repo.get().id()).ifPresent(found::add);
    } else if (headSha != null) {
      fleet.changesets().forRepository(repo.get().id()).stream()
          .filter(c -> headSha.equals(c.lastPushedSha()))
          .forEach(found::add);
    }
    return found;
  }
}
