package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static dev.flotilla.controller.forge.github.GitHubFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.flotilla.controller.discovery.Discovery;
import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.model.Ownership.Source;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.RepositoryStore;
import dev.flotilla.controller.store.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GitHubDiscoveryIT {

  private static final GraphQlFleet GRAPHQL = new GraphQlFleet(GitHubDiscoveryIT::holding);

  @RegisterExtension
  static WireMockExtension github =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().extensions(GRAPHQL)).build();

  private static final String PAGE_1 = "/orgs/acme/repos?per_page=100&type=all";
  private static final String PUSHED = "2026-01-04T08:00:00Z";

  private final GitHubFixtures.RecordingCounter counter = new GitHubFixtures.RecordingCounter();
  private GitHubForge forge;

  @BeforeEach
  void setUp() {
    GRAPHQL.answer(GitHubDiscoveryIT::holding);
    forge = GitHubFixtures.forge(github.baseUrl(), new GitHubFixtures.RecordingSleeper(), counter);
    stubFleet(i -> PUSHED, "\"v1\"");
  }

  private void stubFleet(IntFunction<String> pushedAt, String etagPrefix) {
    github.resetMappings();
    github.stubFor(post(urlEqualTo("/graphql")).willReturn(aResponse().withTransformers(GraphQlFleet.NAME)));
    stubPages(pushedAt, etagPrefix);
  }

  /** Every third service opts in; svc-1 requires a build check. */
  private static GraphQlFleet.Holding holding(String fullName) {
    int n = Integer.parseInt(fullName.substring(fullName.lastIndexOf('-') + 1));
    return new GraphQlFleet.Holding(n % 3 == 0 ? "enabled: true\n" : null, n == 1 ? List.of("build") : List.of());
  }

  /**
   * 260 repositories on three pages; the last page holds an archived one, a fork and one created
   * minutes ago, whose {@code size} GitHub has not computed yet (0).
   */
  private void stubPages(IntFunction<String> pushedAt, String etagPrefix) {
    for (int page = 1; page <= 3; page++) {
      List<String> repos = new ArrayList<>();
      int first = (page - 1) * 100;
      int last = page == 3 ? 260 : first + 100;
      for (int i = first; i < last; i++) {
        repos.add(repo("acme", "svc-" + i, i == 257, i == 258, i == 259 ? 0 : 120, pushedAt.apply(i)));
      }
      String url = page == 1 ? PAGE_1 : PAGE_1 + "&page=" + page;
      String etag = "W/" + etagPrefix.replace("\"", "") + "-" + page;
      var answer = json(200, "[" + String.join(",", repos) + "]").withHeader("ETag", etag);
      if (page < 3) {
        String next = github.baseUrl() + PAGE_1 + "&page=" + (page + 1);
        answer = answer.withHeader("Link", "<" + next + ">; rel=\"next\", <" + github.baseUrl() + PAGE_1 + "&page=3>; rel=\"last\"");
      }
      github.stubFor(get(urlEqualTo(url)).willReturn(answer));
      github.stubFor(get(urlEqualTo(url)).withHeader("If-None-Match", equalTo(etag)).atPriority(1)
          .willReturn(aResponse().withStatus(304)
              .withHeader("ETag", etag)
              .withHeader("X-RateLimit-Limit", "5000")
              .withHeader("X-RateLimit-Remaining", "4890")
              .withHeader("X-RateLimit-Reset", String.valueOf(GitHubFixtures.NOW.plusSeconds(1800).getEpochSecond()))));
    }
  }

  private Map<RepositoryRef, String> scan() {
    return forge.readOptInFiles(forge.listRepositories());
  }

  @Test
  void listsEveryPageAndLeavesOutArchivedAndForkedRepositories() {
    List<RepositoryRef> repos = forge.listRepositories();

    assertThat(repos).hasSize(258);
    assertThat(repos).extracting(RepositoryRef::name).doesNotContain("svc-257", "svc-258").contains("svc-259");
    assertThat(repos.get(0)).isEqualTo(new RepositoryRef(
        "acme", "svc-0", "main", "https://github.com/acme/svc-0.git", "https://github.com/acme/svc-0"));
    assertThat(counter.of("GET /orgs/{org}/repos")).isEqualTo(3);
  }

  @Test
  void aNewRepositoryWhoseSizeGitHubHasNotComputedYetIsReadLikeAnyOther() {
    GRAPHQL.answer(name -> name.equals("acme/svc-259") ? new GraphQlFleet.Holding("enabled: true\n", List.of()) : holding(name));

    Map<RepositoryRef, String> files = scan();

    assertThat(files.entrySet()).filteredOn(e -> e.getKey().name().equals("svc-259"))
        .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("enabled: true\n"));
  }

  @Test
  void readsOptInFilesAHundredRepositoriesAQuery() {
    Map<RepositoryRef, String> files = scan();

    assertThat(files).hasSize(86);
    assertThat(files.keySet()).extracting(RepositoryRef::name).contains("svc-0", "svc-3", "svc-255").doesNotContain("svc-1");
    github.verify(3, postRequestedFor(urlEqualTo("/graphql")));
    assertThat(counter.total.get()).isEqualTo(6);
  }

  @Test
  void aRescanOfAnUnchangedFleetCostsOnlyTheFreeConditionalListing() {
    Map<RepositoryRef, String> first = scan();
    int before = counter.total.get();

    Map<RepositoryRef, String> again = scan();

    assertThat(again).isEqualTo(first);
    assertThat(counter.total.get() - before).isEqualTo(3);
    github.verify(3, postRequestedFor(urlEqualTo("/graphql")));
    assertThat((counter.total.get() - before) / 257.0).isLessThanOrEqualTo(0.05);
  }

  @Test
  void aRescanRereadsOnlyTheRepositoriesPushedTo() {
    scan();
    stubFleet(i -> i == 4 ? "2026-01-05T09:00:00Z" : PUSHED, "\"v2\"");
    GRAPHQL.answer(name -> name.equals("acme/svc-4") ? new GraphQlFleet.Holding("enabled: false\n", List.of()) : holding(name));

    Map<RepositoryRef, String> files = scan();

    github.verify(4, postRequestedFor(urlEqualTo("/graphql")));
    assertThat(files.entrySet()).filteredOn(e -> e.getKey().name().equals("svc-4"))
        .extracting(Map.Entry::getValue).containsExactly("enabled: false\n");
    assertThat(files).hasSize(87);
  }

  @Test
  void readsOwnerFilesInTheSameQueriesAsTheOptInFiles() {
    GRAPHQL.answer(name -> switch (name) {
      case "acme/svc-2" -> new GraphQlFleet.Holding(null, List.of(),
          Map.of("catalog-info.yaml", "spec: {owner: payments}\n"));
      case "acme/svc-5" -> new GraphQlFleet.Holding("enabled: true\n", List.of(),
          Map.of(".github/CODEOWNERS", "* @acme/platform\n", "docs/CODEOWNERS", "* @acme/writers\n"));
      case "acme/svc-250" -> new GraphQlFleet.Holding(null, List.of(), Map.of("CODEOWNERS", "* @acme/web\n"));
      default -> holding(name);
    });
    List<RepositoryRef> repos = forge.listRepositories();

    Map<RepositoryRef, String> optIns = forge.readOptInFiles(repos);
    Map<RepositoryRef, Map<String, String>> owners = forge.readOwnerFiles(repos);

    github.verify(3, postRequestedFor(urlEqualTo("/graphql")));
    assertThat(optIns).hasSize(87);
    assertThat(owners).hasSize(3);
    assertThat(owners.get(ref(repos, "svc-2"))).isEqualTo(Map.of("catalog-info.yaml", "spec: {owner: payments}\n"));
    assertThat(owners.get(ref(repos, "svc-5")))
        .isEqualTo(Map.of(".github/CODEOWNERS", "* @acme/platform\n", "docs/CODEOWNERS", "* @acme/writers\n"));
    assertThat(owners.get(ref(repos, "svc-250"))).isEqualTo(Map.of("CODEOWNERS", "* @acme/web\n"));
    github.verify(postRequestedFor(urlEqualTo("/graphql")).withRequestBody(containing(
        "ownerFile2: object(expression: \\\"HEAD:CODEOWNERS\\\") { ... on Blob { text isBinary isTruncated } }")));
  }

  @Test
  void ownerFilesOfARepositoryNotReadSinceItsLastPushAreReadOnAsking() {
    GRAPHQL.answer(name -> new GraphQlFleet.Holding(null, List.of(), Map.of("CODEOWNERS", "* @acme/web\n")));
    List<RepositoryRef> repos = forge.listRepositories();

    Map<RepositoryRef, Map<String, String>> owners = forge.readOwnerFiles(repos.subList(0, 10));
    forge.readOwnerFiles(repos.subList(0, 10));

    assertThat(owners).hasSize(10).containsValue(Map.of("CODEOWNERS", "* @acme/web\n"));
    github.verify(1, postRequestedFor(urlEqualTo("/graphql")));
  }

  @Test
  void discoveryOnGitHubStoresOwnersFromTheFilesTheQueryRead(@TempDir Path tmp) {
    GRAPHQL.answer(name -> switch (name) {
      case "acme/svc-2" -> new GraphQlFleet.Holding(null, List.of(),
          Map.of("catalog-info.yaml", "kind: Component\nspec: {type: service, owner: group:default/finance}\n"));
      // GitHub reads only the first CODEOWNERS it finds, and this one has no rule for the whole repository.
      case "acme/svc-3" -> new GraphQlFleet.Holding("enabled: true\nowner: writers\n", List.of(),
          Map.of(".github/CODEOWNERS", "/src/ @acme/core\n", "CODEOWNERS", "* @acme/web\n"));
      case "acme/svc-6" -> new GraphQlFleet.Holding("enabled: true\n", List.of(), Map.of("CODEOWNERS", "* @acme/Platform\n"));
      default -> holding(name);
    });
    try (Database db = TestPostgres.open(tmp.resolve("db"), 4)) {
      RepositoryStore store = new RepositoryStore(new Jdbc(db.dataSource()), forge.name());

      new Discovery(forge, store, GitHubFixtures.clock()).scan();

      Map<String, Ownership> owners = store.owners();
      assertThat(owners.get("acme/svc-2")).isEqualTo(Ownership.fresh("finance", Source.CATALOG_INFO, GitHubFixtures.NOW));
      assertThat(owners.get("acme/svc-3")).isEqualTo(Ownership.fresh("writers", Source.OPT_IN, GitHubFixtures.NOW));
      assertThat(owners.get("acme/svc-6")).isEqualTo(Ownership.fresh("platform", Source.CODEOWNERS, GitHubFixtures.NOW));
      assertThat(owners).hasSize(3);
      github.verify(3, postRequestedFor(urlEqualTo("/graphql")));
    }
  }

  private static RepositoryRef ref(List<RepositoryRef> repos, String name) {
    return repos.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void onGitHubEnterpriseQueriesGraphqlBesideTheRestRoot() {
    github.stubFor(get(urlEqualTo("/api/v3" + PAGE_1)).willReturn(json(200, "[" + repo("acme", "svc-3", false, false, 10, PUSHED) + "]")));
    github.stubFor(post(urlEqualTo("/api/graphql")).willReturn(aResponse().withTransformers(GraphQlFleet.NAME)));
    GitHubForge enterprise =
        GitHubForge.create(GitHubFixtures.tokenConfig(github.baseUrl() + "/api/v3", List.of("acme")), ApiCallCounter.NONE,
            new EtagCache(), GitHubFixtures.clock(), new GitHubFixtures.RecordingSleeper(), java.time.Duration.ofSeconds(10));

    assertThat(enterprise.readOptInFiles(enterprise.listRepositories())).containsValue("enabled: true\n");
    github.verify(1, postRequestedFor(urlEqualTo("/api/graphql")));
  }
}
