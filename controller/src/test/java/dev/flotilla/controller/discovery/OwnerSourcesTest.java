package dev.flotilla.controller.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.discovery.OwnerSources.CatalogAnswer;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.model.Ownership.Source;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnerSourcesTest {

  static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  static final OptIn OWNER_WRITERS = new OptIn(true, false, null, null, List.of(), List.of(), List.of(), null, "writers");

  @Test
  void readsTheLastWholeRepositoryRuleOfCodeowners() {
    assertThat(OwnerFiles.codeOwner("""
        # the default owners
        *       @acme/platform
        /docs/  @acme/writers
        *.js    @acme/web
        /       @acme/Payments @bob   # they took it over
        """)).contains("payments");
    assertThat(OwnerFiles.codeOwner("/src/ @acme/core\n")).isEmpty();
    assertThat(OwnerFiles.codeOwner("*\n")).isEmpty();
  }

  @Test
  void usesOnlyTheFirstCodeownersFoundInGitHubsOrder() {
    assertThat(OwnerFiles.codeOwner(Map.of(
        "docs/CODEOWNERS", "* @acme/writers\n", "CODEOWNERS", "* @acme/web\n", ".github/CODEOWNERS", "* @acme/platform\n")))
        .contains("platform");
    assertThat(OwnerFiles.codeOwner(Map.of("docs/CODEOWNERS", "* @acme/writers\n", "CODEOWNERS", "* @acme/web\n")))
        .contains("web");
    // GitHub reads only the first file it finds, even when that one has no rule for the whole repository.
    assertThat(OwnerFiles.codeOwner(Map.of(".github/CODEOWNERS", "/src/ @acme/core\n", "CODEOWNERS", "* @acme/web\n")))
        .isEmpty();
  }

  @Test
  void readsSpecOwnerOfTheFirstEntityThatHasOne() {
    assertThat(OwnerFiles.catalogInfoOwner("""
        apiVersion: backstage.io/v1alpha1
        kind: Location
        spec: {targets: [./api.yaml]}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: pay}
        spec: {type: service, owner: "group:default/payments"}
        """)).contains("payments");
    assertThat(OwnerFiles.catalogInfoOwner("spec: [broken")).isEmpty();
  }

  @Test
  void asksTheSourcesInOrderAndTheFirstThatAnswersWins() {
    Map<String, String> files = Map.of("catalog-info.yaml", "spec: {owner: finance}\n", "CODEOWNERS", "* @acme/web\n");
    CatalogAnswer catalog = new CatalogAnswer(Map.of("acme/pay", "payments"));

    assertThat(decide("acme/pay", Optional.of(catalog), files)).contains(Ownership.fresh("payments", Source.BACKSTAGE, NOW));
    assertThat(decide("acme/other", Optional.of(catalog), files)).contains(Ownership.fresh("finance", Source.CATALOG_INFO, NOW));
    assertThat(decide("acme/other", Optional.empty(), Map.of("CODEOWNERS", "* @acme/web\n")))
        .contains(Ownership.fresh("web", Source.CODEOWNERS, NOW));
    assertThat(decide("acme/other", Optional.empty(), Map.of())).contains(Ownership.fresh("writers", Source.OPT_IN, NOW));
    assertThat(OwnerSources.decide("acme/other", Optional.empty(), Map.of(), null, Optional.empty(), NOW)).isEmpty();
  }

  @Test
  void keepsTheCatalogsLastAnswerAsStaleOnlyWhileTheCatalogCannotBeAsked() {
    Ownership before = Ownership.fresh("payments", Source.BACKSTAGE, NOW.minusSeconds(3600));

    assertThat(OwnerSources.decide("acme/pay", Optional.empty(), Map.of(), OWNER_WRITERS, Optional.of(before), NOW))
        .contains(new Ownership("payments", Source.BACKSTAGE, before.asOf(), true));
    // The catalog answered and no longer lists the repository: the next source answers.
    assertThat(OwnerSources.decide("acme/pay", Optional.of(new CatalogAnswer(Map.of())), Map.of(), OWNER_WRITERS,
        Optional.of(before), NOW)).contains(Ownership.fresh("writers", Source.OPT_IN, NOW));
  }

  private static Optional<Ownership> decide(String repository, Optional<CatalogAnswer> catalog, Map<String, String> files) {
    return OwnerSources.decide(repository, catalog, files, OWNER_WRITERS, Optional.empty(), NOW);
  }
}
