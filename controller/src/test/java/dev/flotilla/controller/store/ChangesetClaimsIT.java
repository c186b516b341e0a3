package dev.flotilla.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.RepositoryRef;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangesetClaimsIT {

  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final Duration LEASE = Duration.ofMinutes(5);

  @TempDir static Path dataDir;
  static Database db;
  Jdbc jdbc;
  ChangesetStore changesets;
  List<Long> ids;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 8);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  /** Forty changesets with an open pull request, due now. */
  @BeforeEach
  void fleet() {
    jdbc = new Jdbc(db.dataSource());
    jdbc.update("TRUNCATE changeset_event, changeset, campaign, repository CASCADE");
    changesets = new ChangesetStore(jdbc);
    new CampaignStore(jdbc).apply(new CampaignSpec("bump", "m", Map.of(), null, true, false, null, null, null), "src", NOW);
    RepositoryStore repositories = new RepositoryStore(jdbc, "local");
    ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      long repo = repositories.upsert(
          new RepositoryRef("acme", "r" + i, "main", "file:///r" + i, null), OptInStatus.OPTED_IN, null, "enabled: true", null, NOW);
      long id = changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", NOW).orElseThrow();
      jdbc.update("UPDATE changeset SET state = 'PR_OPEN', pr_number = ? WHERE id = ?", i + 1, id);
      ids.add(id);
    }
  }

  @Test
  void twoControllersClaimingAtOnceGetDisjointSetsThatCoverTheDueOnes() throws Exception {
    ChangesetClaims one = changesets.claims("one", LEASE);
    ChangesetClaims two = changesets.claims("two", LEASE);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Callable<List<Changeset>>> claims = new ArrayList<>();
      for (ChangesetClaims replica : List.of(one, two)) {
        claims.add(() -> {
          List<Changeset> mine = new ArrayList<>();
          for (int round = 0; round < 10; round++) {
            mine.addAll(replica.claimDue(Lifecycle.WATCHED, NOW, 3));
          }
          return mine;
        });
      }
      List<Future<List<Changeset>>> answers = threads.invokeAll(claims);
      List<Changeset> firstClaims = answers.get(0).get();
      List<Changeset> secondClaims = answers.get(1).get();
      Set<Long> first = ids(firstClaims);
      Set<Long> second = ids(secondClaims);

      assertThat(firstClaims).hasSameSizeAs(first);
      assertThat(secondClaims).hasSameSizeAs(second);
      assertThat(first).doesNotContainAnyElementsOf(second);
      Set<Long> both = new HashSet<>(first);
      both.addAll(second);
      assertThat(both).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(one.claimDue(Lifecycle.WATCHED, NOW, 100)).isEmpty();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aClaimWhoseLeaseRanOutIsTakenAgain() {
    ChangesetClaims dead = changesets.claims("dead", LEASE);
    ChangesetClaims alive = changesets.claims("alive", LEASE);
    assertThat(dead.claimDue(Lifecycle.WATCHED, NOW, 100)).hasSize(40);

    assertThat(alive.claimDue(Lifecycle.WATCHED, NOW.plus(LEASE).minusSeconds(1), 100)).isEmpty();
    assertThat(alive.claim(ids.get(0), NOW.plusSeconds(10))).isEmpty();
    assertThat(alive.claimDue(Lifecycle.WATCHED, NOW.plus(LEASE), 100)).hasSize(40);
    // The dead controller's late release does not free what another now holds.
    assertThat(dead.release(ids.get(0))).isFalse();
    assertThat(changesets.claims("third", LEASE).claim(ids.get(0), NOW.plus(LEASE).plusSeconds(1))).isEmpty();
  }

  @Test
  void aReleaseFreesTheChangesetAndChangesetsNotDueAreNotClaimed() {
    ChangesetClaims one = changesets.claims("one", LEASE);
    jdbc.update("UPDATE changeset SET next_check_at = ? WHERE id <> ?", NOW.plusSeconds(60), ids.get(0));
    assertThat(ids(one.claimDue(Lifecycle.WATCHED, NOW, 100))).containsExactly(ids.get(0));

    assertThat(one.release(ids.get(0))).isFalse();
    assertThat(ids(changesets.claims("two", LEASE).claimDue(Lifecycle.WATCHED, NOW, 100))).containsExactly(ids.get(0));
  }

  @Test
  void aRecheckAskedWhileHeldMakesTheReleaseSayGoAgainAndTheChangesetDue() {
    ChangesetClaims holder = changesets.claims("holder", LEASE);
    ChangesetClaims webhook = changesets.claims("webhook", LEASE);
    long id = ids.get(0);
    assertThat(holder.claim(id, NOW)).isPresent();
    jdbc.update("UPDATE changeset SET next_check_at = ? WHERE id = ?", NOW.plusSeconds(600), id);

    assertThat(webhook.claim(id, NOW)).isEmpty();
    webhook.recheck(id);

    assertThat(holder.release(id)).isTrue();
    assertThat(jdbc.count("SELECT count(*) FROM changeset WHERE id = ? AND next_check_at IS NULL AND NOT recheck", id)).isEqualTo(1);
    assertThat(holder.claim(id, NOW)).isPresent();
    assertThat(holder.release(id)).isFalse();
  }

  @Test
  void aControllerRestartedUnderTheSameNameFreesWhatItsPredecessorHeldAndNothingElse() {
    changesets.claims("pod-a/1111", LEASE).claim(ids.get(0), NOW);
    changesets.claims("pod-b/2222", LEASE).claim(ids.get(1), NOW);
    ChangesetClaims restarted = changesets.claims("pod-a/3333", LEASE);

    assertThat(restarted.releaseLeftBy("pod-a/")).isOne();
    assertThat(restarted.claim(ids.get(0), NOW)).isPresent();
    assertThat(restarted.claim(ids.get(1), NOW)).isEmpty();
  }

  static Set<Long> ids(List<Changeset> claimed) {
    Set<Long> found = new HashSet<>();
    claimed.forEach(c -> found.add(c.id()));
    return found;
  }
}
