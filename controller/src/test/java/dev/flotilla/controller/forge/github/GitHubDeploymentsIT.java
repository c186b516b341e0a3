package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.forge.github.GitHubFixtures.REPO;
import static dev.flotilla.controller.forge.github.GitHubFixtures.SHA;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.flotilla.controller.model.DeploymentStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deployment statuses of a merge commit, with bodies shaped as the examples of GitHub's OpenAPI description. */
class GitHubDeploymentsIT {

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final String PRODUCTION = "/repos/acme/payments/deployments?sha=" + SHA + "&environment=production&per_page=100";
  private static final String STAGING = "/repos/acme/payments/deployments?sha=" + SHA + "&environment=staging&per_page=100";

  private GitHubForge forge;

  @BeforeEach
  void setUp() {
    forge = GitHubFixtures.forge(github.baseUrl(), new GitHubFixtures.RecordingSleeper(), new GitHubFixtures.RecordingCounter());
  }

  /** One deployment as in {@code repos/list-deployments}'s example, trimmed to the fields read and a few more. */
  static String deployment(long id, String environment) {
    return """
        {"url": "https://api.github.com/repos/acme/payments/deployments/%1$d", "id": %1$d, "node_id": "MDEwOkRlcGxveW1lbnQx",
         "sha": "%2$s", "ref": "main", "task": "deploy", "payload": {}, "original_environment": "%3$s",
         "environment": "%3$s", "description": "Deploy request from hubot", "created_at": "2026-01-07T10:00:00Z",
         "statuses_url": "https://api.github.com/repos/acme/payments/deployments/%1$d/statuses",
         "transient_environment": false, "production_environment": true}
        """.formatted(id, SHA, environment);
  }

  /** One status as in {@code repos/list-deployment-statuses}'s example. */
  static String status(long id, String state, String description, String logUrl) {
    return """
        {"url": "https://api.github.com/repos/acme/payments/deployments/42/statuses/%1$d", "id": %1$d,
         "node_id": "MDE2OkRlcGxveW1lbnRTdGF0dXMx", "state": "%2$s", "description": "%3$s", "environment": "production",
         "target_url": "https://example.com/deployment/42/output", "created_at": "2026-01-07T10:00:00Z",
         "deployment_url": "https://api.github.com/repos/acme/payments/deployments/42", "log_url": %4$s}
        """.formatted(id, state, description, logUrl == null ? "null" : "\"" + logUrl + "\"");
  }

  @Test
  void readsTheNewestStatusOfTheNewestDeploymentInEachEnvironment() {
    github.stubFor(get(urlEqualTo(PRODUCTION)).willReturn(json(200, "[" + deployment(42, "production") + "," + deployment(41, "production") + "]")));
    github.stubFor(get(urlEqualTo("/repos/acme/payments/deployments/42/statuses?per_page=100")).willReturn(json(200,
        "[" + status(7, "failure", "health check failed", "https://example.com/deployment/42/output") + ","
            + status(6, "in_progress", "rolling out", null) + "]")));
    github.stubFor(get(urlEqualTo(STAGING)).willReturn(json(200, "[" + deployment(40, "staging") + "]")));
    github.stubFor(get(urlEqualTo("/repos/acme/payments/deployments/40/statuses?per_page=100")).willReturn(json(200,
        "[" + status(3, "success", "Deployment finished successfully.", null) + "]")));

    Map<String, DeploymentStatus> statuses = forge.deploymentStatuses(REPO, SHA, List.of("production", "staging"));

    assertThat(statuses).containsExactly(
        Map.entry("production", new DeploymentStatus("production", DeploymentStatus.State.FAILURE, "health check failed",
            "https://example.com/deployment/42/output")),
        // Without a log_url, the target_url says where the output is.
        Map.entry("staging", new DeploymentStatus("staging", DeploymentStatus.State.SUCCESS, "Deployment finished successfully.",
            "https://example.com/deployment/42/output")));
    github.verify(0, getRequestedFor(urlEqualTo("/repos/acme/payments/deployments/41/statuses?per_page=100")));
  }

  @Test
  void anEnvironmentWithNoDeploymentOrNoStatusYetIsAbsent() {
    github.stubFor(get(urlEqualTo(PRODUCTION)).willReturn(json(200, "[]")));
    github.stubFor(get(urlEqualTo(STAGING)).willReturn(json(200, "[" + deployment(40, "staging") + "]")));
    github.stubFor(get(urlEqualTo("/repos/acme/payments/deployments/40/statuses?per_page=100")).willReturn(json(200, "[]")));

    assertThat(forge.deploymentStatuses(REPO, SHA, List.of("production", "staging"))).isEmpty();
  }

  @Test
  void watchingNoEnvironmentCostsNoCall() {
    assertThat(forge.deploymentStatuses(REPO, SHA, List.of())).isEmpty();
    github.verify(0, getRequestedFor(urlPathMatching("/repos/.*")));
  }
}
