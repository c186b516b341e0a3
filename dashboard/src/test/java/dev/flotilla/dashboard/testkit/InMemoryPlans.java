package dev.flotilla.dashboard.testkit;

import dev.flotilla.dashboard.port.Actor;
import dev.flotilla.dashboard.port.PlanPort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans and data tables held in memory, for the dashboard's own tests. */
public final class InMemoryPlans implements PlanPort {

  private final List<PlanDetail> plans = new ArrayList<>();
  private final Map<String, Map<String, String>> tables = new LinkedHashMap<>();
  private final Map<String, String> tableCampaign = new LinkedHashMap<>();
  private final List<String> requests = new ArrayList<>();

  /** Adds a plan; returns it. */
  public PlanDetail add(String campaign, String status, Instant at, List<PlanRepository> repositories) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String verdict : List.of("WOULD_CHANGE", "NO_CHANGE", "NOT_APPLICABLE", "NEEDS_HUMAN", "REFUSED", "FAILED", "PENDING", "RUNNING")) {
      counts.put(verdict, (int) repositories.stream().filter(r -> r.verdict().equals(verdict)).count());
    }
    PlanDetail plan = new PlanDetail(new PlanSummary(plans.size() + 1, campaign, "0123456789abcdef0123", status, "alice", at,
        status.equals("FINISHED") ? at.plusSeconds(60) : null, counts), List.copyOf(repositories));
    plans.add(plan);
    return plan;
  }

  public void table(String campaign, String runId, String name, String csv) {
    tables.computeIfAbsent(runId, k -> new LinkedHashMap<>()).put(name, csv);
    tableCampaign.put(runId, campaign);
  }

  /** The campaign files requested so far, with who asked. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public List<PlanSummary> plans(String campaign) {
    return plans.stream().map(PlanDetail::plan).filter(p -> campaign == null || p.campaign().equals(campaign))
        .sorted((a, b) -> Long.compare(b.id(), a.id())).toList();
  }

  @Override
  public Optional<PlanDetail> plan(long id) {
    return plans.stream().filter(p -> p.plan().id() == id).findFirst();
  }

  @Override
  public List<PlanSummary> request(String campaignFile, boolean again, Actor actor) {
    if (!campaignFile.contains("kind: Campaign")) {
      throw new IllegalArgumentException("the request body, line 1: kind must be Campaign");
    }
    requests.add(actor.name() + (again ? " again: " : ": ") + campaignFile.strip());
    return List.of(add("from-file", "REQUESTED", Instant.parse("2026-03-02T10:00:00Z"), List.of()).plan());
  }

  @Override
  public List<DataTableInfo> dataTables(String runId) {
    return tables.getOrDefault(runId, Map.of()).entrySet().stream()
        .map(t -> new DataTableInfo(t.getKey(), runId, tableCampaign.get(runId), "acme/repo", t.getValue().length(), Instant.EPOCH))
        .toList();
  }

  @Override
  public List<DataTableInfo> campaignDataTables(String campaign) {
    return tables.keySet().stream().filter(run -> campaign.equals(tableCampaign.get(run)))
        .flatMap(run -> dataTables(run).stream()).toList();
  }

  @Override
  public Optional<String> dataTable(String runId, String name) {
    return Optional.ofNullable(tables.getOrDefault(runId, Map.of()).get(name));
  }
}
