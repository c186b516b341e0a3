package dev.flotilla.controller.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.engine.TestForgeRepos;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.model.Ownership.Source;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.RepositoryStore;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.store.TestPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners at discovery from every source, on the local forge's real repositories and a catalog served
 * with Backstage's response shapes: {@code QueryEntitiesResponse} ({@code items}, {@code totalItems},
 * {@code pageInfo.nextCursor}, https://backstage.io/docs/reference/catalog-client.queryentitiesresponse/)
 * holding entities as the catalog returns them with {@code fields=metadata.annotations,spec.owner}.
 */
class OwnershipDiscoveryIT {

  @RegisterExtension
  static WireMockExtension backstage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final String TOKEN = "static-token-s3cret";
  static final Instant FIRST = Instant.parse("2026-12-01T08:00:00Z");

  @TempDir Path tmp;
  Database db;
  LocalCi ci;
  RepositoryStore store;
  LocalForge forge;

  @BeforeEach
  void fleet() throws Exception {
    db = TestPostgres.open(tmp.resolve("db"), 4);
    Jdbc jdbc = new Jdbc(db.dataSource());
    Path root = Files.createDirectories(tmp.resolve("forge"));
    TestForgeRepos repos = new TestForgeRepos(root);
    repos.create("acme", "pay", "main", Map.of(".flotilla.yaml", "enabled: true\nowner: wallet\n"));
    repos.create("acme", "ledger", "main", Map.of(".flotilla.yaml", "enabled: true\n",
        "catalog-info.yaml", """
            apiVersion: backstage.io/v1alpha1
            kind: Component
            metadata:
              name: ledger
            spec:
              type: service
              owner: group:default/finance
            """));
    repos.create("acme", "web", "main", Map.of(".flotilla.yaml", "enabled: true\nowner: somebody-else\n",
        ".github/CODEOWNERS", "# frontend\n*.css @acme/design\n* @acme/Frontend @alice\n"));
    repos.create("acme", "docs", "main", Map.of(".flotilla.yaml", "enabled: true\nowner: writers\n"));
    repos.create("acme", "lonely", "main", Map.of(".flotilla.yaml", "enabled: true\n"));
    ci = new LocalCi(db.dataSource(), new LocalCi.Settings("true", Duration.ofSeconds(10), 1));
    forge = new LocalForge(root, db.dataSource(), ci, "http://localhost:8080");
    store = new RepositoryStore(jdbc, forge.name());
  }

  @AfterEach
  void close() {
    ci.close();
    db.close();
  }

  @Test
  void takesEachRepositorysOwnerFromTheFirstSourceThatAnswers() {
    catalogPages(page("c2", entity("pay", "acme/pay", "group:default/payments")), page(null, entity("docs", "acme/docs", "user:default/writers-guild")));

    discovery(FIRST).scan();

    Map<String, Ownership> owners = store.owners();
    assertThat(owners.get("acme/pay")).isEqualTo(Ownership.fresh("payments", Source.BACKSTAGE, FIRST));
    assertThat(owners.get("acme/docs")).isEqualTo(Ownership.fresh("writers-guild", Source.BACKSTAGE, FIRST));
    assertThat(owners.get("acme/ledger")).isEqualTo(Ownership.fresh("finance", Source.CATALOG_INFO, FIRST));
    assertThat(owners.get("acme/web")).isEqualTo(Ownership.fresh("frontend", Source.CODEOWNERS, FIRST));
    assertThat(owners).doesNotContainKey("acme/lonely");
    backstage.verify(getRequestedFor(urlPathEqualTo(BackstageCatalog.PATH))
        .withQueryParam("filter", equalTo("metadata.annotations.github.com/project-slug"))
        .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    backstage.verify(getRequestedFor(urlPathEqualTo(BackstageCatalog.PATH)).withQueryParam("cursor", equalTo("c2")));
  }

  @Test
  void keepsTheCatalogsLastAnswerAndSaysItIsStaleWhenTheCatalogFailsInTheMiddleOfAScan() {
    catalogPages(page("c2", entity("pay", "acme/pay", "payments")), page(null, entity("docs", "acme/docs", "writers-guild")));
    discovery(FIRST).scan();
    // The next scan gets the first page and then an outage: half an answer is no answer.
    backstage.resetAll();
    backstage.stubFor(get(urlPathEqualTo(BackstageCatalog.PATH)).withQueryParam("filter", equalTo("metadata.annotations.github.com/project-slug"))
        .willReturn(json(page("c2", entity("pay", "acme/pay", "new-team")))));
    backstage.stubFor(get(urlPathEqualTo(BackstageCatalog.PATH)).withQueryParam("cursor", equalTo("c2"))
        .willReturn(aResponse().withStatus(503).withBody("upstream connect error")));
    Instant later = FIRST.plus(Duration.ofHours(1));

    discovery(later).scan();

    Map<String, Ownership> owners = store.owners();
    assertThat(owners.get("acme/pay")).isEqualTo(new Ownership("payments", Source.BACKSTAGE, FIRST, true));
    assertThat(owners.get("acme/docs")).isEqualTo(new Ownership("writers-guild", Source.BACKSTAGE, FIRST, true));
    assertThat(owners.get("acme/ledger")).isEqualTo(Ownership.fresh("finance", Source.CATALOG_INFO, later));

    // The catalog is back: fresh answers, no longer stale.
    backstage.resetAll();
    catalogPages(page(null, entity("pay", "acme/pay", "payments")));
    Instant after = later.plus(Duration.ofHours(1));
    discovery(after).scan();
    assertThat(store.owners().get("acme/pay")).isEqualTo(Ownership.fresh("payments", Source.BACKSTAGE, after));
    assertThat(store.owners().get("acme/docs")).isEqualTo(Ownership.fresh("writers", Source.OPT_IN, after));
  }

  private Discovery discovery(Instant at) {
    BackstageCatalog catalog = new BackstageCatalog(URI.create(backstage.baseUrl()), Secret.of(TOKEN), "github.com/project-slug");
    return new Discovery(forge, store, Clock.fixed(at, ZoneOffset.UTC), Optional.of(catalog));
  }

  private void catalogPages(String first, String... rest) {
    backstage.stubFor(get(urlPathEqualTo(BackstageCatalog.PATH)).withQueryParam("filter", equalTo("metadata.annotations.github.com/project-slug"))
        .willReturn(json(first)));
    for (int i = 0; i < rest.length; i++) {
      backstage.stubFor(get(urlPathEqualTo(BackstageCatalog.PATH)).withQueryParam("cursor", equalTo("c" + (i + 2)))
          .willReturn(json(rest[i])));
    }
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
  }

  static String page(String nextCursor, String... entities) {
    return """
        {"items": [%s], "totalItems": 2, "pageInfo": {%s}}
        """.formatted(String.join(",", entities), nextCursor == null ? "" : "\"nextCursor\": \"" + nextCursor + "\"");
  }

  static String entity(String name, String slug, String owner) {
    return """
        {"metadata": {"annotations": {"github.com/project-slug": "%s", "backstage.io/managed-by-location": "url:https://github.com/%s/blob/main/catalog-info.yaml"}},
         "spec": {"owner": "%s"}}
        """.formatted(slug, slug, owner);
  }
}
