package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.exec.LocalExecutor;
import dev.flotilla.controller.forge.local.CommitWriter;
import dev.flotilla.controller.forge.local.CommitWriter.FileContent;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hundred repositories, a tenth of the first wave failing CI: the campaign halts after wave 1
 * without starting anything beyond it, rolls out the rest once the threshold is raised and it is
 * resumed, and completes when the failing repositories are fixed and retried. The fleet is as large
 * as the waves need (a first wave of a hundred, twice as many behind it); throughput at scale is
 * what {@code bench/local-throughput} measures.
 */
class RolloutSimulationIT {

  static final int FLEET = 300;
  static final int FIRST_WAVE = 100;
  static final String GREEN_CI = "#!/bin/sh\nexit 0\n";
  static final String RED_CI = "#!/bin/sh\necho 'FooTest FAILED'; exit 1\n";
  static final PersonIdent PERSON = new PersonIdent("A Person", "person@example.com", Instant.parse("2026-01-05T09:00:00Z"), java.time.ZoneOffset.UTC);

  @TempDir Path tmp;
  Database db;
  LocalCi ci;
  Controller controller;
  private Jdbc jdbc;
  Path forgeRoot;
  MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    forgeRoot = Files.createDirectories(tmp.resolve("forge"));
    buildFleet(forgeRoot);
    db = TestPostgres.open(tmp.resolve("data"), 12);
    Jdbc jdbc = new Jdbc(db.dataSource());
    // Through a shell rather than exec'ing ci.sh itself: a script just written can be "busy" for
    // exec while another thread forks.
    ci = new LocalCi(db.dataSource(), new LocalCi.Settings("sh ci.sh", Duration.ofSeconds(60), 4));
    LocalForge forge = new LocalForge(forgeRoot, db.dataSource(), ci, "http://localhost:8080");
    Migrations migrations = Migrations.load();
    LocalExecutor executor = new LocalExecutor(new Runner(migrations, CredentialResolver.fromEnvironment())::run, tmp.resolve("work"), 4);
    // Every tick moves the clock on by a second, so a pull request is asked about again every ten.
    EngineSettings settings = new EngineSettings("http://localhost:8080", 200, 3, Duration.ofSeconds(10), EngineSettings.defaults().author());
    this.jdbc = jdbc;
    controller = new Controller(EngineContext.create(jdbc, forge, migrations, clock, settings), executor, EngineObserver.NONE);
    controller.start();
  }

  @AfterEach
  void stop() throws Exception {
    controller.close();
    ci.close();
    db.close();
  }

  /**
   * Writes every repository's one commit straight into its bare repository, without a clone or a
   * push. Repositories svc-0000 to svc-0099 sort first, so they are the first wave; every tenth of
   * them fails CI.
   */
  static void buildFleet(Path root) {
    IntStream.range(0, FLEET).parallel().forEach(i -> {
      String name = String.format("svc-%04d", i);
      boolean red = i < FIRST_WAVE && i % 10 == 0;
      Path dir = root.resolve("acme").resolve(name + ".git");
      try (Git git = Git.init().setBare(true).setInitialBranch("main").setDirectory(dir.toFile()).call()) {
        CommitWriter.commit(git.getRepository(), "main", Map.of(
                "pom.xml", FileContent.text(EngineIT.OLD_POM),
                ".flotilla.yaml", FileContent.text(EngineIT.AUTOMERGE),
                "ci.sh", FileContent.script(red ? RED_CI : GREEN_CI)),
            PERSON, "initial commit");
      } catch (Exception e) {
        throw new IllegalStateException("could not write " + dir, e);
      }
    });
  }

  String campaign(double haltOnFailureRate) {
    return """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          automerge: true
          rollout:
            waves: ["%d", "100%%"]
            haltOnFailureRate: %s
          limits: {concurrentRuns: 50, pullRequestsPerHour: 5000, openPullRequests: 1000}
        """.formatted(FIRST_WAVE, haltOnFailureRate);
  }

  void apply(String yaml) {
    controller.applyCampaign(CampaignParser.parse(yaml, "jackson.yaml", Migrations.load()), yaml, "test");
  }

  List<Changeset> changesets() {
    return controller.fleet().changesets().forCampaign("jackson");
  }

  CampaignStatus status() {
    return controller.fleet().campaigns().byName("jackson").orElseThrow().status();
  }

  long pullRequests() {
    return jdbc.count("SELECT count(*) FROM local_pull_request");
  }

  void tickUntil(java.util.function.BooleanSupplier done) {
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(200)).until(() -> {
      clock.advance(Duration.ofSeconds(1));
      controller.tick();
      return done.getAsBoolean();
    });
  }

  @Test
  void haltsAfterAFailingFirstWaveAndCompletesAfterResumeWithARaisedThreshold() throws Exception {
    controller.discover();
    apply(campaign(0.05));
    assertThat(changesets()).hasSize(FLEET);
    assertThat(changesets().stream().filter(c -> c.wave() == 0)).hasSize(FIRST_WAVE);

    tickUntil(() -> status() == CampaignStatus.HALTED);
    var report = controller.fleet().campaigns().byName("jackson").orElseThrow();
    assertThat(report.statusReason()).contains("wave 1 of 2").contains("10 of 100").contains("flotilla campaign resume jackson");
    assertThat(report.currentWave()).isZero();
    for (int i = 0; i < 5; i++) {
      controller.tick();
    }
    Set<ChangesetState> untouched = EnumSet.of(ChangesetState.PENDING);
    assertThat(changesets().stream().filter(c -> c.wave() == 1))
        .as("nothing beyond the first wave ran").hasSize(FLEET - FIRST_WAVE)
        .allMatch(c -> untouched.contains(c.state()) && c.attempts() == 0);
    assertThat(pullRequests()).as("pull requests only for the first wave").isEqualTo(FIRST_WAVE);
    assertThat(changesets().stream().filter(c -> c.state() == ChangesetState.CI_FAILED)).hasSize(10);

    apply(campaign(0.2));
    assertThat(controller.resume("jackson", "test")).isTrue();
    tickUntil(() -> changesets().stream().filter(c -> c.wave() == 1).allMatch(c -> c.state() == ChangesetState.MERGED));
    assertThat(controller.fleet().campaigns().byName("jackson").orElseThrow().currentWave()).isOne();
    assertThat(status()).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(changesets().stream().filter(c -> c.state() == ChangesetState.MERGED)).hasSize(FLEET - 10);
    assertThat(pullRequests()).isEqualTo(FLEET);

    fixCi(forgeRoot);
    assertThat(controller.retryAllFailed("jackson", "test")).isEqualTo(10);
    tickUntil(() -> status() == CampaignStatus.COMPLETED);
    assertThat(changesets()).extracting(Changeset::state).containsOnly(ChangesetState.MERGED);
    assertThat(pullRequests()).as("the retries reuse their pull requests").isEqualTo(FLEET);
  }

  /** The owners of the failing repositories fix their tests on the default branch. */
  void fixCi(Path root) throws Exception {
    for (int i = 0; i < FIRST_WAVE; i += 10) {
      Path dir = root.resolve("acme").resolve(String.format("svc-%04d.git", i));
      try (Git git = Git.open(dir.toFile())) {
        CommitWriter.commit(git.getRepository(), "main", Map.of("ci.sh", FileContent.script(GREEN_CI)), PERSON, "fix the test");
      }
    }
  }
}
