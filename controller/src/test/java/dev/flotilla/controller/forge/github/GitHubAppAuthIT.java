package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.forge.github.GitHubFixtures.NOW;
import static dev.flotilla.controller.forge.github.GitHubFixtures.REPO;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static dev.flotilla.controller.forge.github.GitHubFixtures.openPr;
import static dev.flotilla.controller.forge.github.GitHubFixtures.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Workspace;
import dev.flotilla.runner.RunRequest;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GitHubAppAuthIT {

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final String INSTALLATION_TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
  static final String RUN_TOKEN = "ghs_runTokenForOneRepository000000000000";
  static final String WORKFLOW_TOKEN = "ghs_runTokenWithWorkflowsWrite0000000000";
  private static KeyPair keys;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(NOW);
  private GitHubForge forge;

  /** A clock tests move forward. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeAll
  static void generateKey() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
  }

  @BeforeEach
  void setUp() throws IOException {
    forge = forgeWithKey(writePkcs1Key());
    // hub4j reads the App once before listing its installations.
    github.stubFor(get(urlEqualTo("/app")).willReturn(json(200, """
        {"id": 12345, "slug": "flotilla", "name": "Flotilla", "owner": {"login": "acme", "id": 42, "type": "Organization"},
         "permissions": {"contents": "write"}, "events": []}
        """)));
    github.stubFor(get(urlEqualTo("/app/installations?per_page=100")).willReturn(json(200, """
        [{"id": 777, "account": {"login": "acme", "id": 42, "type": "Organization"}, "repository_selection": "all",
          "app_id": 12345, "target_type": "Organization", "permissions": {"contents": "write", "metadata": "read",
          "pull_requests": "write", "checks": "read", "statuses": "read"}, "events": ["pull_request", "check_run"]}]
        """)));
    github.stubFor(post(urlEqualTo("/app/installations/777/access_tokens"))
        .withRequestBody(equalToJson("{\"repositories\": [\"payments\"], \"permissions\": {\"contents\": \"write\"}}"))
        .atPriority(1)
        .willReturn(json(201, token(RUN_TOKEN, "selected"))));
    github.stubFor(post(urlEqualTo("/app/installations/777/access_tokens")).atPriority(5)
        .willReturn(json(201, token(INSTALLATION_TOKEN, "all"))));
    github.stubFor(get(urlEqualTo("/installation/repositories?per_page=100")).willReturn(json(200,
        "{\"total_count\": 1, \"repository_selection\": \"all\", \"repositories\": ["
            + repo("acme", "payments", false, false, 300, "2026-01-04T08:00:00Z") + "]}")));
    github.stubFor(get(urlEqualTo("/repos/acme/payments/pulls/7")).willReturn(json(200, openPr(7))));
  }

  private static String token(String value, String selection) {
    return """
        {"token": "%s", "expires_at": "%s", "permissions": {"contents": "write"}, "repository_selection": "%s"}
        """.formatted(value, NOW.plus(Duration.ofHours(1)), selection);
  }

  private GitHubForge forgeWithKey(Path key) {
    GitHubConfig config =
        new GitHubConfig(URI.create(github.baseUrl()), null, 12345L, key, List.of("acme"), false, null, null);
    return GitHubForge.create(config, ApiCallCounter.NONE, new EtagCache(), clock, new GitHubFixtures.RecordingSleeper(),
        Duration.ofSeconds(10));
  }

  /** GitHub hands App keys out as PKCS#1 ("BEGIN RSA PRIVATE KEY"); the JDK's PKCS#8 adds a 26-byte header. */
  private Path writePkcs1Key() throws IOException {
    byte[] pkcs8 = keys.getPrivate().getEncoded();
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    return writePem("RSA PRIVATE KEY", pkcs1);
  }

  private Path writePem(String type, byte[] der) throws IOException {
    String pem = "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
    return Files.writeString(dir.resolve(type.replace(' ', '-') + ".pem"), pem);
  }

  @Test
  void discoversTheInstallationsRepositoriesWithAnInstallationToken() {
    assertThat(forge.listRepositories()).extracting(r -> r.fullName()).containsExactly("acme/payments");

    LoggedRequest installations = github.findAll(getRequestedFor(urlEqualTo("/app/installations?per_page=100"))).get(0);
    String jwt = installations.getHeader("Authorization").substring("Bearer ".length());
    var claims = Jwts.parser().verifyWith(keys.getPublic()).clock(() -> java.util.Date.from(NOW)).build()
        .parseSignedClaims(jwt).getPayload();
    assertThat(claims.getIssuer()).isEqualTo("12345");
    assertThat(claims.getExpiration().toInstant()).isBeforeOrEqualTo(NOW.plus(Duration.ofMinutes(10)));
    github.verify(getRequestedFor(urlEqualTo("/installation/repositories?per_page=100"))
        .withHeader("Authorization", equalTo("Bearer " + INSTALLATION_TOKEN)));
  }

  @Test
  void mintsARunTokenForOneRepositoryWithContentsWriteOnly() {
    assertThat(forge.mintRunToken(REPO)).contains(RUN_TOKEN);

    github.verify(postRequestedFor(urlEqualTo("/app/installations/777/access_tokens"))
        .withRequestBody(equalToJson("{\"repositories\": [\"payments\"], \"permissions\": {\"contents\": \"write\"}}")));
  }

  @Test
  void mintsARunTokenWithWorkflowsWriteOnlyForARunThatMayEditWorkflows() {
    github.stubFor(post(urlEqualTo("/app/installations/777/access_tokens"))
        .withRequestBody(equalToJson(
            "{\"repositories\": [\"payments\"], \"permissions\": {\"contents\": \"write\", \"workflows\": \"write\"}}"))
        .atPriority(1)
        .willReturn(json(201, token(WORKFLOW_TOKEN, "selected"))));
    Migrations migrations = Migrations.of(List.of(new EditsWorkflows(true), new EditsWorkflows(false)));

    assertThat(forge.mintRunToken(request("edits-workflows-true"), migrations)).contains(WORKFLOW_TOKEN);
    assertThat(forge.mintRunToken(request("edits-workflows-false"), migrations)).contains(RUN_TOKEN);
  }

  @Test
  void fallsBackToContentsOnlyWhenTheInstallationWasNotGrantedWorkflows() {
    // POST /app/installations/{installation_id}/access_tokens answers 422 when the permissions asked
    // for exceed the installation's (api.github.com OpenAPI description: "Validation failed").
    github.stubFor(post(urlEqualTo("/app/installations/777/access_tokens"))
        .withRequestBody(matchingJsonPath("$.permissions.workflows"))
        .atPriority(1)
        .willReturn(json(422, """
            {"message": "The permissions requested are not granted to this installation.",
             "documentation_url": "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app"}
            """)));

    assertThat(forge.mintRunToken(REPO, true)).contains(RUN_TOKEN);
  }

  /** A migration that says whether it edits workflows, and does nothing. */
  private record EditsWorkflows(boolean edits) implements Migration {
    @Override
    public String id() {
      return "edits-workflows-" + edits;
    }

    @Override
    public String title() {
      return id();
    }

    @Override
    public String description() {
      return id();
    }

    @Override
    public boolean editsWorkflows(Parameters parameters) {
      return edits;
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) {
      return Outcome.unchanged();
    }
  }

  private static RunRequest request(String migration) {
    return new RunRequest("bump", "acme/payments", migration, Map.of(), "https://github.com/acme/payments.git", "main",
        "flotilla/bump", null, null, null);
  }

  @Test
  void theRunCredentialPointsAtTheSecretChannelAndHoldsNoToken() {
    RunRequest.Credential credential = forge.runCredential(REPO);

    assertThat(credential).isEqualTo(RunRequest.Credential.env(GitHubForge.RUN_TOKEN_ENV, "x-access-token"));
    assertThat(credential.toString()).doesNotContain(INSTALLATION_TOKEN, RUN_TOKEN);
  }

  @Test
  void keepsTheInstallationTokenUntilFiveMinutesBeforeItExpires() {
    forge.getPullRequest(REPO, 7);
    forge.getPullRequest(REPO, 7);
    clock.advance(Duration.ofMinutes(54));
    forge.getPullRequest(REPO, 7);
    github.verify(1, postRequestedFor(urlEqualTo("/app/installations/777/access_tokens")));

    clock.advance(Duration.ofMinutes(2));
    forge.getPullRequest(REPO, 7);

    github.verify(2, postRequestedFor(urlEqualTo("/app/installations/777/access_tokens")));
    github.verify(4, getRequestedFor(urlEqualTo("/repos/acme/payments/pulls/7"))
        .withHeader("Authorization", equalTo("Bearer " + INSTALLATION_TOKEN)));
  }

  @Test
  void readsAKeyInPkcs8FormToo() throws IOException {
    forge = forgeWithKey(writePem("PRIVATE KEY", keys.getPrivate().getEncoded()));

    assertThat(forge.getPullRequest(REPO, 7).number()).isEqualTo(7);
  }

  @Test
  void aKeyFileThatIsNoKeyIsNamedWithoutItsContent() throws IOException {
    Path bad = Files.writeString(dir.resolve("app.pem"), "-----BEGIN RSA PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldA==\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> forgeWithKey(bad))
        .isInstanceOf(GitHubException.class)
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("FLOTILLA_GITHUB_APP_KEY_FILE")
        .hasMessageNotContaining("bm90LWEta2V5LXNlY3JldA");
  }

  @Test
  void configurationPrintsNoSecret() {
    GitHubConfig config = new GitHubConfig(URI.create("https://ghe.example.com/api/v3/"), Secret.of(GitHubFixtures.TOKEN), null, null,
        List.of("acme"), true, Secret.of(GitHubFixtures.WEBHOOK_SECRET), null);

    assertThat(config.toString()).doesNotContain(GitHubFixtures.TOKEN, GitHubFixtures.WEBHOOK_SECRET).contains("<hidden>");
    assertThat(config.url()).hasToString("https://ghe.example.com/api/v3");
  }
}
