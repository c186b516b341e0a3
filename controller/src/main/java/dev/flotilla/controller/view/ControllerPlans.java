package dev.flotilla.controller.view;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.store.PlanStore;
import dev.flotilla.controller.store.RunDataTables;
import dev.flotilla.dashboard.port.Actor;
import dev.flotilla.dashboard.port.PlanPort;
import dev.flotilla.migration.InvalidParametersException;
import dev.flotilla.migration.UnknownMigrationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dashboard's plans and data tables, from the controller's store; a requested plan is made by the controller's next tick. */
public final class ControllerPlans implements PlanPort {

  private final Controller controller;
  private final PlanStore plans;
  private final RunDataTables dataTables;

  public ControllerPlans(Controller controller) {
    this.controller = controller;
    this.plans = controller.plans().store();
    this.dataTables = RunDataTables.beside(controller.fleet().campaigns());
  }

  @Override
  public List<PlanSummary> plans(String campaign) {
    return plans.all().stream()
        .filter(p -> campaign == null || p.campaign().equals(campaign))
        .map(p -> summary(p, plans.entries(p.id())))
        .toList();
  }

  @Override
  public Optional<PlanDetail> plan(long id) {
    return plans.byId(id).map(plan -> {
      List<Plan.Entry> entries = plans.entries(id);
      List<PlanRepository> repositories = entries.stream().map(e -> new PlanRepository(
              e.repository(), e.verdict().name(), e.reason(), e.baseSha(), e.filesChanged(), e.insertions(),
              e.deletions(), e.diff(), e.runId(),
              dataTables.ofRun(e.runId()).stream().map(RunDataTables.Info::name).toList()))
          .toList();
      return new PlanDetail(summary(plan, entries), repositories);
    });
  }

  @Override
  public List<PlanSummary> request(String campaignFile, boolean again, Actor actor) {
    List<CampaignSpec> campaigns;
    try {
      campaigns = CampaignParser.parseAll(campaignFile, "the request body", controller.fleet().migrations());
    } catch (ConfigException | InvalidParametersException | UnknownMigrationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return campaigns.stream()
        .map(spec -> controller.plans().request(spec, campaignFile, actor.name(), again))
        .map(p -> summary(p, plans.entries(p.id())))
        .toList();
  }

  @Override
  public List<DataTableInfo> dataTables(String runId) {
    return dataTables.ofRun(runId).stream()
        .map(t -> new DataTableInfo(t.name(), t.runId(), t.campaign(), t.repository(), t.bytes(), t.createdAt()))
        .toList();
  }

  @Override
  public List<DataTableInfo> campaignDataTables(String campaign) {
    return dataTables.ofCampaign(campaign).stream()
        .map(t -> new DataTableInfo(t.name(), t.runId(), t.campaign(), t.repository(), t.bytes(), t.createdAt()))
        .toList();
  }

  @Override
  public Optional<String> dataTable(String runId, String name) {
    return dataTables.csv(runId, name);
  }

  private static PlanSummary summary(Plan plan, List<Plan.Entry> entries) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Plan.Counts.of(entries).byVerdict().forEach((verdict, n) -> counts.put(verdict.name(), n));
    return new PlanSummary(plan.id(), plan.campaign(), plan.sourceHash(), plan.status().name(), plan.requestedBy(),
        plan.createdAt(), plan.finishedAt(), counts);
  }
}
