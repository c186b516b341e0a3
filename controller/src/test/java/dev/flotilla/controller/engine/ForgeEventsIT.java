package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.RepositoryStore;
import dev.flotilla.controller.store.TestPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which changesets a webhook is about, on a real store. */
class ForgeEventsIT {

  @TempDir static Path dataDir;
  static Database db;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 4);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @Test
  void findsTheChangesetByItsCampaignBranchOrElseByItsHeadCommit() {
    Jdbc jdbc = new Jdbc(db.dataSource());
    Instant now = Instant.now();
    ChangesetStore changesets = new ChangesetStore(jdbc);
    CampaignStore campaigns = new CampaignStore(jdbc);
    campaigns.apply(new CampaignSpec("bump", "m", Map.of(), null, true, false, null, null, null), "src", now);
    campaigns.apply(new CampaignSpec("other", "m", Map.of(), null, true, false, null, null, null), "src", now);
    long repo = new RepositoryStore(jdbc, "local").upsert(
        new RepositoryRef("acme", "api", "main", "file:///api", null), OptInStatus.OPTED_IN, null, "enabled: true", null, now);
    long bump = changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", now).orElseThrow();
    long other = changesets.createIfAbsent("other", repo, ChangesetState.PENDING, "planned", 0, "planner", now).orElseThrow();
    changesets.transition(other, ChangesetState.RUNNING, By.ENGINE, Changes.none(), "test", "run", now);
    changesets.transition(other, ChangesetState.PUSHED, By.RUNNER, Changes.none().pushed("abc123", 1, 1, 1), "test", "pushed", now);

    ForgeEvents events = new ForgeEvents(new EngineContext(new RepositoryStore(jdbc, "local"), campaigns, changesets, null,
        null, null, null, EngineSettings.defaults()));

    assertThat(events.changesetsFor("acme/api", "flotilla/bump", "abc123")).extracting(Changeset::id).containsExactly(bump);
    assertThat(events.changesetsFor("acme/api", "main", "abc123")).extracting(Changeset::id).containsExactly(other);
    assertThat(events.changesetsFor("acme/api", null, "unknown")).isEmpty();
    assertThat(events.changesetsFor("acme/nope", "flotilla/bump", null)).isEmpty();
    assertThat(events.changesetsFor(null, "flotilla/bump", null)).isEmpty();
  }
}
