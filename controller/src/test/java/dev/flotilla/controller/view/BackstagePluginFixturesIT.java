package dev.flotilla.controller.view;

import static dev.flotilla.controller.view.SeededFleet.NOW;
import static dev.flotilla.controller.view.SeededFleet.days;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.controller.view.DashboardWiring.RunningDashboard;
import dev.flotilla.dashboard.DashboardConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the Backstage plugin's fixtures ({@code backstage-plugin/src/__fixtures__/}) in step with the API: the
 * real dashboard serves a seeded store, each endpoint the plugin calls is requested through the token a
 * Backstage proxy would send, and the answer must equal the committed fixture after normalisation. The plugin's
 * tests run against those files, so a change to the API shape fails here until the fixtures (and the plugin) follow.
 *
 * <p>Normalisation, applied to both sides: every ISO-8601 instant becomes {@code "<instant>"} (some are computed
 * from the wall clock, such as a campaign's estimated completion) and the values of {@code id} and
 * {@code changesetId} become {@code "<id>"} (store sequences). Everything else, keys, nesting, types and the other
 * values, must match. Run with {@code -Dflotilla.fixtures.update=true} to write the fixtures from the API instead.
 */
class BackstagePluginFixturesIT {

  static final String TOKEN = "backstage-proxy-token-0123456789";
  static final String UPDATE = "flotilla.fixtures.update";
  static final String REFRESH = "mvn -B -o -pl controller -am verify -Dtest=NONE -Dit.test=BackstagePluginFixturesIT "
      + "-D" + UPDATE + "=true";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @TempDir static Path dataDir;
  static Database db;
  static RunningDashboard dashboard;
  static final HttpClient http = HttpClient.newHttpClient();

  /** Each request the plugin makes, and the fixture file that holds its answer. */
  static Stream<Map.Entry<String, String>> endpoints() {
    return Stream.of(
        Map.entry("campaigns", "/api/campaigns"),
        Map.entry("repo-acme-charlie", "/api/repos/acme/charlie"),
        Map.entry("repo-acme-broken", "/api/repos/acme/broken"),
        Map.entry("repo-unknown", "/api/repos/acme/unknown"),
        Map.entry("teams", "/api/teams"),
        Map.entry("team-payments", "/api/teams/payments"),
        Map.entry("team-core", "/api/teams/core"));
  }

  @BeforeAll
  static void serveSeededFleet() {
    db = TestPostgres.open(dataDir, 4);
    Jdbc jdbc = new Jdbc(db.dataSource());
    SeededFleet fleet = new SeededFleet(jdbc).seed();
    moreCampaignsOnCharlie(fleet);
    owners(fleet);
    EngineMetrics metrics = DashboardWiring.metrics(jdbc);
    Controller controller = fleet.controller(List.of(), metrics);
    dashboard = DashboardWiring.start(controller, metrics, DashboardConfig.fromEnv(Map.of(
        DashboardConfig.PORT, "0", DashboardConfig.TOKEN, TOKEN, DashboardConfig.READS_NEED_TOKEN, "true")));
  }

  /** A component whose repository is in several campaigns at once, as the plugin's entity tab is meant for. */
  private static void moreCampaignsOnCharlie(SeededFleet fleet) {
    long charlie = fleet.id("acme/charlie");
    long open = fleet.plan("checkout", charlie, days(1));
    fleet.walk(open, days(1).plusSeconds(3600), Changes.none().pullRequest(12, "https://forge.test/acme/charlie/pull/12"),
        ChangesetState.RUNNING, ChangesetState.PUSHED, ChangesetState.PR_OPEN);
  }

  /** Owners from three sources, and one Backstage answer kept while the catalog was unreachable. */
  private static void owners(SeededFleet fleet) {
    for (String repo : List.of("acme/alpha", "acme/bravo", "acme/broken", "acme/delta")) {
      fleet.repositories.recordOwner(fleet.id(repo), Optional.of(Ownership.fresh("core", Ownership.Source.CODEOWNERS, NOW)));
    }
    fleet.repositories.recordOwner(fleet.id("acme/charlie"),
        Optional.of(Ownership.fresh("core", Ownership.Source.CATALOG_INFO, NOW)));
    fleet.repositories.recordOwner(fleet.id("payments/echo"),
        Optional.of(new Ownership("payments", Ownership.Source.BACKSTAGE, NOW, true)));
    for (String repo : List.of("payments/fox", "payments/golf")) {
      fleet.repositories.recordOwner(fleet.id(repo), Optional.of(Ownership.fresh("payments", Ownership.Source.BACKSTAGE, NOW)));
    }
  }

  @AfterAll
  static void stop() {
    if (dashboard != null) {
      dashboard.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpoints")
  void fixtureMatchesTheApi(Map.Entry<String, String> endpoint) throws Exception {
    String name = endpoint.getKey();
    String path = endpoint.getValue();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(dashboard.url().resolve(path))
        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    ObjectNode live = JSON.createObjectNode();
    live.put("request", "GET " + path);
    live.put("status", response.statusCode());
    live.set("body", JSON.readTree(response.body()));

    Path file = fixtures().resolve(name + ".json");
    if (Boolean.getBoolean(UPDATE)) {
      Files.writeString(file, JSON.writeValueAsString(live) + "\n", StandardCharsets.UTF_8);
      return;
    }
    assertThat(file).as("fixture %s for GET %s is missing; record it with:%n  %s", file, path, REFRESH).exists();
    JsonNode committed = JSON.readTree(file.toFile());
    List<String> differences = new ArrayList<>();
    diff("", normalise(committed), normalise(live), differences);
    assertThat(differences)
        .as("backstage-plugin/src/__fixtures__/%s.json no longer matches GET %s:%n  %s%n"
                + "If the API change is intended, refresh the fixtures with%n  %s%n"
                + "then make the plugin follow and run its tests (cd backstage-plugin && npm test).",
            name, path, String.join("\n  ", differences), REFRESH)
        .isEmpty();
  }

  private static Path fixtures() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("backstage-plugin"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("no backstage-plugin/ above %s", Path.of("").toAbsolutePath()).isNotNull();
    Path fixtures = dir.resolve("backstage-plugin/src/__fixtures__");
    Files.createDirectories(fixtures);
    return fixtures;
  }

  /** The values that change between runs for reasons other than the API's shape, masked. */
  static JsonNode normalise(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(field -> copy.set(field.getKey(),
          isId(field.getKey()) && field.getValue().isNumber() ? TextNode.valueOf("<id>") : normalise(field.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(item -> copy.add(normalise(item)));
      return copy;
    }
    if (node.isTextual() && isInstant(node.asText())) {
      return TextNode.valueOf("<instant>");
    }
    return node;
  }

  private static boolean isId(String key) {
    return key.equals("id") || key.equals("changesetId");
  }

  private static boolean isInstant(String text) {
    try {
      Instant.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Every path where the two trees differ, as {@code body.changesets[0].state: fixture "X", API "Y"}. */
  static void diff(String path, JsonNode fixture, JsonNode api, List<String> out) {
    if (fixture.isObject() && api.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      fixture.fieldNames().forEachRemaining(keys::add);
      api.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        String at = path.isEmpty() ? key : path + "." + key;
        if (!fixture.has(key)) {
          out.add(at + ": new in the API (" + api.get(key) + ")");
        } else if (!api.has(key)) {
          out.add(at + ": in the fixture, gone from the API");
        } else {
          diff(at, fixture.get(key), api.get(key), out);
        }
      }
    } else if (fixture.isArray() && api.isArray()) {
      if (fixture.size() != api.size()) {
        out.add(path + ": " + fixture.size() + " items in the fixture, " + api.size() + " from the API");
      }
      Iterator<JsonNode> f = fixture.elements();
      Iterator<JsonNode> a = api.elements();
      for (int i = 0; f.hasNext() && a.hasNext(); i++) {
        diff(path + "[" + i + "]", f.next(), a.next(), out);
      }
    } else if (!fixture.equals(api)) {
      out.add(path + ": fixture " + fixture + ", API " + api);
    }
  }
}
