package dev.flotilla.controller.engine;

import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.store.CampaignStore;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.PullRequestBudget;
import dev.flotilla.controller.store.RepositoryStore;
import dev.flotilla.migration.Migrations;
import java.time.Clock;

/**
 * What every step of the engine works with: the store, the forge, the migrations and the one clock
 * all time-based rules read.
 */
public record EngineContext(
    RepositoryStore repositories,
    CampaignStore campaigns,
    ChangesetStore changesets,
    PullRequestBudget pullRequestBudget,
    Forge forge,
    Migrations migrations,
    Clock clock,
    EngineSettings settings) {

  public static EngineContext create(Jdbc jdbc, Forge forge, Migrations migrations, Clock clock, EngineSettings settings) {
    return new EngineContext(
        new RepositoryStore(jdbc, forge.name()),
        new CampaignStore(jdbc),
        new ChangesetStore(jdbc),
        new PullRequestBudget(jdbc),
        forge,
        migrations,
        clock,
        settings);
  }
}
