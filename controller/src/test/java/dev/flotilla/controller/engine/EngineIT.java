package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every changeset transition in the lifecycle, on real bare repositories, the embedded PostgreSQL,
 * the local forge with its CI, the real runner and the built-in migrations.
 */
class EngineIT {

  static final String OLD_POM = """
      <project>
        <modelVersion>4.0.0</modelVersion>
        <groupId>com.acme</groupId>
        <artifactId>svc</artifactId>
        <version>1.0.0</version>
        <properties>
          <jackson.version>2.15.2</jackson.version>
        </properties>
        <dependencies>
          <dependency>
            <groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-databind</artifactId>
            <version>${jackson.version}</version>
          </dependency>
        </dependencies>
      </project>
      """;
  static final String GREEN_CI = "#!/bin/sh\necho all tests passed\n";
  static final String RED_CI = "#!/bin/sh\necho 'FooTest > parses FAILED'\nexit 1\n";
  static final String AUTOMERGE = "enabled: true\nautomerge: true\n";

  @TempDir Path tmp;
  TestEngine engine;
  Jdbc jdbc;
  LocalForge forge;
  Controller controller;
  TestForgeRepos repos;
  MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    engine = TestEngine.builder(tmp).clock(clock).build();
    jdbc = engine.jdbc();
    forge = engine.localForge();
    controller = engine.controller();
    repos = engine.repos();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  void service(String name, String optIn, String ci) throws Exception {
    Map<String, String> files = new java.util.HashMap<>(Map.of("pom.xml", OLD_POM, "ci.sh", ci));
    if (optIn != null) {
      files.put(".flotilla.yaml", optIn);
    }
    repos.create("acme", name, "main", files);
  }

  String campaignName = "jackson";

  void campaign(boolean automerge) {
    campaign("automerge: " + automerge);
  }

  /** The jackson campaign with {@code moreSpec}, one line of YAML under its spec. */
  void campaign(String moreSpec) {
    apply("""
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          %s
        """.formatted(moreSpec));
  }

  void apply(String yaml) {
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(yaml, "jackson.yaml", Migrations.load()), yaml, "test");
  }

  /** Ticks until nothing is moving on its own any more. */
  void settle() {
    Set<ChangesetState> moving = EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING, ChangesetState.PUSHED,
        ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.fleet().changesets().forCampaign(campaignName).stream().noneMatch(c -> moving.contains(c.state()));
    });
  }

  Changeset changeset(String repo) {
    long repoId = controller.fleet().repositories().byName("acme", repo).orElseThrow().id();
    return controller.fleet().changesets().find(campaignName, repoId).orElseThrow();
  }

  List<String> history(Changeset c) {
    return jdbc.query("SELECT to_state FROM changeset_event WHERE changeset_id = ? ORDER BY id", rs -> rs.getString(1), c.id());
  }

  RepositoryRef ref(String repo) {
    return controller.fleet().repositories().byName("acme", repo).orElseThrow().ref();
  }

  String mainPom(String repo) throws Exception {
    try (Git git = Git.open(repos.bare("acme", repo).toFile())) {
      var repository = git.getRepository();
      var tree = repository.parseCommit(repository.resolve("refs/heads/main")).getTree();
      try (var walk = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository, "pom.xml", tree)) {
        return new String(repository.open(walk.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }

  long pullRequests(String repo) {
    return jdbc.count("SELECT count(*) FROM local_pull_request WHERE repository = ?", "acme/" + repo);
  }

  @Test
  void greenPullRequestGoesThroughEveryStateToMerged() throws Exception {
    service("svc", AUTOMERGE, GREEN_CI);
    campaign(true);
    settle();
    Changeset c = changeset("svc");
    assertThat(c.state()).isEqualTo(ChangesetState.MERGED);
    assertThat(history(c)).containsSubsequence("PENDING", "RUNNING", "PUSHED", "PR_OPEN", "MERGEABLE", "MERGED");
    assertThat(mainPom("svc")).contains("<jackson.version>2.18.2</jackson.version>");
    assertThat(pullRequests("svc")).isOne();
    try (Git git = Git.open(repos.bare("acme", "svc").toFile())) {
      assertThat(git.getRepository().findRef("refs/heads/flotilla/jackson")).as("branch deleted after merge").isNull();
    }
  }

  @Test
  void aFinishedRunStartsTheNextWithoutWaitingForAPoll() throws Exception {
    for (String name : List.of("one", "two", "three")) {
      service(name, AUTOMERGE, GREEN_CI);
    }
    campaign("limits: {concurrentRuns: 1}");
    // No tick at all: applying the campaign starts the first run, each recorded result the next.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() ->
        controller.fleet().changesets().forCampaign(campaignName).stream().allMatch(c -> c.state() == ChangesetState.PUSHED));
    assertThat(jdbc.query("SELECT to_state FROM changeset_event WHERE campaign = ? AND to_state IN ('RUNNING', 'PUSHED') ORDER BY id",
            rs -> rs.getString(1), campaignName))
        .as("one run at a time, as concurrentRuns says")
        .containsExactly("RUNNING", "PUSHED", "RUNNING", "PUSHED", "RUNNING", "PUSHED");
  }

  @Test
  void nothingToChangeAndNotApplicableAreTerminal() throws Exception {
    repos.create("acme", "current", "main", Map.of("pom.xml", OLD_POM.replace("2.15.2", "2.18.2"), ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI));
    repos.create("acme", "frontend", "main", Map.of("package.json", "{}", ".flotilla.yaml", AUTOMERGE));
    campaign(true);
    settle();
    assertThat(changeset("current").state()).isEqualTo(ChangesetState.NO_CHANGE);
    assertThat(changeset("frontend").state()).isEqualTo(ChangesetState.NOT_APPLICABLE);
    assertThat(pullRequests("current") + pullRequests("frontend")).isZero();
  }

  @Test
  void aRepositoryTheMigrationLeavesAloneOnPurposeNeedsAPersonWithTheReason() throws Exception {
    repos.create("acme", "ahead", "main", Map.of(
        ".github/workflows/ci.yml", "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v7\n",
        ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI));
    campaignName = "checkout";
    apply("""
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: checkout}
        spec:
          migration: github-actions-version
          parameters: {action: actions/checkout, ref: v4}
          automerge: true
        """);
    settle();

    Changeset c = changeset("ahead");
    assertThat(c.state()).isEqualTo(ChangesetState.NEEDS_HUMAN);
    assertThat(c.stateReason()).isEqualTo(
        "left alone: .github/workflows/ci.yml:5 actions/checkout@v7 is ahead of v4 (never downgraded)");
    assertThat(pullRequests("ahead")).isZero();
    controller.tick();
    var campaign = controller.fleet().campaigns().byName("checkout").orElseThrow();
    assertThat(campaign.status()).as("not done while a person is needed").isEqualTo(CampaignStatus.ACTIVE);
    CampaignReport report = CampaignReport.all(jdbc).stream()
        .filter(r -> r.campaign().equals(campaign.name())).findFirst().orElseThrow();
    assertThat(report.needsHuman()).isOne();
    assertThat(report.noChange()).isZero();
    assertThat(report.settled()).isTrue();
    assertThat(controller.retry(c.id(), "maria")).isTrue();
    assertThat(changeset("ahead").state()).isEqualTo(ChangesetState.PENDING);
  }

  @Test
  void excludedAndInvalidRepositoriesAreSkippedAndTheRestGoesOn() throws Exception {
    service("excluding", "enabled: true\nexclude: [maven-dependency-version]\n", GREEN_CI);
    service("broken", "enabled: true\nautomerge: sometimes\n", GREEN_CI);
    service("absent", null, GREEN_CI);
    service("svc", AUTOMERGE, GREEN_CI);
    campaign(true);
    settle();
    assertThat(changeset("excluding").state()).isEqualTo(ChangesetState.SKIPPED);
    assertThat(changeset("broken").state()).isEqualTo(ChangesetState.SKIPPED);
    assertThat(changeset("broken").stateReason()).contains("invalid .flotilla.yaml").contains("automerge");
    long absentId = controller.fleet().repositories().byName("acme", "absent").orElseThrow().id();
    assertThat(controller.fleet().changesets().find("jackson", absentId)).isEmpty();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void failingCiIsReportedAndARetryOnAFixedBaseMerges() throws Exception {
    service("flaky", AUTOMERGE, RED_CI);
    campaign(true);
    settle();
    Changeset failed = changeset("flaky");
    assertThat(failed.state()).isEqualTo(ChangesetState.CI_FAILED);
    assertThat(failed.lastError()).contains("FooTest > parses FAILED");
    repos.commit("acme", "flaky", "main", Map.of("ci.sh", GREEN_CI), "fix the test");
    assertThat(controller.retry(failed.id(), "test")).isTrue();
    settle();
    assertThat(changeset("flaky").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(pullRequests("flaky")).isOne();
  }

  @Test
  void failedRunKeepsItsReasonAndARetryRunsAgain() throws Exception {
    String good = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3\n";
    repos.create("acme", "bad", "main", Map.of(".github/workflows/ci.yml", "jobs: [unclosed", ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI));
    campaignName = "checkout";
    apply("""
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: checkout}
        spec:
          migration: github-actions-version
          parameters: {action: actions/checkout, ref: v4}
          automerge: true
        """);
    settle();
    Changeset failed = changeset("bad");
    assertThat(failed.state()).isEqualTo(ChangesetState.FAILED);
    assertThat(failed.lastError()).contains("APPLY").contains("ci.yml");
    repos.commit("acme", "bad", "main", Map.of(".github/workflows/ci.yml", good), "repair the workflow");
    controller.retry(failed.id(), "test");
    settle();
    assertThat(changeset("bad").state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void conflictReRunsOnTheNewBaseAndKeepsThePullRequest() throws Exception {
    service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    settle();
    Changeset before = changeset("svc");
    assertThat(before.state()).isEqualTo(ChangesetState.MERGEABLE);
    repos.commit("acme", "svc", "main", Map.of("pom.xml", OLD_POM.replace("2.15.2", "2.16.1")), "bump jackson by hand");
    settle();
    Changeset after = changeset("svc");
    assertThat(history(after)).contains("CONFLICT");
    assertThat(after.state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(after.prNumber()).isEqualTo(before.prNumber());
    assertThat(after.lastPushedSha()).isNotEqualTo(before.lastPushedSha());
    assertThat(pullRequests("svc")).isOne();
  }

  @Test
  void pullRequestClosedByAPersonStaysClosed() throws Exception {
    service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    settle();
    forge.closePullRequest(ref("svc"), changeset("svc").prNumber(), "not now, thanks");
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.CLOSED);
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.CLOSED);
    assertThat(pullRequests("svc")).isOne();
    assertThat(forge.findOpenPullRequest(ref("svc"), "flotilla/jackson")).isEmpty();
  }

  @Test
  void branchAPersonPushedToIsLeftAlone() throws Exception {
    service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    settle();
    String theirs = repos.commit("acme", "svc", "flotilla/jackson", Map.of("NOTES.md", "my change"), "a person's commit");
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MODIFIED);
    controller.tick();
    PullRequest pr = forge.getPullRequest(ref("svc"), changeset("svc").prNumber());
    assertThat(pr.headSha()).isEqualTo(theirs);
  }

  @Test
  void greenPullRequestWaitsForReviewWhenAutomergeIsOff() throws Exception {
    service("careful", "enabled: true\nautomerge: false\n", GREEN_CI);
    service("eager", AUTOMERGE, GREEN_CI);
    campaign(true);
    settle();
    assertThat(changeset("careful").state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset("careful").stateReason()).contains("waiting for review");
    assertThat(changeset("eager").state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void greenPullRequestWaitsForTheMergeWindowThenMerges() throws Exception {
    // 2026-03-02 is a Monday; 10:00 UTC is 11:00 in Copenhagen, outside 13:00-15:00.
    service("windowed", AUTOMERGE + "mergeWindow: {timezone: Europe/Copenhagen, days: [MON], hours: \"13:00-15:00\"}\n", GREEN_CI);
    campaign(true);
    settle();
    assertThat(changeset("windowed").state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset("windowed").stateReason()).contains("merge window");
    clock.set(Instant.parse("2026-03-02T12:30:00Z"));
    settle();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      controller.tick();
      return changeset("windowed").state() == ChangesetState.MERGED;
    });
  }
}
