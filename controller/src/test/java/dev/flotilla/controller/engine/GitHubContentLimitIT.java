package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.forge.github.ApiCallCounter;
import dev.flotilla.controller.forge.github.GitHubForge;
import dev.flotilla.controller.forge.github.sim.GitHubSim;
import dev.flotilla.controller.forge.github.sim.SimApp;
import dev.flotilla.controller.forge.github.sim.SimRepo;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.migration.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet on a simulated GitHub whose secondary limit on content creation is far below what
 * Flotilla is told (as a GitHub Enterprise Server configured tighter than its settings say): the
 * limit is hit mid-run, content creation of the installation pauses for the {@code Retry-After},
 * and every pull request is still opened once and merged once.
 */
class GitHubContentLimitIT {

  static final int REPOSITORIES = 4;

  @TempDir Path tmp;
  GitHubSim sim;
  GitHubForge github;
  TestEngine engine;
  Controller controller;
  final Migrations migrations = Migrations.load();

  @BeforeEach
  void start() throws Exception {
    sim = GitHubSim.start(tmp.resolve("github"));
    sim.install("acme");
    sim.ciDelay(Duration.ofMillis(50));
    sim.limits().contentPerMinute = 2;
    sim.limits().contentMinute = Duration.ofSeconds(2);
    sim.limits().retryAfterSeconds = 1;
    github = SimApp.forge(SimApp.config(sim, tmp.resolve("app"), List.of("acme")), ApiCallCounter.NONE);
    engine = TestEngine.builder(tmp).forge(local -> github)
        .runEnvironment(request -> Map.of(GitHubForge.RUN_TOKEN_ENV, github.mintRunToken(request, migrations).orElseThrow()))
        .build();
    controller = engine.controller();
  }

  @AfterEach
  void stop() {
    engine.close();
    sim.close();
  }

  @Test
  void theSecondaryLimitHitMidRunPausesContentCreationAndEveryPullRequestIsOpenedAndMergedOnce() {
    List<SimRepo> repos = new ArrayList<>();
    for (int i = 0; i < REPOSITORIES; i++) {
      SimRepo repo = sim.createRepo("acme", "svc" + i,
          Map.of("pom.xml", EngineIT.OLD_POM, "ci.sh", EngineIT.GREEN_CI, ".flotilla.yaml", EngineIT.AUTOMERGE));
      repos.add(GitHubEngineIT.protect(repo));
    }
    String yaml = """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          automerge: true
        """;
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(yaml, "jackson.yaml", migrations), yaml, "test");

    List<String> waits = new ArrayList<>();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
      controller.tick();
      List<Changeset> changesets = controller.fleet().changesets().forCampaign("jackson");
      changesets.stream().map(Changeset::stateReason).filter(r -> r != null && r.startsWith("waiting: GitHub answered")).forEach(waits::add);
      return changesets.size() == REPOSITORIES && changesets.stream().allMatch(c -> c.state() == ChangesetState.MERGED);
    });

    int createsAsked = sim.calls("POST /repos/{owner}/{repo}/pulls");
    int mergesAsked = sim.calls("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge");
    assertThat(createsAsked + mergesAsked).as("some were refused with the secondary limit").isGreaterThan(sim.contentCreations());
    assertThat(waits).isNotEmpty().allMatch(w -> w.contains("secondary rate limit") && w.matches(".*next in \\d+s"));
    for (SimRepo repo : repos) {
      assertThat(repo.pullRequests()).as(repo.fullName() + " has one pull request").isOne();
      assertThat(sim.pull("acme", repo.fullName().substring("acme/".length()), 1).isMerged()).isTrue();
    }
    // A repository that deletes merged branches itself is not asked to.
    assertThat(sim.calls("DELETE /repos/{owner}/{repo}/git/refs/{ref}")).isZero();
  }
}
