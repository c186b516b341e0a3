package dev.flotilla.dashboard;

import static dev.flotilla.dashboard.TestFleet.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.dashboard.port.PlanPort.PlanRepository;
import dev.flotilla.dashboard.testkit.InMemoryFleet;
import dev.flotilla.dashboard.testkit.InMemoryPlans;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlanApiTest {

  private static final String DIFF = "diff --git a/pom.xml b/pom.xml\n-  <v>1</v>\n+  <v>2</v>\n";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final InMemoryPlans plans = new InMemoryPlans();
  private DashboardServer server;
  private URI base;

  @BeforeEach
  void start() {
    InMemoryFleet fleet = TestFleet.build();
    plans.add("jackson-2-18", "FINISHED", Instant.parse("2026-03-01T09:00:00Z"), List.of(
        new PlanRepository("acme/billing", "WOULD_CHANGE", "bumped", "a".repeat(40), 1, 1, 1, DIFF, "plan-1-1", List.of("deps")),
        new PlanRepository("acme/orders", "NO_CHANGE", "already up to date", "b".repeat(40), null, null, null, null, "plan-1-2", List.of()),
        new PlanRepository("acme/legacy", "REFUSED", "excluded by .flotilla.yaml", null, null, null, null, null, "plan-1-3", List.of())));
    plans.table("jackson-2-18", "plan-1-1", "deps", "Group,Artifact\r\ncom.acme,\"lib, core\"\r\n");
    server = new DashboardServer(
        DashboardConfig.fromEnv(Map.of(DashboardConfig.PORT, "0", DashboardConfig.TOKEN, TOKEN)),
        fleet, fleet, new FleetMetrics(fleet), Clock.fixed(TestFleet.NOW, ZoneOffset.UTC)).plans(plans);
    base = server.start();
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ZERO);
  }

  @Test
  void listsPlansWithTheirCountsAndFiltersByCampaign() throws Exception {
    JsonNode all = json(get("/api/plans"));
    JsonNode none = json(get("/api/plans?campaign=java-21"));

    assertThat(all.path("plans")).hasSize(1);
    assertThat(all.path("plans").get(0).path("counts").path("WOULD_CHANGE").asInt()).isEqualTo(1);
    assertThat(all.path("plans").get(0).path("counts").path("REFUSED").asInt()).isEqualTo(1);
    assertThat(none.path("plans")).isEmpty();
  }

  @Test
  void showsEveryRepositorysVerdictAndDiff() throws Exception {
    JsonNode plan = json(get("/api/plans/1"));

    assertThat(plan.path("plan").path("campaign").asText()).isEqualTo("jackson-2-18");
    assertThat(plan.path("repositories").get(0).path("diff").asText()).isEqualTo(DIFF);
    assertThat(plan.path("repositories").get(2).path("reason").asText()).isEqualTo("excluded by .flotilla.yaml");
    assertThat(get("/api/plans/9").statusCode()).isEqualTo(404);
    assertThat(get("/api/plans/x").statusCode()).isEqualTo(400);
  }

  @Test
  void requestingAPlanNeedsTheTokenAndAValidFile() throws Exception {
    String file = "apiVersion: flotilla.dev/v1\nkind: Campaign\nmetadata: {name: x}\n";

    assertThat(post("/api/plans", file).statusCode()).isEqualTo(401);
    HttpResponse<String> bad = post("/api/plans", "kind: Nope\n", "Authorization", "Bearer " + TOKEN);
    HttpResponse<String> good = post("/api/plans?again=true", file, "Authorization", "Bearer " + TOKEN, "X-Flotilla-Actor", "maria");

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("error").asText()).isEqualTo("the request body, line 1: kind must be Campaign");
    assertThat(good.statusCode()).isEqualTo(202);
    assertThat(json(good).path("plans").get(0).path("status").asText()).isEqualTo("REQUESTED");
    assertThat(plans.requests()).containsExactly("maria again: " + file.strip());
  }

  @Test
  void servesARunsDataTablesAsCsv() throws Exception {
    HttpResponse<String> csv = get("/api/runs/plan-1-1/datatables/deps.csv");

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
    assertThat(csv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"deps.csv\"");
    assertThat(csv.body()).isEqualTo("Group,Artifact\r\ncom.acme,\"lib, core\"\r\n");
    assertThat(json(get("/api/runs/plan-1-1/datatables")).path("dataTables").get(0).path("name").asText()).isEqualTo("deps");
    assertThat(json(get("/api/campaigns/jackson-2-18/datatables")).path("dataTables").get(0).path("runId").asText())
        .isEqualTo("plan-1-1");
    assertThat(get("/api/runs/plan-1-1/datatables/other.csv").statusCode()).isEqualTo(404);
    assertThat(get("/api/runs/plan-1-1/datatables/deps").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.MAPPER.readTree(response.body());
  }
}
