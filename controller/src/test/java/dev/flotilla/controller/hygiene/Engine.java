package dev.flotilla.controller.hygiene;

import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.TestEngine;
import dev.flotilla.controller.engine.TestForgeRepos;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The real engine on bare repositories and the embedded PostgreSQL, as the controller runs it locally. */
final class Engine implements AutoCloseable {

  static final String GREEN_CI = "#!/bin/sh\necho all tests passed\n";
  static final String RED_CI = "#!/bin/sh\necho 'FooTest > parses FAILED'\nexit 1\n";
  static final String AUTOMERGE = "enabled: true\nautomerge: true\n";

  private static final Set<ChangesetState> MOVING = EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING,
      ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT);

  final Database db;
  final Jdbc jdbc;
  final LocalCi ci;
  final LocalForge localForge;
  final Controller controller;
  final TestForgeRepos repos;
  private final TestEngine engine;

  Engine(Path tmp, UnaryOperator<Forge> forge, CredentialResolver credentials) throws Exception {
    engine = TestEngine.builder(tmp).forge(forge).credentials(credentials).build();
    db = engine.db();
    jdbc = engine.jdbc();
    ci = engine.ci();
    localForge = engine.localForge();
    controller = engine.controller();
    repos = engine.repos();
  }

  /** Discovers, then applies the campaign written in {@code yaml}. */
  void apply(String yaml) {
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(yaml, "campaign.yaml", Migrations.load()), yaml, "test");
  }

  /** Ticks until no changeset of {@code campaign} moves on its own any more. */
  void settle(String campaign) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.fleet().changesets().forCampaign(campaign).stream().noneMatch(c -> MOVING.contains(c.state()));
    });
  }

  Changeset changeset(String campaign, String owner, String repo) {
    long repoId = controller.fleet().repositories().byName(owner, repo).orElseThrow().id();
    return controller.fleet().changesets().find(campaign, repoId).orElseThrow();
  }

  @Override
  public void close() {
    engine.close();
  }
}
