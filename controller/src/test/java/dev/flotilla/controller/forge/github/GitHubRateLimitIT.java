package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.flotilla.controller.forge.github.GitHubFixtures.NOW;
import static dev.flotilla.controller.forge.github.GitHubFixtures.REPO;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static dev.flotilla.controller.forge.github.GitHubFixtures.message;
import static dev.flotilla.controller.forge.github.GitHubFixtures.openPr;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.kohsuke.github.extras.HttpClientGitHubConnector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitHubRateLimitIT {

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String PR = "/repos/acme/payments/pulls/7";

  private final GitHubFixtures.RecordingSleeper sleeper = new GitHubFixtures.RecordingSleeper();
  private final GitHubFixtures.RecordingCounter counter = new GitHubFixtures.RecordingCounter();
  private GitHubForge forge;

  @BeforeEach
  void setUp() {
    forge = GitHubFixtures.forge(github.baseUrl(), sleeper, counter);
  }

  @Test
  void slowsDownEvenlyWhenLessThanFivePercentOfTheBudgetIsLeft() {
    github.stubFor(get(urlEqualTo(PR)).willReturn(json(200, openPr(7), 100, NOW.plusSeconds(1000))));

    forge.getPullRequest(REPO, 7);
    forge.getPullRequest(REPO, 7);

    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(10));
    assertThat(counter.remaining).containsExactly(100, 100);
  }

  @Test
  void doesNotWaitWithPlentyOfBudgetLeft() {
    github.stubFor(get(urlEqualTo(PR)).willReturn(json(200, openPr(7))));

    forge.getPullRequest(REPO, 7);
    forge.getPullRequest(REPO, 7);

    assertThat(sleeper.waits).isEmpty();
  }

  @Test
  void waitsForTheResetWhenThePrimaryBudgetIsSpentThenRetries() {
    github.stubFor(get(urlEqualTo(PR)).inScenario("spent").whenScenarioStateIs(STARTED)
        .willReturn(json(403, message("API rate limit exceeded for installation ID 777."), 0, NOW.plusSeconds(120)))
        .willSetStateTo("reset"));
    github.stubFor(get(urlEqualTo(PR)).inScenario("spent").whenScenarioStateIs("reset").willReturn(json(200, openPr(7))));

    assertThat(forge.getPullRequest(REPO, 7).number()).isEqualTo(7);
    assertThat(sleeper.waits).first().isEqualTo(Duration.ofSeconds(121));
    github.verify(2, getRequestedFor(urlEqualTo(PR)));
  }

  @Test
  void aRateLimitedAnswer429WithRetryAfterIsWaitedOut() {
    github.stubFor(get(urlEqualTo(PR)).inScenario("429").whenScenarioStateIs(STARTED)
        .willReturn(json(429, message("Too many requests")).withHeader("Retry-After", "30")).willSetStateTo("ok"));
    github.stubFor(get(urlEqualTo(PR)).inScenario("429").whenScenarioStateIs("ok").willReturn(json(200, openPr(7))));

    forge.getPullRequest(REPO, 7);

    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(30));
    assertThat(counter.of("GET /repos/{owner}/{repo}/pulls/{number}")).isEqualTo(2);
  }

  @Test
  void eachInstallationHasItsOwnBudgetAndOneRunningLowSlowsOnlyItself() {
    github.stubFor(get(urlEqualTo(PR)).withHeader("Authorization", equalTo("Bearer low"))
        .willReturn(json(200, openPr(7), 100, NOW.plusSeconds(1000))));
    github.stubFor(get(urlEqualTo(PR)).withHeader("Authorization", equalTo("Bearer plenty"))
        .willReturn(json(200, openPr(7), 4900, NOW.plusSeconds(1000))));
    MeteredConnector connector = new MeteredConnector(new HttpClientGitHubConnector(HttpClient.newHttpClient()),
        URI.create(github.baseUrl()), Duration.ofSeconds(10), counter, GitHubFixtures.clock(), sleeper);
    connector.budgets(header -> header.endsWith("low") ? "installation 1" : "installation 2",
        new ContentPacer(ContentPacer.Limits.GITHUB_COM, GitHubFixtures.clock()));
    GitHubClient client = new GitHubClient(connector, URI.create(github.baseUrl()), new ObjectMapper());

    client.send(GitHubClient.Request.get("GET /repos/{owner}/{repo}/pulls/{number}", PR).auth("Bearer low"));
    client.send(GitHubClient.Request.get("GET /repos/{owner}/{repo}/pulls/{number}", PR).auth("Bearer plenty"));
    client.send(GitHubClient.Request.get("GET /repos/{owner}/{repo}/pulls/{number}", PR).auth("Bearer plenty"));
    assertThat(sleeper.waits).isEmpty();

    client.send(GitHubClient.Request.get("GET /repos/{owner}/{repo}/pulls/{number}", PR).auth("Bearer low"));
    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(10));
  }

  @Test
  void aGraphQlAnswerOfTypeRateLimitedIsWaitedOutThenAskedAgain() {
    String graphql = "/graphql";
    github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(graphql)).inScenario("points").whenScenarioStateIs(STARTED)
        .willReturn(json(200, "{\"errors\":[{\"type\":\"RATE_LIMITED\",\"message\":\"API rate limit exceeded for installation ID 777.\"}]}",
            0, NOW.plusSeconds(300)).withHeader("X-RateLimit-Resource", "graphql"))
        .willSetStateTo("reset"));
    github.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(graphql)).inScenario("points").whenScenarioStateIs("reset")
        .willReturn(json(200, "{\"data\":{}}")));
    MeteredConnector connector = new MeteredConnector(new HttpClientGitHubConnector(HttpClient.newHttpClient()),
        URI.create(github.baseUrl()), Duration.ofSeconds(10), counter, GitHubFixtures.clock(), sleeper);
    GitHubClient client = new GitHubClient(connector, URI.create(github.baseUrl()), new ObjectMapper());

    client.send(GitHubClient.Request.post("POST /graphql", github.baseUrl() + graphql,
        new ObjectMapper().createObjectNode().put("query", "query { viewer { login } }")).auth("Bearer t"));

    assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(301));
    github.verify(2, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(graphql)));
  }
}
