package dev.flotilla.controller.engine;

import static dev.flotilla.controller.engine.EngineIT.AUTOMERGE;
import static dev.flotilla.controller.engine.EngineIT.GREEN_CI;
import static dev.flotilla.controller.engine.EngineIT.OLD_POM;
import static dev.flotilla.controller.engine.EngineIT.RED_CI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout control with the real engine: waves and halting, merge windows across daylight-saving
 * changes, load limits, rebasing by age, continuous campaigns, and pause, resume and cancel.
 */
class RolloutIT {

  static final Set<ChangesetState> MOVING = EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING, ChangesetState.PUSHED,
      ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT);
  static final String REVIEWED = "enabled: true\nautomerge: false\n";

  @TempDir Path tmp;
  TestEngine engine;
  Jdbc jdbc;
  LocalForge forge;
  Controller controller;
  TestForgeRepos repos;
  MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  EngineSettings settings = EngineSettings.defaults().withRecheckInterval(Duration.ZERO);

  @BeforeEach
  void start() throws Exception {
    engine = TestEngine.builder(tmp).clock(clock).ciCommand("sh ci.sh").settings(settings).build();
    jdbc = engine.jdbc();
    forge = engine.localForge();
    controller = engine.controller();
    repos = engine.repos();
  }

  /** A controller over the same store and forge, as after a restart. */
  Controller newController() {
    return engine.newController(settings);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  void service(String name, String optIn, String ciScript) throws Exception {
    Map<String, String> files = new HashMap<>(Map.of("pom.xml", OLD_POM, "ci.sh", ciScript));
    if (optIn != null) {
      files.put(".flotilla.yaml", optIn);
    }
    repos.create("acme", name, "main", files);
  }

  /** The jackson campaign with {@code extra} YAML lines appended under {@code spec}. */
  void campaign(String extra) {
    String yaml = """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          automerge: true
        """ + extra.indent(2);
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(yaml, "jackson.yaml", Migrations.load()), yaml, "test");
  }

  void settle() {
    settle(MOVING);
  }

  /** Ticks until no changeset is in one of {@code moving}. */
  void settle(Set<ChangesetState> moving) {
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.fleet().changesets().forCampaign("jackson").stream().noneMatch(c -> moving.contains(c.state()));
    });
  }

  /** Ticks until every run has finished and nothing waits on CI, leaving held-back changesets alone. */
  void settleRuns() {
    settle(EnumSet.of(ChangesetState.RUNNING, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT));
  }

  Changeset changeset(String repo) {
    long repoId = controller.fleet().repositories().byName("acme", repo).orElseThrow().id();
    return controller.fleet().changesets().find("jackson", repoId).orElseThrow();
  }

  Campaign campaign() {
    return controller.fleet().campaigns().byName("jackson").orElseThrow();
  }

  List<String> history(Changeset c) {
    return jdbc.query("SELECT to_state FROM changeset_event WHERE changeset_id = ? ORDER BY id", rs -> rs.getString(1), c.id());
  }

  long firstEvent(Changeset c, String state) {
    return jdbc.count("SELECT min(id) FROM changeset_event WHERE changeset_id = ? AND to_state = ?", c.id(), state);
  }

  RepositoryRef ref(String repo) {
    return controller.fleet().repositories().byName("acme", repo).orElseThrow().ref();
  }

  long pullRequests(String repo) {
    return jdbc.count("SELECT count(*) FROM local_pull_request WHERE repository = ?", "acme/" + repo);
  }

  // --- waves ---

  @Test
  void canaryWaveMergesBeforeTheNextWaveStarts() throws Exception {
    service("alpha", AUTOMERGE, GREEN_CI);
    service("beta", AUTOMERGE, GREEN_CI);
    service("zulu", AUTOMERGE + "wave: canary\n", GREEN_CI);
    campaign("rollout: {waves: [\"1\", \"100%\"], haltOnFailureRate: 0.0}");
    assertThat(changeset("zulu").wave()).isZero();
    assertThat(changeset("alpha").wave()).isOne();
    controller.tick();
    assertThat(changeset("alpha").state()).isEqualTo(ChangesetState.PENDING);
    assertThat(changeset("beta").state()).isEqualTo(ChangesetState.PENDING);
    settle();
    assertThat(List.of(changeset("alpha"), changeset("beta"), changeset("zulu")))
        .extracting(Changeset::state).containsOnly(ChangesetState.MERGED);
    long canaryMerged = firstEvent(changeset("zulu"), "MERGED");
    assertThat(firstEvent(changeset("alpha"), "RUNNING")).isGreaterThan(canaryMerged);
    assertThat(firstEvent(changeset("beta"), "RUNNING")).isGreaterThan(canaryMerged);
    controller.tick();
    assertThat(campaign().status()).isEqualTo(CampaignStatus.COMPLETED);
  }

  @Test
  void failingWaveHaltsTheCampaignWithItsReasonAndStartsNothingBeyondIt() throws Exception {
    service("a-red", AUTOMERGE, RED_CI);
    service("b-green", AUTOMERGE, GREEN_CI);
    service("c-later", AUTOMERGE, GREEN_CI);
    campaign("rollout: {waves: [\"2\", \"100%\"], haltOnFailureRate: 0.4}");
    settle(EnumSet.of(ChangesetState.RUNNING, ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING));
    await().atMost(Duration.ofMinutes(2)).until(() -> {
      controller.tick();
      return campaign().status() == CampaignStatus.HALTED;
    });
    assertThat(campaign().statusReason()).contains("wave 1 of 2").contains("1 of 2").contains("flotilla campaign resume jackson");
    controller.tick();
    controller.tick();
    assertThat(changeset("c-later").state()).isEqualTo(ChangesetState.PENDING);
    assertThat(changeset("c-later").attempts()).isZero();
    assertThat(jdbc.count("SELECT count(*) FROM audit_event WHERE action = 'halt' AND target = 'jackson'")).isOne();
  }

  @Test
  void resumingAHaltedCampaignAcceptsTheWaveInsteadOfHaltingAgain() throws Exception {
    service("a-red", AUTOMERGE, RED_CI);
    service("b-green", AUTOMERGE, GREEN_CI);
    service("c-later", AUTOMERGE, GREEN_CI);
    campaign("rollout: {waves: [\"2\", \"100%\"], haltOnFailureRate: 0.4}");
    await().atMost(Duration.ofMinutes(4)).until(() -> {
      controller.tick();
      return campaign().status() == CampaignStatus.HALTED;
    });
    assertThat(controller.resume("jackson", "test")).isTrue();
    settle();
    assertThat(campaign().status()).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(campaign().currentWave()).isOne();
    assertThat(changeset("c-later").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(changeset("a-red").state()).isEqualTo(ChangesetState.CI_FAILED);
    assertThat(jdbc.count("SELECT count(*) FROM audit_event WHERE action = 'accept wave' AND target = 'jackson'")).isOne();
    assertThat(jdbc.count("SELECT count(*) FROM rollout_wave WHERE campaign = 'jackson' AND wave = 0 AND accepted_at IS NOT NULL")).isOne();
  }

  @Test
  void resumingAfterRaisingTheThresholdPassesTheWaveOnItsOwn() throws Exception {
    service("a-red", AUTOMERGE, RED_CI);
    service("b-green", AUTOMERGE, GREEN_CI);
    service("c-later", AUTOMERGE, GREEN_CI);
    campaign("rollout: {waves: [\"2\", \"100%\"], haltOnFailureRate: 0.4}");
    await().atMost(Duration.ofMinutes(4)).until(() -> {
      controller.tick();
      return campaign().status() == CampaignStatus.HALTED;
    });
    campaign("rollout: {waves: [\"2\", \"100%\"], haltOnFailureRate: 0.5}");
    assertThat(campaign().status()).as("applying a spec does not resume").isEqualTo(CampaignStatus.HALTED);
    controller.resume("jackson", "test");
    settle();
    assertThat(changeset("c-later").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(jdbc.count("SELECT count(*) FROM audit_event WHERE action = 'accept wave'")).isZero();
  }

  @Test
  void nothingToChangeAndSkippedDoNotDiluteTheFailureRate() throws Exception {
    service("a-red", AUTOMERGE, RED_CI);
    service("b-green", AUTOMERGE, GREEN_CI);
    repos.create("acme", "c-current", "main", Map.of("pom.xml", OLD_POM.replace("2.15.2", "2.18.2"), ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI));
    service("d-later", AUTOMERGE, GREEN_CI);
    // 1 failure of 2 counted is 50%, above 40%; had the no-change repository counted, 33% would pass.
    campaign("rollout: {waves: [\"3\", \"100%\"], haltOnFailureRate: 0.4}");
    await().atMost(Duration.ofMinutes(4)).until(() -> {
      controller.tick();
      return campaign().status() == CampaignStatus.HALTED;
    });
    assertThat(changeset("c-current").state()).isEqualTo(ChangesetState.NO_CHANGE);
    assertThat(campaign().statusReason()).contains("1 of 2");
  }

  @Test
  void anOpenPullRequestPastTheGracePeriodFinishesItsWave() throws Exception {
    service("a-reviewed", REVIEWED, GREEN_CI);
    service("b-later", AUTOMERGE, GREEN_CI);
    campaign("rollout: {waves: [\"1\", \"100%\"], waveGracePeriod: 2d}");
    settleRuns();
    assertThat(changeset("a-reviewed").state()).isEqualTo(ChangesetState.MERGEABLE);
    controller.tick();
    assertThat(changeset("b-later").state()).as("wave 1 waits for its open pull request").isEqualTo(ChangesetState.PENDING);
    clock.advance(Duration.ofDays(2).plusMinutes(1));
    settle(EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING, ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING));
    assertThat(changeset("b-later").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(changeset("a-reviewed").state()).isEqualTo(ChangesetState.MERGEABLE);
  }

  @Test
  void aRepositoryOptingInLaterJoinsWithoutMovingOthersBetweenWaves() throws Exception {
    service("b", AUTOMERGE, GREEN_CI);
    service("c", AUTOMERGE, GREEN_CI);
    campaign("rollout: {waves: [\"1\", \"100%\"]}");
    int bWave = changeset("b").wave();
    int cWave = changeset("c").wave();
    service("a", AUTOMERGE + "wave: canary\n", GREEN_CI);
    controller.discover();
    assertThat(changeset("b").wave()).isEqualTo(bWave);
    assertThat(changeset("c").wave()).isEqualTo(cWave);
    assertThat(changeset("a").state()).isEqualTo(ChangesetState.PENDING);
    settle();
    assertThat(changeset("a").state()).isEqualTo(ChangesetState.MERGED);
  }

  // --- merge windows ---

  static final String SUNDAY_WINDOW = AUTOMERGE + "mergeWindow: {timezone: Europe/Copenhagen, days: [SUN], hours: \"10:00-11:00\"}\n";

  @Test
  void mergeWindowFollowsCopenhagenIntoSummerTime() throws Exception {
    // 2026-03-29 is the Sunday Copenhagen moves from UTC+1 to UTC+2 at 02:00 local time.
    clock.set(Instant.parse("2026-03-29T07:30:00Z"));
    service("windowed", SUNDAY_WINDOW, GREEN_CI);
    campaign("");
    settle();
    // 09:30 summer time: closed (still winter time, it would also be closed: 08:30).
    assertThat(changeset("windowed").state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset("windowed").stateReason()).contains("merge window");
    clock.set(Instant.parse("2026-03-29T08:05:00Z"));
    // 10:05 summer time: open, though on winter time it would be 09:05 and closed.
    awaitMerged("windowed");
  }

  @Test
  void mergeWindowFollowsCopenhagenBackToWinterTime() throws Exception {
    // 2026-10-25 is the Sunday Copenhagen moves from UTC+2 back to UTC+1 at 03:00 local time.
    clock.set(Instant.parse("2026-10-25T08:30:00Z"));
    service("windowed", SUNDAY_WINDOW, GREEN_CI);
    campaign("");
    settle();
    // 09:30 winter time: closed, though on summer time it would be 10:30 and open.
    assertThat(changeset("windowed").state()).isEqualTo(ChangesetState.MERGEABLE);
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(changeset("windowed").state()).isEqualTo(ChangesetState.MERGEABLE);
    clock.set(Instant.parse("2026-10-25T09:05:00Z"));
    awaitMerged("windowed");
  }

  @Test
  void aPullRequestWaitingForTheWindowIsCheckedAgainOnlyAfterTheRecheckInterval() throws Exception {
    settings = new EngineSettings("http://localhost:8080", 50, 3, Duration.ofMinutes(5), EngineSettings.defaults().author());
    controller.close();
    controller = newController();
    clock.set(Instant.parse("2026-03-29T07:30:00Z"));
    service("windowed", SUNDAY_WINDOW, GREEN_CI);
    campaign("");
    await().atMost(Duration.ofMinutes(4)).until(() -> {
      controller.tick();
      clock.advance(Duration.ofSeconds(1));
      return changeset("windowed").state() == ChangesetState.MERGEABLE;
    });
    Instant next = jdbc.queryOne("SELECT next_check_at FROM changeset WHERE id = ?", rs -> rs.getTimestamp(1).toInstant(),
        changeset("windowed").id()).orElseThrow();
    assertThat(next).isAfter(clock.instant()).isBeforeOrEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    clock.set(Instant.parse("2026-03-29T08:05:00Z"));
    awaitMerged("windowed");
  }

  void awaitMerged(String repo) {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return changeset(repo).state() == ChangesetState.MERGED;
    });
  }

  // --- limits ---

  @Test
  void concurrentRunsCapsHowManyRunsOneTickStarts() throws Exception {
    for (String name : List.of("a", "b", "c", "d")) {
      service(name, AUTOMERGE, GREEN_CI);
    }
    campaign("limits: {concurrentRuns: 1}");
    controller.tick();
    assertThat(controller.fleet().changesets().forCampaign("jackson").stream().filter(c -> c.attempts() > 0)).hasSize(1);
    settle();
    assertThat(controller.fleet().changesets().forCampaign("jackson")).extracting(Changeset::state).containsOnly(ChangesetState.MERGED);
  }

  @Test
  void openPullRequestsCapsHowManyChangesetsHoldAPullRequestAtOnce() throws Exception {
    for (String name : List.of("a", "b", "c")) {
      service(name, REVIEWED, GREEN_CI);
    }
    campaign("limits: {openPullRequests: 2}");
    settleRuns();
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    var states = controller.fleet().changesets().forCampaign("jackson").stream().map(Changeset::state).toList();
    assertThat(states).containsExactlyInAnyOrder(ChangesetState.MERGEABLE, ChangesetState.MERGEABLE, ChangesetState.PENDING);
    String waiting = states.indexOf(ChangesetState.PENDING) == 0 ? "a" : states.indexOf(ChangesetState.PENDING) == 1 ? "b" : "c";
    String holding = waiting.equals("a") ? "b" : "a";
    forge.closePullRequest(ref(holding), changeset(holding).prNumber(), "not now");
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return changeset(waiting).state() == ChangesetState.MERGEABLE;
    });
    assertThat(changeset(holding).state()).isEqualTo(ChangesetState.CLOSED);
  }

  @Test
  void pullRequestsPerHourIsATokenBucketThatARestartDoesNotRefill() throws Exception {
    for (String name : List.of("a", "b", "c", "d")) {
      service(name, REVIEWED, GREEN_CI);
    }
    campaign("limits: {pullRequestsPerHour: 2}");
    settle(EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING));
    assertThat(jdbc.count("SELECT count(*) FROM local_pull_request")).isEqualTo(2);
    assertThat(controller.fleet().changesets().forCampaign("jackson").stream().filter(c -> c.state() == ChangesetState.PUSHED))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.stateReason()).contains("limits.pullRequestsPerHour"));

    controller.close();
    controller = newController();
    clock.advance(Duration.ofMinutes(29));
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(jdbc.count("SELECT count(*) FROM local_pull_request")).as("a restart does not refill the bucket").isEqualTo(2);

    clock.advance(Duration.ofMinutes(2));
    controller.tick();
    assertThat(jdbc.count("SELECT count(*) FROM local_pull_request")).as("one token back after half an hour").isEqualTo(3);
    clock.advance(Duration.ofMinutes(30));
    controller.tick();
    assertThat(jdbc.count("SELECT count(*) FROM local_pull_request")).isEqualTo(4);
  }

  @Test
  void aRepositoryHoldsAtMostTheGlobalNumberOfOpenFlotillaPullRequests() throws Exception {
    settings = new EngineSettings("http://localhost:8080", 50, 1, Duration.ZERO, EngineSettings.defaults().author());
    controller.close();
    controller = newController();
    String workflow = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3\n";
    repos.create("acme", "svc", "main", Map.of("pom.xml", OLD_POM, "ci.sh", GREEN_CI, ".flotilla.yaml", REVIEWED,
        ".github/workflows/ci.yml", workflow));
    campaign("");
    settleRuns();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGEABLE);
    String checkout = """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: checkout}
        spec:
          migration: github-actions-version
          parameters: {action: actions/checkout, ref: v4}
        """;
    controller.applyCampaign(CampaignParser.parse(checkout, "checkout.yaml", Migrations.load()), checkout, "test");
    long repoId = controller.fleet().repositories().byName("acme", "svc").orElseThrow().id();
    await().atMost(Duration.ofMinutes(4)).until(() -> {
      controller.tick();
      return controller.fleet().changesets().find("checkout", repoId).orElseThrow().state() == ChangesetState.PUSHED;
    });
    controller.tick();
    Changeset second = controller.fleet().changesets().find("checkout", repoId).orElseThrow();
    assertThat(second.state()).isEqualTo(ChangesetState.PUSHED);
    assertThat(second.stateReason()).contains("already has 1 open Flotilla pull requests");
    assertThat(pullRequests("svc")).isOne();
  }

  // --- CI load: rebase only on conflicts or by age ---

  @Test
  void aMovedBaseAloneDoesNotReRunTheMigration() throws Exception {
    service("svc", REVIEWED, GREEN_CI);
    campaign("");
    settle();
    String pushed = changeset("svc").lastPushedSha();
    repos.commit("acme", "svc", "main", Map.of("README.md", "unrelated"), "unrelated change");
    clock.advance(Duration.ofDays(30));
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset("svc").lastPushedSha()).isEqualTo(pushed);
  }

  @Test
  void aBranchOlderThanRebaseAfterIsRebuiltOnAMovedBase() throws Exception {
    service("svc", REVIEWED, GREEN_CI);
    campaign("rebaseAfter: 7d");
    settle();
    Changeset before = changeset("svc");
    clock.advance(Duration.ofDays(8));
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(changeset("svc").lastPushedSha()).as("old, but the base has not moved").isEqualTo(before.lastPushedSha());

    repos.commit("acme", "svc", "main", Map.of("README.md", "unrelated"), "unrelated change");
    clock.advance(Duration.ofDays(1));
    settle();
    Changeset after = changeset("svc");
    assertThat(after.state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(after.lastPushedSha()).isNotEqualTo(before.lastPushedSha());
    assertThat(after.prNumber()).isEqualTo(before.prNumber());
    assertThat(history(after)).containsSubsequence("MERGEABLE", "PENDING", "RUNNING", "PR_OPEN", "MERGEABLE");

    repos.commit("acme", "svc", "main", Map.of("README.md", "again"), "another unrelated change");
    clock.advance(Duration.ofDays(1));
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(changeset("svc").lastPushedSha()).as("rebuilt a day ago, younger than rebaseAfter").isEqualTo(after.lastPushedSha());
  }

  // --- continuous campaigns ---

  static final String SCHEDULED = "schedule: \"0 0 6 ? * MON-FRI\"\nrebaseAfter: 1d";

  @Test
  void aScheduledRunPicksUpRepositoriesThatOptedInSince() throws Exception {
    service("first", AUTOMERGE, GREEN_CI);
    campaign(SCHEDULED);
    settle();
    service("newcomer", AUTOMERGE, GREEN_CI);
    new dev.flotilla.controller.discovery.Discovery(forge, controller.fleet().repositories(), clock).scan();
    controller.reconverge("jackson");
    settle();
    assertThat(changeset("newcomer").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(campaign().status()).as("a scheduled campaign never completes").isEqualTo(CampaignStatus.ACTIVE);
  }

  @Test
  void aScheduledRunMigratesARevertedRepositoryAgain() throws Exception {
    service("svc", AUTOMERGE, GREEN_CI);
    campaign(SCHEDULED);
    settle();
    Changeset merged = changeset("svc");
    assertThat(merged.state()).isEqualTo(ChangesetState.MERGED);
    repos.commit("acme", "svc", "main", Map.of("pom.xml", OLD_POM), "Revert the jackson upgrade");
    controller.reconverge("jackson");
    settle();
    Changeset again = changeset("svc");
    assertThat(again.state()).isEqualTo(ChangesetState.MERGED);
    assertThat(again.prNumber()).isNotEqualTo(merged.prNumber());
    assertThat(pullRequests("svc")).isEqualTo(2);
  }

  @Test
  void aScheduledRunOnAConvergedRepositoryChangesNothing() throws Exception {
    service("svc", AUTOMERGE, GREEN_CI);
    campaign(SCHEDULED);
    settle();
    controller.reconverge("jackson");
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.NO_CHANGE);
    assertThat(pullRequests("svc")).isOne();
  }

  @Test
  void anOpenPullRequestWhoseChangeLandedOtherwiseIsClosedAsDone() throws Exception {
    service("svc", REVIEWED, GREEN_CI);
    campaign(SCHEDULED);
    settle();
    int pr = changeset("svc").prNumber();
    repos.commit("acme", "svc", "main", Map.of("pom.xml", OLD_POM.replace("2.15.2", "2.18.2")), "upgrade jackson by hand");
    clock.advance(Duration.ofDays(2));
    controller.reconverge("jackson");
    settle();
    Changeset done = changeset("svc");
    assertThat(done.state()).isEqualTo(ChangesetState.NO_CHANGE);
    assertThat(done.stateReason()).contains("closed pull request #" + pr);
    assertThat(forge.getPullRequest(ref("svc"), pr).state()).isEqualTo(dev.flotilla.controller.model.PullRequest.State.CLOSED);
  }

  // --- pause, resume, cancel ---

  @Test
  void aPausedCampaignStartsNoRunsAndMergesNothingUntilResumed() throws Exception {
    service("a", AUTOMERGE, GREEN_CI);
    service("b", AUTOMERGE, GREEN_CI);
    campaign("limits: {concurrentRuns: 1}");
    controller.tick();
    assertThat(controller.pause("jackson", "test")).isTrue();
    settle(EnumSet.of(ChangesetState.RUNNING, ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING));
    var states = controller.fleet().changesets().forCampaign("jackson").stream().map(Changeset::state).toList();
    assertThat(states).containsExactlyInAnyOrder(ChangesetState.PENDING, ChangesetState.MERGEABLE);
    assertThat(controller.fleet().changesets().forCampaign("jackson").stream()
        .filter(c -> c.state() == ChangesetState.MERGEABLE).findFirst().orElseThrow().stateReason()).contains("PAUSED");
    assertThat(controller.resume("jackson", "test")).isTrue();
    settle();
    assertThat(controller.fleet().changesets().forCampaign("jackson")).extracting(Changeset::state).containsOnly(ChangesetState.MERGED);
    assertThat(jdbc.query("SELECT action FROM audit_event WHERE target = 'jackson' ORDER BY id", rs -> rs.getString(1)))
        .containsSubsequence("paused", "active");
  }

  @Test
  void cancelStopsNewRunsAndLeavesPullRequestsOpenByDefault() throws Exception {
    service("a", REVIEWED, GREEN_CI);
    service("b", REVIEWED, GREEN_CI);
    campaign("limits: {concurrentRuns: 1, openPullRequests: 1}");
    settleRuns();
    assertThat(controller.cancel("jackson", false, "test")).isTrue();
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    var states = controller.fleet().changesets().forCampaign("jackson").stream().map(Changeset::state).toList();
    assertThat(states).containsExactlyInAnyOrder(ChangesetState.MERGEABLE, ChangesetState.SKIPPED);
    assertThat(campaign().status()).isEqualTo(CampaignStatus.CANCELLED);
    assertThat(jdbc.count("SELECT count(*) FROM local_pull_request WHERE state = 'OPEN'")).isOne();
  }

  @Test
  void cancelWithClosePullRequestsClosesThemWithAComment() throws Exception {
    service("a", REVIEWED, GREEN_CI);
    service("b", REVIEWED, GREEN_CI);
    campaign("");
    settle();
    Changeset a = changeset("a");
    var result = new Cancellation(controller.fleet()).cancel("jackson", true, "alice");
    assertThat(result).isEqualTo(new Cancellation.Result(true, 0, 2, 0));
    assertThat(changeset("a").state()).isEqualTo(ChangesetState.CLOSED);
    assertThat(changeset("b").state()).isEqualTo(ChangesetState.CLOSED);
    assertThat(jdbc.count("SELECT count(*) FROM local_pull_request WHERE state = 'OPEN'")).isZero();
    assertThat(forge.comments(ref("a"), a.prNumber())).anySatisfy(c -> assertThat(c).contains("cancelled by alice"));
    assertThat(controller.cancel("jackson", true, "alice")).as("already cancelled").isFalse();
  }
}
