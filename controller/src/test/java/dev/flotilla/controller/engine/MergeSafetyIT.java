package dev.flotilla.controller.engine;

import static dev.flotilla.controller.engine.EngineIT.AUTOMERGE;
import static dev.flotilla.controller.engine.EngineIT.GREEN_CI;
import static dev.flotilla.controller.engine.EngineIT.OLD_POM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.forge.local.LocalForgeAdmin;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gates around a merge with the real engine: verifiers before the push, the forge's required
 * checks, the default branch watched after the merge halting the rollout, and a wave reverted.
 */
class MergeSafetyIT {

  /** Green on pull requests; on main, a smoke test fails once jackson 2.18.2 is there. */
  static final String BREAKS_MAIN = """
      #!/bin/sh
      if [ "$CI_COMMIT_BRANCH" = main ] && grep -q 2.18.2 pom.xml; then
        echo "smoke test: the service no longer starts with jackson 2.18.2"
        exit 1
      fi
      echo all tests passed
      """;

  @TempDir Path tmp;
  TestEngine engine;
  Jdbc jdbc;
  Controller controller;
  MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  EngineSettings settings = EngineSettings.defaults().withRecheckInterval(Duration.ZERO);

  @BeforeEach
  void start() throws Exception {
    engine = TestEngine.builder(tmp).clock(clock).ciCommand("sh ci.sh").settings(settings).build();
    jdbc = engine.jdbc();
    controller = engine.controller();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  void service(String name, String ciScript) throws Exception {
    engine.repos().create("acme", name, "main", Map.of("pom.xml", OLD_POM, "ci.sh", ciScript, ".flotilla.yaml", AUTOMERGE));
  }

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

  void tickUntil(Predicate<MergeSafetyIT> done) {
    try {
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
        controller.tick();
        return done.test(this);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not there; the changesets: " + controller.fleet().changesets().forCampaign("jackson"), e);
    }
  }

  Changeset changeset(String repo) {
    long repoId = controller.fleet().repositories().byName("acme", repo).orElseThrow().id();
    return controller.fleet().changesets().find("jackson", repoId).orElseThrow();
  }

  long count(ChangesetState state) {
    return controller.fleet().changesets().forCampaign("jackson").stream().filter(c -> c.state() == state).count();
  }

  long pullRequests(String repo) {
    return jdbc.count("SELECT count(*) FROM local_pull_request WHERE repository = ?", "acme/" + repo);
  }

  long pullRequests(String repo, String branch, String state) {
    return jdbc.count("SELECT count(*) FROM local_pull_request WHERE repository = ? AND branch = ? AND state = ?",
        "acme/" + repo, branch, state);
  }

  @Test
  void mergesThatBreakTheDefaultBranchHaltTheCampaignBeforeTheNextWaveAndARevertUndoesThatWaveOnly() throws Exception {
    service("alpha", BREAKS_MAIN);
    service("beta", BREAKS_MAIN);
    service("gamma", BREAKS_MAIN);
    campaign("""
        rollout: {waves: ["2", "100%"], haltOnFailureRate: 0}
        postMerge: {watch: 1h}
        """);

    tickUntil(t -> t.count(ChangesetState.POST_MERGE_FAILED) == 2
        && t.controller.fleet().campaigns().byName("jackson").orElseThrow().status() == CampaignStatus.HALTED);

    Changeset broken = controller.fleet().changesets().forCampaign("jackson").stream()
        .filter(c -> c.state() == ChangesetState.POST_MERGE_FAILED).findFirst().orElseThrow();
    assertThat(broken.lastError()).contains("the default branch broke after the merge").contains("smoke test")
        .contains("flotilla campaign revert jackson --wave 1");
    Changeset waiting = controller.fleet().changesets().forCampaign("jackson").stream()
        .filter(c -> c.wave() == 1).findFirst().orElseThrow();
    assertThat(waiting.state()).as("the next wave never started").isEqualTo(ChangesetState.PENDING);
    String halted = controller.fleet().campaigns().byName("jackson").orElseThrow().statusReason();
    assertThat(halted).contains("wave 1 of 2 failed on 2 of 2");

    Reverts.Result first = controller.revert("jackson", new Reverts.Selection(1, null), "dana").orElseThrow();
    Reverts.Result again = controller.revert("jackson", new Reverts.Selection(1, null), "dana").orElseThrow();
    assertThat(first.started()).isEqualTo(2);
    assertThat(again.started()).as("asking twice reverts once").isZero();
    assertThat(again.alreadyReverting()).isEqualTo(2);

    tickUntil(t -> t.count(ChangesetState.REVERTED) == 2);

    assertThat(controller.revert("jackson", new Reverts.Selection(1, null), "dana").orElseThrow().started()).isZero();
    String wavesRepo = broken.repositoryId() == changeset("alpha").repositoryId() ? "alpha" : "beta";
    for (String repo : new String[] {"alpha", "beta", "gamma"}) {
      Changeset c = changeset(repo);
      if (c.wave() == 0) {
        assertThat(pullRequests(repo)).as(repo + ": the migration and one revert").isEqualTo(2);
        assertThat(pullRequests(repo, "flotilla/jackson-revert", "MERGED")).isEqualTo(1);
        assertThat(engine.repos().bare("acme", repo)).exists();
      } else {
        assertThat(pullRequests(repo)).as(repo + " is in the wave that never started").isZero();
        assertThat(c.state()).isEqualTo(ChangesetState.PENDING);
      }
    }
    assertThat(wavesRepo).isNotNull();
    assertThat(controller.fleet().campaigns().byName("jackson").orElseThrow().status()).isEqualTo(CampaignStatus.HALTED);
  }

  @Test
  void aFailingVerifierNeverOpensAPullRequestAndSaysWhichAndWhy() throws Exception {
    service("alpha", GREEN_CI);
    campaign("""
        verifiers:
          - {name: lint, command: "true", when: "*.md"}
          - {name: build, command: "echo compiling; echo '[ERROR] JsonParserTest fails with 2.18.2'; exit 3", when: pom.xml}
        """);

    tickUntil(t -> t.changeset("alpha").state() == ChangesetState.FAILED);

    Changeset failed = changeset("alpha");
    assertThat(failed.lastError()).contains("verifier 'build' exited with 3")
        .contains("[ERROR] JsonParserTest fails with 2.18.2").contains("nothing was pushed");
    assertThat(pullRequests("alpha")).isZero();
    assertThat(jdbc.count("SELECT count(*) FROM changeset_event WHERE changeset_id = ? AND to_state = 'PUSHED'", failed.id())).isZero();
  }

  @Test
  void refusesToMergeWhereTheForgeRequiresNoCheckUnlessTheCampaignAllowsIt() throws Exception {
    service("alpha", GREEN_CI);
    new LocalForgeAdmin(engine.localForge()).requireChecks("acme/alpha");
    campaign("");

    tickUntil(t -> t.changeset("alpha").state() == ChangesetState.MERGEABLE
        && t.changeset("alpha").stateReason() != null && t.changeset("alpha").stateReason().contains("requires no check"));
    assertThat(changeset("alpha").stateReason())
        .isEqualTo("ready; not merging: acme/alpha requires no check on main, so the forge would merge even with failing"
            + " tests; make a check required (branch protection), or set allowNoChecks: true on the campaign");

    campaign("allowNoChecks: true");
    tickUntil(t -> t.changeset("alpha").state() == ChangesetState.MERGED);
  }
}
