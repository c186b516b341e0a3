package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.dashboard.Router.Access;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final Router<String> router = new Router<String>()
      .add("GET", "/api/campaigns", Access.READ, "list")
      .add("GET", "/api/campaigns/{name}", Access.READ, "one")
      .add("GET", "/api/campaigns/{name}/burndown", Access.READ, "burndown")
      .add("POST", "/api/campaigns/{name}/pause", Access.MUTATION, "pause")
      .add("GET", "/api/repos/{owner}/{name}", Access.READ, "repo");

  @Test
  void bindsPathParameters() {
    Router.Match<String> m = router.match("GET", "/api/repos/acme/billing").orElseThrow();
    assertThat(m.route().handler()).isEqualTo("repo");
    assertThat(m.params()).isEqualTo(Map.of("owner", "acme", "name", "billing"));
    assertThat(router.match("GET", "/api/campaigns/jackson-2-18/burndown").orElseThrow().params())
        .containsEntry("name", "jackson-2-18");
    assertThat(router.match("POST", "/api/campaigns/x/pause").orElseThrow().route().access()).isEqualTo(Access.MUTATION);
  }

  @Test
  void decodesEachSegmentAfterSplitting() {
    assertThat(router.match("GET", "/api/campaigns/a%2Fb%20c+d").orElseThrow().params())
        .containsEntry("name", "a/b c+d");
  }

  @Test
  void trailingSlashMatchesAndUnknownPathsDoNot() {
    assertThat(router.match("GET", "/api/campaigns/").orElseThrow().route().handler()).isEqualTo("list");
    assertThat(router.match("GET", "/api/campaigns/x/y")).isEmpty();
    assertThat(router.match("GET", "/api")).isEmpty();
  }

  @Test
  void knownPathWithOtherMethodIs405() {
    assertThatThrownBy(() -> router.match("DELETE", "/api/campaigns/x"))
        .isInstanceOf(ApiException.class)
        .hasMessage("DELETE is not supported here; use GET")
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(405));
  }
}
