package dev.flotilla.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.Repository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

  static Campaign campaign(List<String> waves) {
    return new Campaign(
        new CampaignSpec("bump", "maven-dependency-version", Map.of(), null, true, false,
            new CampaignSpec.Rollout(waves, 0.2, null), null, null),
        CampaignStatus.ACTIVE, null, 0, Instant.EPOCH);
  }

  static Repository optedIn(long id, String name, OptIn.Wave wave, String... exclude) {
    OptIn optIn = new OptIn(true, true, MergeMethod.SQUASH, null, List.of(exclude), List.of(), List.of(), wave);
    return new Repository(id, ref(name), OptInStatus.OPTED_IN, optIn, "enabled: true", null);
  }

  static RepositoryRef ref(String name) {
    return new RepositoryRef("acme", name, "main", "file:///x/" + name, null);
  }

  static Changeset existing(long id, long repoId, ChangesetState state) {
    return new Changeset(id, "bump", repoId, state, null, Instant.EPOCH, 0, 0, null, null, null, null, null, null);
  }

  @Test
  void plansOnePendingChangesetPerOptedInRepository() {
    var decisions = Planner.plan(campaign(List.of("100%")),
        List.of(optedIn(1, "a", OptIn.Wave.DEFAULT), optedIn(2, "b", OptIn.Wave.DEFAULT)), Map.of());
    assertThat(decisions).extracting(Planner.Decision::state).containsOnly(ChangesetState.PENDING);
    assertThat(decisions).hasSize(2);
  }

  @Test
  void skipsExcludedAndInvalidButIgnoresNotOptedIn() {
    var invalid = new Repository(3, ref("c"), OptInStatus.INVALID_CONFIG, null, "automerge: sometimes", ".flotilla.yaml:1: bad");
    var absent = new Repository(4, ref("d"), OptInStatus.NOT_OPTED_IN, null, null, null);
    var decisions = Planner.plan(campaign(List.of("100%")),
        List.of(optedIn(1, "a", OptIn.Wave.DEFAULT, "maven-dependency-version"), invalid, absent), Map.of());
    assertThat(decisions).extracting(Planner.Decision::repositoryId, Planner.Decision::state)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(1L, ChangesetState.SKIPPED),
            org.assertj.core.groups.Tuple.tuple(3L, ChangesetState.SKIPPED));
    assertThat(decisions).filteredOn(d -> d.repositoryId() == 3).first()
        .extracting(Planner.Decision::reason).asString().contains("invalid .flotilla.yaml").contains("bad");
  }

  @Test
  void leavesExistingChangesetsAloneButRevivesSkippedOnesWhoseReasonWentAway() {
    var decisions = Planner.plan(campaign(List.of("100%")),
        List.of(optedIn(1, "a", OptIn.Wave.DEFAULT), optedIn(2, "b", OptIn.Wave.DEFAULT)),
        Map.of(1L, existing(10, 1, ChangesetState.MERGED), 2L, existing(11, 2, ChangesetState.SKIPPED)));
    assertThat(decisions).singleElement().satisfies(d -> {
      assertThat(d.existingId()).isEqualTo(11L);
      assertThat(d.state()).isEqualTo(ChangesetState.PENDING);
    });
  }

  @Test
  void pendingChangesetOfARepositoryThatOptedOutIsSkipped() {
    var gone = new Repository(1, ref("a"), OptInStatus.NOT_OPTED_IN, null, null, null);
    var decisions = Planner.plan(campaign(List.of("100%")), List.of(gone), Map.of(1L, existing(10, 1, ChangesetState.PENDING)));
    assertThat(decisions).singleElement().extracting(Planner.Decision::state).isEqualTo(ChangesetState.SKIPPED);
  }

  @Test
  void canariesComeFirstAndWavesAreCumulative() {
    List<Repository> repos = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      repos.add(optedIn(i, "repo-" + (char) ('a' + i), i == 19 ? OptIn.Wave.CANARY : i == 0 ? OptIn.Wave.LATE : OptIn.Wave.DEFAULT));
    }
    var decisions = Planner.plan(campaign(List.of("2", "50%", "100%")), repos, Map.of());
    Map<Long, Integer> waveOf = new java.util.HashMap<>();
    decisions.forEach(d -> waveOf.put(d.repositoryId(), d.wave()));
    assertThat(waveOf.get(19L)).isZero();
    assertThat(waveOf.get(0L)).isEqualTo(2);
    assertThat(waveOf.values().stream().filter(w -> w == 0)).hasSize(2);
    assertThat(waveOf.values().stream().filter(w -> w <= 1)).hasSize(10);
  }

  @Test
  void waveThresholdsRoundUpAndNeverShrink() {
    assertThat(Waves.thresholds(List.of("5", "25%", "100%"), 200)).containsExactly(5, 50, 200);
    assertThat(Waves.thresholds(List.of("10", "1%", "100%"), 50)).containsExactly(10, 10, 50);
    assertThat(Waves.thresholds(List.of("5"), 3)).containsExactly(3);
    assertThat(Waves.thresholds(List.of("30%"), 10)).containsExactly(10);
    assertThat(Waves.waveOf(4, new int[] {5, 50, 200})).isZero();
    assertThat(Waves.waveOf(5, new int[] {5, 50, 200})).isEqualTo(1);
  }

  static Campaign underway(List<String> waves, int currentWave) {
    Campaign c = campaign(waves);
    return new Campaign(c.spec(), CampaignStatus.ACTIVE, null, currentWave, Instant.EPOCH);
  }

  static Changeset inWave(long id, long repoId, ChangesetState state, int wave) {
    return new Changeset(id, "bump", repoId, state, null, Instant.EPOCH, wave, 0, null, null, null, null, null, null);
  }

  @Test
  void aRepositoryOptingInLaterDoesNotMoveExistingChangesetsToOtherWaves() {
    List<Repository> repos = new ArrayList<>();
    Map<Long, Changeset> existing = new java.util.HashMap<>();
    for (int i = 1; i <= 10; i++) {
      repos.add(optedIn(i, "repo-" + (char) ('b' + i), OptIn.Wave.DEFAULT));
      existing.put((long) i, inWave(100 + i, i, ChangesetState.PENDING, i <= 2 ? 0 : 1));
    }
    // "repo-a" sorts first and is a canary: it would take a wave-0 slot if waves were recomputed.
    repos.add(optedIn(99, "repo-a", OptIn.Wave.CANARY));
    var decisions = Planner.plan(underway(List.of("2", "100%"), 0), repos, existing);
    assertThat(decisions).singleElement().satisfies(d -> {
      assertThat(d.repositoryId()).isEqualTo(99L);
      assertThat(d.existingId()).isNull();
      assertThat(d.wave()).isZero();
    });
  }

  @Test
  void aRepositoryJoiningAfterItsWaveWasJudgedStartsInTheCurrentWave() {
    Map<Long, Changeset> existing = Map.of(1L, inWave(10, 1, ChangesetState.MERGED, 0), 2L, inWave(11, 2, ChangesetState.PENDING, 2));
    var decisions = Planner.plan(underway(List.of("1", "50%", "100%"), 1),
        List.of(optedIn(1, "a", OptIn.Wave.DEFAULT), optedIn(2, "b", OptIn.Wave.DEFAULT), optedIn(3, "c", OptIn.Wave.CANARY)),
        existing);
    assertThat(decisions).singleElement().satisfies(d -> {
      assertThat(d.repositoryId()).isEqualTo(3L);
      assertThat(d.wave()).as("a canary position would be wave 0, already judged").isEqualTo(1);
    });
  }

  @Test
  void aRepositoryOptingInAgainKeepsItsWaveOrJoinsTheCurrentOne() {
    var decisions = Planner.plan(underway(List.of("1", "100%"), 1),
        List.of(optedIn(1, "a", OptIn.Wave.CANARY)), Map.of(1L, inWave(10, 1, ChangesetState.SKIPPED, 0)));
    assertThat(decisions).singleElement().extracting(Planner.Decision::wave).isEqualTo(1);
  }

  @Test
  void rolloutOrderIsStableWithinAWaveClass() {
    List<Repository> forward = List.of(
        optedIn(1, "zeta", OptIn.Wave.DEFAULT), optedIn(2, "alpha", OptIn.Wave.DEFAULT), optedIn(3, "mid", OptIn.Wave.EARLY));
    List<Repository> backward = new ArrayList<>(forward);
    java.util.Collections.reverse(backward);
    var one = Planner.plan(campaign(List.of("1", "2", "100%")), forward, Map.of());
    var two = Planner.plan(campaign(List.of("1", "2", "100%")), backward, Map.of());
    Map<Long, Integer> a = new java.util.HashMap<>();
    Map<Long, Integer> b = new java.util.HashMap<>();
    one.forEach(d -> a.put(d.repositoryId(), d.wave()));
    two.forEach(d -> b.put(d.repositoryId(), d.wave()));
    assertThat(a).isEqualTo(b).containsEntry(3L, 0).containsEntry(2L, 1).containsEntry(1L, 2);
  }
}
