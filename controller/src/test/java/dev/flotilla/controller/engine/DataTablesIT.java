package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.view.ControllerPlans;
import dev.flotilla.dashboard.port.PlanPort;
import dev.flotilla.migration.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data tables an OpenRewrite recipe emits, kept with its run by the real runner and engine, and
 * read back as the dashboard reads them: from a plan's dry run and from a campaign's run.
 */
class DataTablesIT {

  private static final String CAMPAIGN = """
      apiVersion: flotilla.dev/v1
      kind: Campaign
      metadata: {name: find-todos}
      spec:
        migration: openrewrite
        parameters: {recipe: org.openrewrite.text.Find, find: TODO}
        automerge: false
      """;

  @TempDir Path tmp;
  TestEngine engine;
  Controller controller;

  @BeforeEach
  void start() throws Exception {
    engine = TestEngine.builder(tmp).build();
    controller = engine.controller();
    engine.repos().create("acme", "notes", "main", Map.of(
        "notes.txt", "one TODO here\nnothing\nanother TODO\n", ".flotilla.yaml", "enabled: true\n", "ci.sh", EngineIT.GREEN_CI));
    controller.discover();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void aPlansDryRunAndACampaignsRunKeepTheRecipesDataTables() {
    CampaignSpec spec = CampaignParser.parse(CAMPAIGN, "find-todos.yaml", Migrations.load());
    PlanPort port = new ControllerPlans(controller);

    Plan plan = controller.plans().request(spec, CAMPAIGN, "test", false);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.plans().store().byId(plan.id()).orElseThrow().status() == Plan.Status.FINISHED;
    });
    String planRun = Plan.runId(plan.id(), controller.fleet().repositories().byName("acme", "notes").orElseThrow().id());

    assertThat(port.plan(plan.id()).orElseThrow().repositories().get(0).dataTables())
        .contains("org.openrewrite.table.TextMatches");
    assertThat(port.dataTable(planRun, "org.openrewrite.table.TextMatches").orElseThrow().split("\r\n"))
        .containsExactly("Source path,Match", "notes.txt,...~~>TODO...", "notes.txt,...~~>TODO");

    controller.applyCampaign(spec, CAMPAIGN, "test");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.fleet().changesets().forCampaign("find-todos").stream()
          .noneMatch(c -> EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING).contains(c.state()));
    });
    Changeset changeset = controller.fleet().changesets().forCampaign("find-todos").get(0);

    assertThat(port.dataTables(changeset.runId())).extracting(PlanPort.DataTableInfo::name)
        .contains("org.openrewrite.table.TextMatches");
    assertThat(port.dataTable(changeset.runId(), "org.openrewrite.table.TextMatches")).hasValueSatisfying(csv ->
        assertThat(csv).startsWith("Source path,Match\r\n"));
    assertThat(port.campaignDataTables("find-todos")).extracting(PlanPort.DataTableInfo::runId)
        .contains(planRun, changeset.runId());
    // The changeset's stored result does not carry the tables again.
    assertThat(engine.jdbc().count("SELECT count(*) FROM changeset WHERE last_result::text LIKE '%TextMatches%'")).isZero();
  }
}
