package dev.flotilla.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangesetStoreIT {

  @TempDir static Path dataDir;
  static Database db;
  Jdbc jdbc;
  ChangesetStore changesets;
  long repo;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 8);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void freshFleet() {
    jdbc = new Jdbc(db.dataSource());
    jdbc.update("TRUNCATE changeset_event, changeset, campaign, repository CASCADE");
    changesets = new ChangesetStore(jdbc);
    new CampaignStore(jdbc).apply(new CampaignSpec("bump", "m", Map.of(), null, true, false, null, null, null), "src", Instant.now());
    repo = new RepositoryStore(jdbc, "local").upsert(
        new RepositoryRef("acme", "a", "main", "file:///a", null), OptInStatus.OPTED_IN, null, "enabled: true", null, Instant.now());
  }

  @Test
  void createIsIdempotentPerCampaignAndRepository() {
    assertThat(changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", Instant.now())).isPresent();
    assertThat(changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", Instant.now())).isEmpty();
    assertThat(changesets.forCampaign("bump")).hasSize(1);
    assertThat(jdbc.count("SELECT count(*) FROM changeset_event")).isEqualTo(1);
  }

  @Test
  void transitionIsACompareAndSetThatRecordsHistoryOnce() {
    long id = changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", Instant.now()).orElseThrow();
    assertThat(changesets.transition(id, ChangesetState.SKIPPED, By.PERSON,
        Changes.none().error("cancelled: boom"), "someone", "cancelled", Instant.now())).isTrue();
    assertThat(changesets.transition(id, ChangesetState.RUNNING, By.ENGINE,
        Changes.none(), "dispatcher", "again", Instant.now())).isFalse();
    var c = changesets.byId(id).orElseThrow();
    assertThat(c.state()).isEqualTo(ChangesetState.SKIPPED);
    assertThat(c.lastError()).isEqualTo("cancelled: boom");
    assertThat(jdbc.query("SELECT from_state, to_state FROM changeset_event WHERE changeset_id = ? ORDER BY id",
        rs -> rs.getString(1) + "->" + rs.getString(2), id))
        .containsExactly("null->PENDING", "PENDING->SKIPPED");
  }

  @Test
  void refusesAMoveTheLifecycleDoesNotHave() {
    long id = changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", Instant.now()).orElseThrow();
    assertThatThrownBy(() -> changesets.transition(id, ChangesetState.PENDING, ChangesetState.MERGED, By.ENGINE,
        Changes.none(), "reconciler", "merged", Instant.now()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from PENDING to MERGED");
    assertThat(changesets.byId(id).orElseThrow().state()).isEqualTo(ChangesetState.PENDING);
  }

  @Test
  void concurrentClaimsNeverTakeTheSameChangesetTwice() throws Exception {
    RepositoryStore repos = new RepositoryStore(jdbc, "local");
    for (int i = 0; i < 60; i++) {
      long r = repos.upsert(new RepositoryRef("acme", "r" + i, "main", "file:///r" + i, null), OptInStatus.OPTED_IN, null, null, null, Instant.now());
      changesets.createIfAbsent("bump", r, ChangesetState.PENDING, "planned", 0, "planner", Instant.now());
    }
    var pool = Executors.newFixedThreadPool(4);
    List<Callable<List<Long>>> claimers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      claimers.add(() -> {
        List<Long> mine = new ArrayList<>();
        List<dev.flotilla.controller.model.Changeset> got;
        do {
          got = changesets.claimPending("bump", 0, 3, "replica", Instant.now());
          got.forEach(c -> mine.add(c.id()));
        } while (!got.isEmpty());
        return mine;
      });
    }
    List<Long> all = Collections.synchronizedList(new ArrayList<>());
    for (Future<List<Long>> f : pool.invokeAll(claimers)) {
      all.addAll(f.get());
    }
    pool.shutdown();
    assertThat(all).hasSize(60).doesNotHaveDuplicates();
    assertThat(changesets.countInStates("bump", EnumSet.of(ChangesetState.RUNNING))).isEqualTo(60);
    assertThat(changesets.forCampaign("bump")).allSatisfy(c -> assertThat(c.runId()).isEqualTo("cs" + c.id() + "-a1"));
  }

  @Test
  void claimsRespectWavesAndPausedCampaigns() {
    RepositoryStore repos = new RepositoryStore(jdbc, "local");
    long second = repos.upsert(new RepositoryRef("acme", "b", "main", "file:///b", null), OptInStatus.OPTED_IN, null, null, null, Instant.now());
    changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", Instant.now());
    changesets.createIfAbsent("bump", second, ChangesetState.PENDING, "planned", 1, "planner", Instant.now());
    new CampaignStore(jdbc).setStatus("bump", dev.flotilla.controller.model.CampaignStatus.PAUSED, "test", Instant.now(),
        dev.flotilla.controller.model.CampaignStatus.ACTIVE);
    assertThat(changesets.claimPending("bump", 5, 10, "d", Instant.now())).isEmpty();
    new CampaignStore(jdbc).setStatus("bump", dev.flotilla.controller.model.CampaignStatus.ACTIVE, null, Instant.now(),
        dev.flotilla.controller.model.CampaignStatus.PAUSED);
    assertThat(changesets.claimPending("bump", 0, 10, "d", Instant.now())).extracting(c -> c.repositoryId()).containsExactly(repo);
  }
}
