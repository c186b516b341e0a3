package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.forge.github.ApiCallCounter;
import dev.flotilla.controller.forge.github.GitHubForge;
import dev.flotilla.controller.forge.github.GitHubWebhookHandler;
import dev.flotilla.controller.forge.github.sim.GitHubSim;
import dev.flotilla.controller.forge.github.sim.SimApp;
import dev.flotilla.controller.forge.github.sim.SimRepo;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.WebhookDeliveries;
import dev.flotilla.migration.Migrations;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
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
 * The whole engine against a simulated GitHub: the real controller, dispatcher, local executor and
 * runner, the GitHub forge as an App through hub4j, pushes over smart HTTP with minted run tokens,
 * CI that reports check runs late, lazily computed mergeability and webhooks signed with the
 * secret. Mirrors every lifecycle path of {@link EngineIT}, and adds what only a GitHub does.
 */
class GitHubEngineIT {

  static final String OLD_POM = EngineIT.OLD_POM;
  static final String GREEN_CI = EngineIT.GREEN_CI;
  static final String RED_CI = EngineIT.RED_CI;
  static final String AUTOMERGE = EngineIT.AUTOMERGE;
  static final String BRANCH = "flotilla/jackson";

  @TempDir Path tmp;
  GitHubSim sim;
  GitHubForge github;
  TestEngine engine;
  Jdbc jdbc;
  Controller controller;
  HttpServer webhooks;
  ForgeEventQueue events;
  long installation;
  MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  String campaignName = "jackson";
  Migrations migrations = Migrations.load();

  @BeforeEach
  void start() throws Exception {
    sim = GitHubSim.start(tmp.resolve("github"));
    installation = sim.install("acme");
    sim.ciDelay(Duration.ofMillis(300));
    github = SimApp.forge(SimApp.config(sim, tmp.resolve("app"), List.of("acme")), ApiCallCounter.NONE);
    engine = TestEngine.builder(tmp).clock(clock).forge(local -> github)
        // As the server does: a token per run, with workflows: write when the migration may edit a workflow.
        .runEnvironment(request -> Map.of(GitHubForge.RUN_TOKEN_ENV, github.mintRunToken(request, migrations).orElseThrow()))
        .build();
    jdbc = engine.jdbc();
    controller = engine.controller();
  }

  @AfterEach
  void stop() {
    if (webhooks != null) {
      webhooks.stop(0);
      events.close();
    }
    engine.close();
    sim.close();
  }

  /** Webhooks from the simulator to the handler the server mounts, wired as the server wires it. */
  void webhooksOn() throws Exception {
    webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 20);
    events = new ForgeEventQueue(new ForgeEvents(controller), 1000, 2, ForgeEventQueue.Observer.NONE, Clock.systemUTC());
    events.start();
    webhooks.createContext(GitHubWebhookHandler.PATH, new GitHubWebhookHandler(
        Secret.of(SimApp.WEBHOOK_SECRET), events, GitHubWebhookHandler.DEFAULT_MAX_BODY, new WebhookDeliveries(jdbc), Clock.systemUTC()));
    webhooks.start();
    sim.webhooks(URI.create("http://127.0.0.1:" + webhooks.getAddress().getPort() + GitHubWebhookHandler.PATH), SimApp.WEBHOOK_SECRET);
  }

  SimRepo service(String name, String optIn, String ci) {
    Map<String, String> files = new HashMap<>(Map.of("pom.xml", OLD_POM, "ci.sh", ci));
    if (optIn != null) {
      files.put(".flotilla.yaml", optIn);
    }
    return protect(sim.createRepo("acme", name, files));
  }

  /**
   * As the owners of a repository that lets Flotilla merge do: main requires the {@code ci} check.
   * Without a required check Flotilla does not merge (the forge would merge whatever the tests say).
   */
  static SimRepo protect(SimRepo repo) {
    repo.protection = new SimRepo.Rules();
    repo.protection.requiredChecks.add("ci");
    return repo;
  }

  void campaign(boolean automerge) {
    apply("""
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          automerge: %s
        """.formatted(automerge));
  }

  void checkoutCampaign() {
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
  }

  void apply(String yaml) {
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(yaml, campaignName + ".yaml", Migrations.load()), yaml, "test");
  }

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

  @Test
  void greenPullRequestGoesThroughEveryStateToMerged() {
    SimRepo svc = service("svc", AUTOMERGE, GREEN_CI);
    campaign(true);
    settle();
    Changeset c = changeset("svc");
    assertThat(c.state()).isEqualTo(ChangesetState.MERGED);
    assertThat(history(c)).containsSubsequence("PENDING", "RUNNING", "PUSHED", "PR_OPEN", "MERGEABLE", "MERGED");
    assertThat(svc.fileOn("main", "pom.xml")).contains("<jackson.version>2.18.2</jackson.version>");
    assertThat(svc.pullRequests()).isOne();
    assertThat(sim.pull("acme", "svc", 1).isMerged()).isTrue();
    assertThat(svc.hasBranch(BRANCH)).as("branch deleted after merge").isFalse();
    assertThat(sim.calls("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).isOne();
  }

  @Test
  void webhooksMoveAPullRequestToMergedWithoutPolling() throws Exception {
    webhooksOn();
    service("svc", AUTOMERGE, GREEN_CI);
    campaign(true);
    // Ticks only until the pull request is open; from then on only events move it.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return EnumSet.of(ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.MERGEABLE, ChangesetState.MERGED)
          .contains(changeset("svc").state());
    });
    await().atMost(Duration.ofSeconds(60)).until(() -> changeset("svc").state() == ChangesetState.MERGED);
    assertThat(sim.deliveries()).isNotEmpty().as("accepted").allMatch(d -> d.status() / 100 == 2);
    assertThat(sim.deliveries()).anyMatch(d -> d.event().equals("check_run"));
  }

  @Test
  void nothingToChangeAndNotApplicableAreTerminal() {
    SimRepo current = protect(sim.createRepo("acme", "current", Map.of("pom.xml", OLD_POM.replace("2.15.2", "2.18.2"), ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI)));
    SimRepo frontend = protect(sim.createRepo("acme", "frontend", Map.of("package.json", "{}", ".flotilla.yaml", AUTOMERGE)));
    campaign(true);
    settle();
    assertThat(changeset("current").state()).isEqualTo(ChangesetState.NO_CHANGE);
    assertThat(changeset("frontend").state()).isEqualTo(ChangesetState.NOT_APPLICABLE);
    assertThat(current.pullRequests() + frontend.pullRequests()).isZero();
  }

  @Test
  void aRepositoryTheMigrationLeavesAloneOnPurposeNeedsAPersonWithTheReason() {
    sim.createRepo("acme", "ahead", Map.of(
        ".github/workflows/ci.yml", "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v7\n",
        ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI));
    checkoutCampaign();
    settle();
    Changeset c = changeset("ahead");
    assertThat(c.state()).isEqualTo(ChangesetState.NEEDS_HUMAN);
    assertThat(c.stateReason()).isEqualTo(
        "left alone: .github/workflows/ci.yml:5 actions/checkout@v7 is ahead of v4 (never downgraded)");
    assertThat(sim.repo("acme", "ahead").pullRequests()).isZero();
    controller.tick();
    assertThat(controller.fleet().campaigns().byName("checkout").orElseThrow().status()).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(controller.retry(c.id(), "maria")).isTrue();
    assertThat(changeset("ahead").state()).isEqualTo(ChangesetState.PENDING);
  }

  @Test
  void excludedAndInvalidRepositoriesAreSkippedAndTheRestGoesOn() {
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
  void archivedRepositoriesAreLeftOut() {
    service("svc", AUTOMERGE, GREEN_CI);
    service("old", AUTOMERGE, GREEN_CI).archived = true;
    campaign(true);
    settle();
    assertThat(controller.fleet().repositories().byName("acme", "old")).isEmpty();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void failingCiIsReportedAndARetryOnAFixedBaseMerges() {
    SimRepo flaky = service("flaky", AUTOMERGE, RED_CI);
    campaign(true);
    settle();
    Changeset failed = changeset("flaky");
    assertThat(failed.state()).isEqualTo(ChangesetState.CI_FAILED);
    assertThat(failed.lastError()).contains("FooTest > parses FAILED");
    sim.commit("acme", "flaky", "main", Map.of("ci.sh", GREEN_CI), "fix the test");
    assertThat(controller.retry(failed.id(), "test")).isTrue();
    settle();
    assertThat(changeset("flaky").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(flaky.pullRequests()).isOne();
  }

  static final String CHECKOUT_V3 = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v3\n";

  @Test
  void failedRunKeepsItsReasonAndARetryRunsAgain() {
    SimRepo bad = protect(sim.createRepo("acme", "bad", Map.of(".github/workflows/ci.yml", "jobs: [unclosed", ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI)));
    checkoutCampaign();
    settle();
    Changeset failed = changeset("bad");
    assertThat(failed.state()).isEqualTo(ChangesetState.FAILED);
    assertThat(failed.lastError()).contains("APPLY").contains("ci.yml");
    sim.commit("acme", "bad", "main", Map.of(".github/workflows/ci.yml", CHECKOUT_V3), "repair the workflow");
    controller.retry(failed.id(), "test");
    settle();
    // The run token carried workflows: write, so GitHub took the edited workflow.
    assertThat(changeset("bad").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(bad.fileOn("main", ".github/workflows/ci.yml")).contains("actions/checkout@v4");
  }

  @Test
  void aWorkflowEditWithoutTheWorkflowsPermissionFailsNamingIt() {
    Map<String, String> withoutWorkflows = new HashMap<>(GitHubSim.ALL_PERMISSIONS);
    withoutWorkflows.remove("workflows");
    sim.grant(installation, withoutWorkflows);
    SimRepo ci = protect(sim.createRepo("acme", "ci", Map.of(".github/workflows/ci.yml", CHECKOUT_V3, ".flotilla.yaml", AUTOMERGE, "ci.sh", GREEN_CI)));
    checkoutCampaign();
    settle();
    Changeset refused = changeset("ci");
    assertThat(refused.state()).isEqualTo(ChangesetState.FAILED);
    assertThat(refused.lastError()).contains("workflows").contains("permission");
    assertThat(ci.hasBranch("flotilla/checkout")).isFalse();
    assertThat(ci.pullRequests()).isZero();
  }

  @Test
  void conflictReRunsOnTheNewBaseAndKeepsThePullRequest() {
    SimRepo svc = service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    settle();
    Changeset before = changeset("svc");
    assertThat(before.state()).isEqualTo(ChangesetState.MERGEABLE);
    sim.commit("acme", "svc", "main", Map.of("pom.xml", OLD_POM.replace("2.15.2", "2.16.1")), "bump jackson by hand");
    // GitHub answers mergeable: null first and computes the conflict in the background.
    tickUntil(() -> history(changeset("svc")).contains("CONFLICT"));
    settle();
    Changeset after = changeset("svc");
    assertThat(history(after)).contains("CONFLICT");
    assertThat(after.state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(after.prNumber()).isEqualTo(before.prNumber());
    assertThat(after.lastPushedSha()).isNotEqualTo(before.lastPushedSha());
    assertThat(svc.pullRequests()).isOne();
  }

  @Test
  void pullRequestClosedByAPersonStaysClosed() {
    SimRepo svc = service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    settle();
    sim.close("acme", "svc", changeset("svc").prNumber());
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.CLOSED);
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.CLOSED);
    assertThat(svc.pullRequests()).isOne();
    assertThat(sim.openPull("acme", "svc", BRANCH)).isEmpty();
  }

  @Test
  void branchAPersonPushedToIsLeftAlone() {
    service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    settle();
    String theirs = sim.commit("acme", "svc", BRANCH, Map.of("NOTES.md", "my change"), "a person's commit");
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MODIFIED);
    controller.tick();
    assertThat(sim.pull("acme", "svc", changeset("svc").prNumber()).headSha()).isEqualTo(theirs);
  }

  @Test
  void greenPullRequestWaitsForReviewWhenAutomergeIsOff() {
    service("careful", "enabled: true\nautomerge: false\n", GREEN_CI);
    service("eager", AUTOMERGE, GREEN_CI);
    campaign(true);
    settle();
    assertThat(changeset("careful").state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset("careful").stateReason()).contains("waiting for review");
    assertThat(changeset("eager").state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void greenPullRequestWaitsForTheMergeWindowThenMerges() {
    service("windowed", AUTOMERGE + "mergeWindow: {timezone: Europe/Copenhagen, days: [MON], hours: \"13:00-15:00\"}\n", GREEN_CI);
    campaign(true);
    settle();
    assertThat(changeset("windowed").state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(changeset("windowed").stateReason()).contains("merge window");
    clock.set(Instant.parse("2026-03-02T12:30:00Z"));
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      controller.tick();
      return changeset("windowed").state() == ChangesetState.MERGED;
    });
  }

  @Test
  void aRefusedMergeIsRecordedAndTriedAgainAfterAServerError() {
    SimRepo svc = service("svc", AUTOMERGE, GREEN_CI);
    sim.fault("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", 502, 1);
    campaign(true);
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(svc.fileOn("main", "pom.xml")).contains("2.18.2");
  }

  // ---- what only a GitHub does

  /** Ticks until {@code condition} holds, as the poll schedule would. */
  void tickUntil(java.util.function.BooleanSupplier condition) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return condition.getAsBoolean();
    });
  }

  @Test
  void aBranchBehindAStrictBaseIsUpdatedThenMerged() {
    SimRepo svc = service("svc", AUTOMERGE, GREEN_CI);
    svc.protection.strict = true;
    svc.ci.clear();
    svc.ci.add(SimRepo.CheckSpec.checkRun("ci", null));
    campaign(true);
    tickUntil(() -> sim.openPull("acme", "svc", BRANCH).isPresent());
    String pushed = sim.openPull("acme", "svc", BRANCH).orElseThrow().headSha();
    sim.commit("acme", "svc", "main", Map.of("README.md", "moved on"), "docs");
    // From now on CI reports by itself; the first head passes on command, after main moved.
    svc.ci.clear();
    svc.ci.add(SimRepo.CheckSpec.checkRun("ci", Duration.ofMillis(300)));
    sim.completeCheck("acme", "svc", pushed, "ci", "success");
    // MERGEABLE while GitHub updates the branch and CI runs again: not a state settle() waits out.
    tickUntil(() -> changeset("svc").state() == ChangesetState.MERGED);
    assertThat(sim.calls("PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch")).isPositive();
    assertThat(svc.fileOn("main", "README.md")).isEqualTo("moved on");
    assertThat(svc.fileOn("main", "pom.xml")).contains("2.18.2");
  }

  @Test
  void theMergeQueueMergesAndAKickedOutPullRequestFailsWithTheReason() {
    SimRepo green = service("green", AUTOMERGE, GREEN_CI);
    SimRepo kicked = service("kicked", AUTOMERGE, GREEN_CI);
    for (SimRepo repo : List.of(green, kicked)) {
      repo.ruleset = new SimRepo.Rules();
      repo.ruleset.mergeQueue = true;
      repo.ruleset.requiredChecks.add("ci");
    }
    kicked.ci.clear();
    kicked.ci.add(SimRepo.CheckSpec.checkRun("ci", null));
    campaign(true);
    tickUntil(() -> sim.openPull("acme", "kicked", BRANCH).isPresent());
    sim.completeCheck("acme", "kicked", sim.openPull("acme", "kicked", BRANCH).orElseThrow().headSha(), "ci", "success");
    tickUntil(() -> sim.pull("acme", "kicked", 1).queued());
    // The merge group fails its CI: the queue removes the pull request.
    sim.completeCheck("acme", "kicked", sim.pull("acme", "kicked", 1).queueCommit(), "ci", "failure");
    // Queued pull requests stay MERGEABLE until the queue decides.
    tickUntil(() -> changeset("green").state() == ChangesetState.MERGED && changeset("kicked").state() == ChangesetState.CI_FAILED);
    assertThat(changeset("green").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(sim.pull("acme", "green", 1).isMerged()).isTrue();
    assertThat(green.fileOn("main", "pom.xml")).contains("2.18.2");
    assertThat(sim.calls("POST /graphql")).as("enqueued with the mutation").isPositive();
    Changeset out = changeset("kicked");
    assertThat(out.state()).isEqualTo(ChangesetState.CI_FAILED);
    assertThat(out.stateReason() + " " + out.lastError()).contains("CI_FAILURE");
  }

  @Test
  void aRulesetsLateRequiredCheckHoldsTheMergeUntilItPasses() {
    SimRepo svc = service("svc", AUTOMERGE, GREEN_CI);
    svc.ruleset = new SimRepo.Rules();
    svc.ruleset.requiredChecks.addAll(List.of("ci", "security"));
    // The App may bypass the ruleset, so GitHub itself would let an early merge through.
    svc.ruleset.appMayBypass = true;
    campaign(true);
    tickUntil(() -> sim.openPull("acme", "svc", BRANCH).map(p -> sim.ci().checkPassed(svc, p.headSha(), "ci")).orElse(false));
    for (int i = 0; i < 10; i++) {
      controller.tick();
    }
    assertThat(sim.openPull("acme", "svc", BRANCH)).as("not merged before the late check").isPresent();
    assertThat(changeset("svc").state()).isNotEqualTo(ChangesetState.MERGED);
    sim.completeCheck("acme", "svc", sim.openPull("acme", "svc", BRANCH).orElseThrow().headSha(), "security", "success");
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGED);
  }

  @Test
  void anApprovalByWebhookLetsAReviewGatedPullRequestMergeAtOnce() throws Exception {
    webhooksOn();
    SimRepo svc = service("svc", AUTOMERGE, GREEN_CI);
    svc.protection.requiredApprovals = 1;
    campaign(true);
    tickUntil(() -> changeset("svc").state() == ChangesetState.MERGEABLE);
    controller.tick();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGEABLE);
    sim.review("acme", "svc", changeset("svc").prNumber(), "maria", "APPROVED");
    // No tick: the pull_request_review event alone merges it.
    await().atMost(Duration.ofSeconds(60)).until(() -> changeset("svc").state() == ChangesetState.MERGED);
    assertThat(svc.fileOn("main", "pom.xml")).contains("2.18.2");
  }

  int restReads() {
    return sim.calls().entrySet().stream().filter(e -> e.getKey().startsWith("GET /repos/")).mapToInt(Map.Entry::getValue).sum();
  }

  @Test
  void aFleetOfOpenPullRequestsIsWatchedWithOneQueryARoundAndNoRestRead() {
    for (int i = 0; i < 3; i++) {
      service("svc" + i, "enabled: true\nautomerge: false\n", GREEN_CI);
    }
    campaign(true);
    settle();
    assertThat(List.of("svc0", "svc1", "svc2")).allSatisfy(name -> assertThat(changeset(name).state()).isEqualTo(ChangesetState.MERGEABLE));
    int queries = sim.calls("POST /graphql");
    int rest = restReads();

    controller.tick();

    assertThat(sim.calls("POST /graphql") - queries).as("one query for the three pull requests").isOne();
    assertThat(restReads() - rest).as("no REST read").isZero();
    assertThat(changeset("svc0").stateReason()).contains("waiting for review");
  }

  @Test
  void whileWebhooksArriveAPullRequestWaitingForAPersonIsLookedAtOnlyAsASafetyNet() throws Exception {
    webhooksOn();
    service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    // Polled at every round until the first delivery arrives.
    tickUntil(() -> changeset("svc").state() == ChangesetState.MERGEABLE && nextCheckAt(changeset("svc")).isAfter(clock.instant()));
    assertThat(changeset("svc").stateReason()).contains("waiting for review");
    assertThat(nextCheckAt(changeset("svc"))).as("an event reconciles it at once; polling only catches a missed one")
        .isEqualTo(clock.instant().plus(WatchSettings.DEFAULTS.withWebhooks()));
    clock.set(clock.instant().plus(WatchSettings.DEFAULTS.withWebhooks()).plusSeconds(1));
    int queries = sim.calls("POST /graphql");
    controller.tick();
    assertThat(sim.calls("POST /graphql") - queries).as("read once the interval passed").isPositive();
    assertThat(nextCheckAt(changeset("svc"))).as("webhooks silent for longer than FLOTILLA_WEBHOOK_SILENCE: polled again")
        .isEqualTo(clock.instant());
  }

  Instant nextCheckAt(Changeset c) {
    return jdbc.query("SELECT next_check_at FROM changeset WHERE id = ?", rs -> rs.getTimestamp(1).toInstant(), c.id()).get(0);
  }

  @Test
  void anOptInPushedToTheDefaultBranchTakesEffectWithoutADiscovery() throws Exception {
    webhooksOn();
    // svc waits for a review, so the campaign is still going when late opts in (a campaign whose
    // changesets are all done completes and plans no repository).
    service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    service("late", null, GREEN_CI);
    campaign(true);
    settle();
    long lateId = controller.fleet().repositories().byName("acme", "late").orElseThrow().id();
    assertThat(controller.fleet().changesets().find("jackson", lateId)).isEmpty();
    sim.commit("acme", "late", "main", Map.of(".flotilla.yaml", AUTOMERGE), "opt in to Flotilla");
    // Only ticks from here, no discovery: the push event re-reads the opt-in file.
    tickUntil(() -> controller.fleet().changesets().find("jackson", lateId).map(c -> c.state() == ChangesetState.MERGED).orElse(false));
    assertThat(sim.repo("acme", "late").fileOn("main", "pom.xml")).contains("2.18.2");
  }

  @Test
  void aRepositoryAddedToTheInstallationJoinsTheCampaignWithoutADiscovery() throws Exception {
    webhooksOn();
    // svc waits for a review, so the campaign is still going when the repository joins: a campaign
    // whose changesets are all done completes, and a completed one plans no repository (one that
    // should keep taking new repositories has a schedule).
    service("svc", "enabled: true\nautomerge: false\n", GREEN_CI);
    campaign(true);
    settle();
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.MERGEABLE);
    assertThat(controller.fleet().campaigns().byName("jackson").orElseThrow().status()).isEqualTo(CampaignStatus.ACTIVE);
    SimRepo fresh = protect(sim.createRepo("acme", "fresh", Map.of("pom.xml", OLD_POM, "ci.sh", GREEN_CI, ".flotilla.yaml", AUTOMERGE)));
    sim.addToInstallation(fresh);
    // Only ticks from here, no scheduled discovery: the installation_repositories event finds it.
    tickUntil(() -> controller.fleet().repositories().byName("acme", "fresh")
        .flatMap(r -> controller.fleet().changesets().find("jackson", r.id()))
        .map(c -> c.state() == ChangesetState.MERGED).orElse(false));
    assertThat(fresh.fileOn("main", "pom.xml")).contains("2.18.2");
    assertThat(sim.deliveries()).anyMatch(d -> d.event().equals("installation_repositories") && d.status() / 100 == 2);
  }
}
