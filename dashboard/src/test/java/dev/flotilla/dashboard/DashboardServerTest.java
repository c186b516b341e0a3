package dev.flotilla.dashboard;

import static dev.flotilla.dashboard.TestFleet.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.FleetEvent;
import dev.flotilla.dashboard.testkit.InMemoryFleet;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DashboardServerTest {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private InMemoryFleet fleet;
  private DashboardServer server;
  private URI base;

  private void start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(DashboardConfig.PORT, "0", DashboardConfig.TOKEN, TOKEN,
        DashboardConfig.KEEPALIVE_SECONDS, "1", DashboardConfig.CORS_ORIGINS, "https://backstage.example.com"));
    env.putAll(extra);
    fleet = TestFleet.build();
    server = new DashboardServer(DashboardConfig.fromEnv(env), fleet, fleet, new FleetMetrics(fleet),
        Clock.fixed(TestFleet.NOW, ZoneOffset.UTC));
    fleet.publishTo(server);
    base = server.start();
  }

  private void start() {
    start(Map.of());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ZERO);
    }
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String... headers) throws Exception {
    return post(path, HttpRequest.BodyPublishers.noBody(), headers);
  }

  private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(body);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void turnsOnTcpNoDelaySoResponsesDoNotWaitForDelayedAcks() throws Exception {
    start();
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(server.tcpNoDelay()).isTrue();
  }

  @Test
  void listsCampaignsWithCountsMergeRateAndEstimate() throws Exception {
    start();
    HttpResponse<String> r = get("/api/campaigns");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode campaigns = json(r).get("campaigns");
    assertThat(campaigns).hasSize(2);
    JsonNode jackson = campaigns.get(0);
    assertThat(jackson.get("name").asText()).isEqualTo("jackson-2-18");
    assertThat(jackson.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(jackson.get("counts").get("MERGED").asLong()).isEqualTo(3);
    assertThat(jackson.get("counts").get("PR_OPEN").asLong()).isEqualTo(2);
    assertThat(jackson.get("counts").has("PENDING")).isFalse();
    assertThat(jackson.get("total").asLong()).isEqualTo(8);
    assertThat(jackson.get("open").asLong()).isEqualTo(4);
    // 3 merged of the 7 that needed a change (NO_CHANGE excluded)
    assertThat(jackson.get("mergeRate").asDouble()).isEqualTo(0.4286);
    assertThat(jackson.get("startedAt").asText()).isEqualTo("2026-10-31T12:00:00Z");
    // 2 merges in 7 days, 4 open: 14 days to go
    assertThat(jackson.get("estimatedCompletion").asText()).isEqualTo("2026-12-04T12:00:00Z");
    assertThat(campaigns.get(1).get("status").asText()).isEqualTo("PAUSED");
    assertThat(campaigns.get(1).get("estimatedCompletion").isNull()).isTrue();
  }

  @Test
  void campaignDetailHasSummaryAndFirstPage() throws Exception {
    start();
    JsonNode body = json(get("/api/campaigns/jackson-2-18?limit=3"));

    assertThat(body.get("campaign").get("name").asText()).isEqualTo("jackson-2-18");
    JsonNode page = body.get("changesets");
    assertThat(page.get("total").asLong()).isEqualTo(8);
    assertThat(page.get("limit").asInt()).isEqualTo(3);
    assertThat(page.get("items")).hasSize(3);
    JsonNode first = page.get("items").get(0);
    assertThat(first.get("repository").asText()).isEqualTo("acme/billing");
    assertThat(first.fieldNames()).toIterable().contains("id", "campaign", "repository", "owner", "state",
        "pullRequestUrl", "ciResult", "lastError", "stateSince");
  }

  @Test
  void filtersSortsAndPagesChangesets() throws Exception {
    start();
    JsonNode failing = json(get("/api/campaigns/jackson-2-18/changesets?state=FAILED,CI_FAILED&sort=-repository"));
    assertThat(failing.get("total").asLong()).isEqualTo(2);
    assertThat(failing.get("items").get(0).get("repository").asText()).isEqualTo("acme/ledger");

    JsonNode payments = json(get("/api/campaigns/jackson-2-18/changesets?owner=payments&q=clone"));
    assertThat(payments.get("total").asLong()).isEqualTo(1);
    assertThat(payments.get("items").get(0).get("lastError").asText()).contains("clone timed out");

    JsonNode second = json(get("/api/campaigns/jackson-2-18/changesets?offset=6&limit=5"));
    assertThat(second.get("items")).hasSize(2);
    assertThat(second.get("offset").asInt()).isEqualTo(6);
  }

  @Test
  void badQueryParametersAreRefusedWithWhatIsAllowed() throws Exception {
    start();
    HttpResponse<String> state = get("/api/campaigns/jackson-2-18/changesets?state=DONE");
    assertThat(state.statusCode()).isEqualTo(400);
    assertThat(json(state).get("error").asText()).contains("state 'DONE' is unknown").contains("MERGED");

    HttpResponse<String> limit = get("/api/campaigns/jackson-2-18/changesets?limit=5000");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(json(limit).get("error").asText()).contains("limit must be a whole number from 1 to 500");
  }

  @Test
  void malformedEncodingIs400() throws Exception {
    start();
    // java.net.URI refuses to build this request, so it goes out over a plain socket.
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.getOutputStream().write(("GET /api/campaigns/jackson-2-18/changesets?q=%zz HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      assertThat(status).startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void anEncodedNulInAPathOrQueryIs400() throws Exception {
    start();
    HttpResponse<String> path = get("/api/campaigns/jackson%002-18/burndown");
    HttpResponse<String> query = get("/api/campaigns/jackson-2-18/changesets?q=a%00b");
    HttpResponse<String> key = get("/api/campaigns/jackson-2-18/changesets?st%00ate=failed");

    assertThat(path.statusCode()).isEqualTo(400);
    // Jetty refuses such a path before any handler; the answer keeps the API's JSON shape.
    assertThat(json(path).get("error").asText()).contains("NUL", "%00");
    assertThat(query.statusCode()).isEqualTo(400);
    assertThat(json(query).get("error").asText()).contains("NUL character (%00)");
    assertThat(key.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownCampaignRepositoryAndPathAre404WithAHint() throws Exception {
    start();
    HttpResponse<String> campaign = get("/api/campaigns/nope/burndown");
    assertThat(campaign.statusCode()).isEqualTo(404);
    assertThat(json(campaign).get("error").asText()).isEqualTo(
        "Campaign 'nope' does not exist; GET /api/campaigns lists the campaigns");

    HttpResponse<String> repo = get("/api/repos/acme/nope");
    assertThat(repo.statusCode()).isEqualTo(404);
    assertThat(json(repo).get("error").asText()).contains("'acme/nope' is unknown").contains("rescan");

    assertThat(get("/api/nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethodIs405() throws Exception {
    start();
    HttpResponse<String> r = post("/api/campaigns", "Authorization", "Bearer " + TOKEN);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(json(r).get("error").asText()).contains("use GET");
  }

  @Test
  void burndownRepositoryAndAttention() throws Exception {
    start();
    JsonNode burndown = json(get("/api/campaigns/jackson-2-18/burndown"));
    assertThat(burndown.get("points")).hasSize(3);
    assertThat(burndown.get("points").get(2).get("open").asLong()).isEqualTo(4);
    assertThat(burndown.get("points").get(2).get("merged").asLong()).isEqualTo(3);

    JsonNode repo = json(get("/api/repos/acme/billing"));
    assertThat(repo.get("changesets")).extracting(c -> c.get("campaign").asText())
        .containsExactlyInAnyOrder("jackson-2-18", "java-21");
    JsonNode legacy = json(get("/api/repos/acme/legacy"));
    assertThat(legacy.get("optInFile").asText()).isEqualTo("enabled: true\nautomerg: true\n");
    assertThat(legacy.get("optInError").asText()).isEqualTo("line 2: unknown key 'automerg'");

    JsonNode attention = json(get("/api/attention"));
    assertThat(attention.get("staleAfterDays").asInt()).isEqualTo(7);
    assertThat(attention.get("items")).extracting(i -> i.get("kind").asText() + " " + i.get("repository").asText()
            + " -> " + i.get("nextAction").asText())
        .containsExactlyInAnyOrder(
            "STALE_PULL_REQUEST acme/pricing -> ask checkout to review",
            "RUN_FAILED acme/ledger -> retry",
            "CI_FAILED acme/gateway -> read the CI log, fix, then retry",
            "INVALID_CONFIG acme/legacy -> fix .flotilla.yaml line 2");
    assertThat(json(get("/api/attention?staleDays=30")).get("items")).hasSize(3);
  }

  @Test
  void mutationWithoutTokenIs401AndChangesNothing() throws Exception {
    start();
    HttpResponse<String> r = post("/api/campaigns/jackson-2-18/pause");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"flotilla\"");
    assertThat(json(r).get("error").asText()).contains("Authorization: Bearer");
    assertThat(fleet.campaign("jackson-2-18").orElseThrow().status()).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(fleet.actions()).isEmpty();
  }

  @Test
  void mutationWithWrongTokenIs403AndNeverEchoesIt() throws Exception {
    start();
    String wrong = "not-the-token-but-long-enough";
    HttpResponse<String> r = post("/api/rescan", "Authorization", "Bearer " + wrong);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).doesNotContain(wrong).doesNotContain(TOKEN);
    assertThat(fleet.actions()).isEmpty();
  }

  @Test
  void mutationsAreRefusedWhenNoTokenIsConfigured() throws Exception {
    start(Map.of(DashboardConfig.TOKEN, ""));
    HttpResponse<String> r = post("/api/rescan", "Authorization", "Bearer " + TOKEN);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).get("error").asText()).contains(DashboardConfig.TOKEN);
    assertThat(json(get("/api/session")).get("actionsEnabled").asBoolean()).isFalse();
  }

  @Test
  void actionsPassTheActorAndReturnWhatHappened() throws Exception {
    start();
    String[] auth = {"Authorization", "Bearer " + TOKEN, "X-Flotilla-Actor", "alice<script>"};

    HttpResponse<String> pause = post("/api/campaigns/jackson-2-18/pause", auth);
    assertThat(pause.statusCode()).isEqualTo(200);
    assertThat(json(pause).get("message").asText()).startsWith("Paused campaign jackson-2-18");
    assertThat(fleet.campaign("jackson-2-18").orElseThrow().status()).isEqualTo(CampaignStatus.PAUSED);

    assertThat(post("/api/campaigns/jackson-2-18/resume", auth).statusCode()).isEqualTo(200);
    assertThat(fleet.campaign("jackson-2-18").orElseThrow().status()).isEqualTo(CampaignStatus.ACTIVE);

    assertThat(json(post("/api/campaigns/jackson-2-18/retry-failed", auth)).get("message").asText())
        .isEqualTo("Retrying 1 failed changesets of jackson-2-18");
    long ciFailed = fleet.all("jackson-2-18").stream().filter(c -> c.repository().equals("acme/gateway"))
        .findFirst().orElseThrow().id();
    assertThat(post("/api/changesets/" + ciFailed + "/retry", auth).statusCode()).isEqualTo(200);
    assertThat(post("/api/rescan", auth).statusCode()).isEqualTo(200);

    assertThat(fleet.actions()).containsExactly("pause jackson-2-18 by alicescript", "resume jackson-2-18 by alicescript",
        "retry-failed jackson-2-18 by alicescript", "retry " + ciFailed + " by alicescript", "rescan by alicescript");
  }

  @Test
  void actionThatDoesNotFitTheStateIs409AndUnknownTargetsAre404() throws Exception {
    start();
    String[] auth = {"Authorization", "Bearer " + TOKEN};
    long merged = fleet.all("jackson-2-18").get(0).id();

    HttpResponse<String> retry = post("/api/changesets/" + merged + "/retry", auth);
    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(json(retry).get("error").asText()).contains("only FAILED, CI_FAILED, CONFLICT and NEEDS_HUMAN");

    assertThat(post("/api/changesets/99999/retry", auth).statusCode()).isEqualTo(404);
    assertThat(post("/api/changesets/abc/retry", auth).statusCode()).isEqualTo(400);
    assertThat(post("/api/campaigns/nope/pause", auth).statusCode()).isEqualTo(404);
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    start(Map.of(DashboardConfig.MAX_BODY_BYTES, "1024"));
    HttpResponse<String> r = post("/api/rescan", HttpRequest.BodyPublishers.ofString("x".repeat(1025)),
        "Authorization", "Bearer " + TOKEN);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).contains("larger than 1024 bytes");
    assertThat(fleet.actions()).isEmpty();
    assertThat(post("/api/rescan", HttpRequest.BodyPublishers.ofString("{}"), "Authorization", "Bearer " + TOKEN)
        .statusCode()).isEqualTo(200);
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws Exception {
    start(Map.of(DashboardConfig.MAX_BODY_BYTES, "1024"));
    // A publisher without a known length makes the client send chunks, with no Content-Length to check.
    HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
        () -> new ByteArrayInputStream(new byte[4096]));
    HttpResponse<String> r = post("/api/rescan", chunked, "Authorization", "Bearer " + TOKEN);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(fleet.actions()).isEmpty();
  }

  @Test
  void corsEchoesOnlyListedOriginsAndNeverAWildcard() throws Exception {
    start();
    String listed = "https://backstage.example.com";
    HttpResponse<String> read = get("/api/campaigns", "Origin", listed);
    assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(listed);

    HttpResponse<String> mutation = post("/api/rescan", "Origin", listed, "Authorization", "Bearer " + TOKEN);
    assertThat(mutation.statusCode()).isEqualTo(200);
    assertThat(mutation.headers().allValues("Access-Control-Allow-Origin")).containsExactly(listed);

    HttpResponse<String> evil = post("/api/rescan", "Origin", "https://evil.example.com", "Authorization", "Bearer " + TOKEN);
    assertThat(evil.statusCode()).isEqualTo(403);
    assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

    HttpResponse<String> unlisted = post("/api/rescan", "Origin", "https://other.example.com");
    assertThat(unlisted.headers().allValues("Access-Control-Allow-Origin")).doesNotContain("*").isEmpty();
  }

  @Test
  void preflightIsAnsweredOnlyForListedOrigins() throws Exception {
    start();
    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(base.resolve("/api/rescan"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://backstage.example.com")
        .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
        h -> assertThat(h).contains("Authorization"));

    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve("/api/rescan"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://evil.example.com").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void readsNeedTheTokenWhenConfigured() throws Exception {
    start(Map.of(DashboardConfig.READS_NEED_TOKEN, "true"));
    assertThat(get("/api/campaigns").statusCode()).isEqualTo(401);
    assertThat(get("/metrics").statusCode()).isEqualTo(401);
    assertThat(get("/api/campaigns", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    // The page itself must load so a person can type the token in.
    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(json(get("/api/session")).get("readsNeedToken").asBoolean()).isTrue();
  }

  @Test
  void servesThePageWithAContentSecurityPolicy() throws Exception {
    start();
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"/static/app.js\"");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
    assertThat(get("/static/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(get("/static/../pom.xml").statusCode()).isEqualTo(404);
    assertThat(get("/static/secret.properties").statusCode()).isEqualTo(404);
  }

  @Test
  void metricsEndpointServesPrometheusText() throws Exception {
    start();
    server.metrics().recordRunStarted("jackson-2-18");
    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("flotilla_changesets{campaign=\"jackson-2-18\",state=\"MERGED\"} 3.0")
        .contains("flotilla_runs_started_total{campaign=\"jackson-2-18\"} 1.0");
  }

  @Test
  void eventStreamDeliversPublishedEventsAndKeepAlives() throws Exception {
    start();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/api/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");

    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        assertThat(lines.readLine()).isEqualTo("retry: 3000");
        assertThat(lines.readLine()).isEqualTo(": connected");
        assertThat(lines.readLine()).isEmpty();
        server.publish(FleetEvent.changeset("jackson-2-18", "acme/billing"));
        String line = lines.readLine();
        while (line.startsWith(":") || line.isEmpty()) {
          line = lines.readLine();
        }
        assertThat(line).isEqualTo("event: fleet");
        JsonNode data = Json.MAPPER.readTree(lines.readLine().substring("data: ".length()));
        assertThat(data.get("type").asText()).isEqualTo("CHANGESET");
        assertThat(data.get("campaign").asText()).isEqualTo("jackson-2-18");
        assertThat(data.get("repository").asText()).isEqualTo("acme/billing");
        // With a one-second keep-alive and nothing published, a comment line must follow.
        String next = lines.readLine();
        while (next.isEmpty()) {
          next = lines.readLine();
        }
        assertThat(next).isEqualTo(": keep-alive");
      });
    }
  }

  @Test
  void eventStreamsAreBounded() throws Exception {
    start(Map.of(DashboardConfig.MAX_EVENT_CLIENTS, "1"));
    HttpResponse<InputStream> first = http.send(HttpRequest.newBuilder(base.resolve("/api/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try {
      assertThat(first.statusCode()).isEqualTo(200);
      HttpResponse<String> second = get("/api/events");
      assertThat(second.statusCode()).isEqualTo(503);
      assertThat(json(second).get("error").asText()).contains(DashboardConfig.MAX_EVENT_CLIENTS);
    } finally {
      first.body().close();
    }
  }

  @Test
  void tokenNeverReachesTheLogs() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    try {
      start();
      post("/api/rescan", "Authorization", "Bearer " + TOKEN);
      post("/api/rescan", "Authorization", "Bearer wrong-" + TOKEN);
      get("/api/campaigns/nope", "Authorization", "Bearer " + TOKEN);
      server.stop();
      server = null;
    } finally {
      root.detachAppender(appender);
    }
    assertThat(appender.list).isNotEmpty();
    assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TOKEN));
  }

  @Test
  void startsOnlyOnceAndStopsCleanly() throws Exception {
    start();
    assertThat(base.toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    server.stop();
    assertThatThrownBy(() -> get("/healthz")).isInstanceOf(IOException.class);
    server = null;
  }
}
