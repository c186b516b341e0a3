package dev.flotilla.controller.hygiene;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.hygiene.Secrets.DASHBOARD_TOKEN;
import static dev.flotilla.controller.hygiene.Secrets.DB_PASSWORD;
import static dev.flotilla.controller.hygiene.Secrets.GIT_TOKEN;
import static dev.flotilla.controller.hygiene.Secrets.WEBHOOK_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.config.Settings;
import dev.flotilla.controller.exec.k8s.JobRenderer;
import dev.flotilla.controller.exec.k8s.KubernetesExecutorConfig;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.forge.github.ApiCallCounter;
import dev.flotilla.controller.forge.github.EtagCache;
import dev.flotilla.controller.forge.github.GitHubConfig;
import dev.flotilla.controller.forge.github.GitHubForge;
import dev.flotilla.controller.forge.github.GitHubWebhookHandler;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.view.DashboardWiring;
import dev.flotilla.dashboard.DashboardConfig;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunRequest.Credential;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recognisable secrets configured everywhere Flotilla takes one, a campaign run through success and
 * failure, then every surface searched: API and page responses, metrics, every database column, Job
 * objects, every log line and every exception message.
 */
class SecretHygieneIT {

  static final String CAMPAIGN = """
      apiVersion: flotilla.dev/v1
      kind: Campaign
      metadata: {name: jackson}
      spec:
        migration: maven-dependency-version
        parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
        automerge: true
      """;
  static final String POM = """
      <project>
        <modelVersion>4.0.0</modelVersion>
        <groupId>com.acme</groupId>
        <artifactId>svc</artifactId>
        <version>1.0.0</version>
        <dependencies>
          <dependency>
            <groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-databind</artifactId>
            <version>2.15.2</version>
          </dependency>
        </dependencies>
      </project>
      """;
  static final String TOKEN_VARIABLE = "FLOTILLA_TEST_GIT_TOKEN";
  /** A CI script that prints its whole environment, and the names in it on one line that the summary keeps. */
  static final String ENV_CI = """
      #!/bin/sh
      env
      env | grep SECRET
      echo "names: $(env | cut -d= -f1 | sort | tr '\\n' ' ')"
      echo all tests passed
      """;

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path tmp;
  Secrets secrets;
  HttpServer gitServer;
  final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void configureSecrets() throws Exception {
    secrets = new Secrets();
    gitServer = rejectingGitServer();
  }

  @AfterEach
  void release() {
    gitServer.stop(0);
    secrets.close();
  }

  @Test
  void campaignThroughSuccessAndFailureLeavesNoSecretInResponsesRowsOrLogs() throws Exception {
    Path tokenFile = Files.writeString(tmp.resolve("git-token"), GIT_TOKEN + "\n");
    String remote = "http://127.0.0.1:" + gitServer.getAddress().getPort();
    Map<String, RepositoryRef> remoteRepos = Map.of(
        "gone", new RepositoryRef("acme", "gone", "main", remote + "/acme/gone.git", remote + "/acme/gone"),
        "denied", new RepositoryRef("acme", "denied", "main", remote + "/acme/denied.git", remote + "/acme/denied"));
    try (Engine engine = new Engine(tmp, local -> new CredentialedForge(local, remoteRepos, tokenFile),
        CredentialResolver.withEnvironment(Map.of(TOKEN_VARIABLE, GIT_TOKEN)))) {
      engine.repos.create("acme", "svc", "main", Map.of("pom.xml", POM, "ci.sh", ENV_CI, ".flotilla.yaml", Engine.AUTOMERGE));
      engine.repos.create("acme", "flaky", "main", Map.of("pom.xml", POM, "ci.sh", Engine.RED_CI, ".flotilla.yaml", Engine.AUTOMERGE));
      engine.apply(CAMPAIGN);
      engine.settle("jackson");

      assertThat(engine.changeset("jackson", "acme", "svc").state()).isEqualTo(ChangesetState.MERGED);
      assertThat(engine.changeset("jackson", "acme", "flaky").state()).isEqualTo(ChangesetState.CI_FAILED);
      for (String failing : remoteRepos.keySet()) {
        var changeset = engine.changeset("jackson", "acme", failing);
        assertThat(changeset.state()).as(failing).isEqualTo(ChangesetState.FAILED);
        assertThat(changeset.lastError()).as(failing).contains("acme/" + failing);
      }
      assertThat(System.getenv(Secrets.ENVIRONMENT_CANARY_VARIABLE)).as("the controller's environment holds a secret")
          .isEqualTo(Secrets.ENVIRONMENT_CANARY);
      assertCiSawOnlyAMinimalEnvironment(engine);
      assertThat(authorizationsSeen).as("the runner really sent the token, so the search below can find it")
          .anyMatch(seen -> seen.contains(GIT_TOKEN));

      searchDashboard(engine);
      searchDatabase(engine);
    }
    searchConfiguration();
    assertThat(secrets.logEvents()).isPositive();
    secrets.assertNoneLeaked();
  }

  @Test
  void gitHubForgeFailingWithBadCredentialsAndServerErrorsNamesNoSecret() throws Exception {
    github.stubFor(any(anyUrl()).atPriority(5).willReturn(aResponse().withStatus(500)
        .withHeader("Content-Type", "application/json").withBody("{\"message\": \"Server Error\"}")));
    Path key = Files.writeString(tmp.resolve("app.pem"), secrets.appKeyPem);
    GitHubForge withToken = gitHub(GitHubConfig.from(Settings.from(Map.of(
        "FLOTILLA_FORGE", "github", "FLOTILLA_GITHUB_URL", github.baseUrl(), "FLOTILLA_GITHUB_TOKEN", GIT_TOKEN,
        "FLOTILLA_GITHUB_ORGS", "acme", "FLOTILLA_GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET))));
    GitHubForge withApp = gitHub(GitHubConfig.from(Settings.from(Map.of(
        "FLOTILLA_FORGE", "github", "FLOTILLA_GITHUB_URL", github.baseUrl(), "FLOTILLA_GITHUB_APP_ID", "12345",
        "FLOTILLA_GITHUB_APP_KEY_FILE", key.toString(), "FLOTILLA_GITHUB_ORGS", "acme"))));
    RepositoryRef repo = new RepositoryRef("acme", "svc", "main", "https://github.com/acme/svc.git", "https://github.com/acme/svc");

    for (int status : new int[] {401, 500}) {
      github.resetAll();
      github.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
          .withBody("{\"message\": \"" + (status == 401 ? "Bad credentials" : "Server Error") + "\"}")));
      for (GitHubForge forge : List.of(withToken, withApp)) {
        secrets.saw("forge toString", forge.toString());
        List<Supplier<Object>> calls = List.of(
            forge::listRepositories,
            () -> forge.getPullRequest(repo, 7),
            () -> forge.openPullRequest(repo, new PullRequestSpec("flotilla/jackson", "main", "t", "b", List.of(), List.of())),
            () -> forge.ciStatus(repo, "0123456789abcdef0123456789abcdef01234567"),
            () -> forge.merge(repo, 7, "0123456789abcdef0123456789abcdef01234567", MergeMethod.SQUASH),
            () -> forge.runCredential(repo));
        int failures = 0;
        for (Supplier<Object> call : calls) {
          try {
            secrets.saw("GitHub forge result on " + status, String.valueOf(call.get()));
          } catch (RuntimeException e) {
            failures++;
            secrets.saw("GitHub forge exception on " + status, e);
          }
        }
        assertThat(failures).as("calls failing on %d", status).isPositive();
      }
    }
    secrets.assertNoneLeaked();
  }

  /** Backoff and rate-limit waits recorded rather than slept, so retries cost the test no time. */
  private static GitHubForge gitHub(GitHubConfig config) {
    return GitHubForge.create(config, ApiCallCounter.NONE, new EtagCache(), Clock.systemUTC(), duration -> { },
        Duration.ofSeconds(5));
  }

  @Test
  void runObjectsCarryTheTokenOnlyInTheirSecret() {
    JobRenderer renderer = new JobRenderer(KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_K8S_NAMESPACE", "fleet")));
    RunRequest request = new RunRequest("jackson", "acme/svc", "maven-dependency-version", Map.of("version", "2.18.2"),
        "https://github.com/acme/svc.git", "main", "flotilla/jackson", null,
        Credential.env(GitHubForge.RUN_TOKEN_ENV, GitHubForge.GIT_USERNAME), null);

    JobRenderer.RunObjects objects = renderer.render("jackson/acme/svc#1", request, Optional.of(GIT_TOKEN));

    assertThat(objects.hasToken()).as("the token is in the Secret, which is the Secret's job").isTrue();
    assertThat(Serialization.asYaml(objects.run())).contains(GIT_TOKEN);
    secrets.saw("Job", Serialization.asYaml(objects.job()));
    secrets.saw("request", objects.request());
    secrets.saw("redacted Secret", Serialization.asYaml(JobRenderer.redacted(objects.run())));
    secrets.assertNoneLeaked();
  }

  /** A git server over HTTP that asks for credentials, then refuses them, echoing what it was sent. */
  private HttpServer rejectingGitServer() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      byte[] body;
      if (authorization == null) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        body = "authentication required\n".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(401, body.length);
      } else {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())), StandardCharsets.UTF_8);
        authorizationsSeen.add(decoded);
        boolean denied = exchange.getRequestURI().getPath().contains("denied");
        // A careless server (or proxy) repeats the credential it refuses: the runner must not pass it on.
        body = ("no access for " + decoded + " (" + authorization + ")\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(denied ? 403 : 401, body.length);
      }
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private void searchDashboard(Engine engine) throws Exception {
    List<String> hooks = new CopyOnWriteArrayList<>();
    DashboardConfig config = DashboardConfig.defaults().withToken(DASHBOARD_TOKEN);
    secrets.saw("dashboard config toString", config.toString());
    try (var dashboard = DashboardWiring.start(engine.controller, DashboardWiring.metrics(engine.jdbc), config,
        Map.of(GitHubWebhookHandler.PATH, new GitHubWebhookHandler(Secret.of(WEBHOOK_SECRET), event -> hooks.add(event.toString()))))) {
      URI base = dashboard.url();
      long failedId = engine.changeset("jackson", "acme", "gone").id();
      for (String path : List.of("", "api/session", "metrics", "api/campaigns", "api/campaigns/jackson",
          "api/campaigns/jackson/changesets", "api/campaigns/jackson/changesets?state=FAILED",
          "api/campaigns/jackson/burndown", "api/repos/acme/gone", "api/repos/acme/denied", "api/repos/acme/svc",
          "api/attention", "static/app.js", "api/nothing-here")) {
        search("GET /" + path, request(base, "GET", path, DASHBOARD_TOKEN, null, null));
      }
      List<String> mutations = List.of("api/campaigns/jackson/pause", "api/campaigns/jackson/resume",
          "api/campaigns/jackson/retry-failed", "api/changesets/" + failedId + "/retry", "api/rescan");
      var campaignsBefore = engine.controller.fleet().campaigns().all();
      for (String path : mutations) {
        for (String token : new String[] {null, DASHBOARD_TOKEN.substring(0, DASHBOARD_TOKEN.length() - 1)}) {
          HttpResponse<String> refused = request(base, "POST", path, token, "{}", null);
          assertThat(refused.statusCode()).as("POST /%s with %s token", path, token == null ? "no" : "a wrong")
              .isIn(401, 403);
          search("POST /" + path + " refused", refused);
        }
        HttpResponse<String> foreign = request(base, "POST", path, DASHBOARD_TOKEN, "{}", "https://elsewhere.example");
        assertThat(foreign.statusCode()).as("POST /%s from a foreign page", path).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).as("POST /%s CORS", path).isEmpty();
        search("POST /" + path + " from a foreign page", foreign);
      }
      HttpResponse<String> oversized = request(base, "POST", "api/campaigns/jackson/pause", DASHBOARD_TOKEN,
          "{\"reason\": \"" + "x".repeat(DashboardConfig.defaults().maxBodyBytes() + 1) + "\"}", null);
      assertThat(oversized.statusCode()).as("a body over the limit").isEqualTo(413);
      assertThat(engine.controller.fleet().campaigns().all()).as("no refused request changed anything")
          .isEqualTo(campaignsBefore);
      assertThat(engine.changeset("jackson", "acme", "gone").state()).isEqualTo(ChangesetState.FAILED);
      search("POST pause", request(base, "POST", "api/campaigns/jackson/pause", DASHBOARD_TOKEN, "{}", null));
      search("POST resume", request(base, "POST", "api/campaigns/jackson/resume", DASHBOARD_TOKEN, "{}", null));

      String ping = "{\"zen\": \"Keep it logically awesome.\", \"hook_id\": 1}";
      search("webhook wrongly signed", webhook(base, ping, "sha256=" + "0".repeat(64), "delivery-1"));
      search("webhook signed", webhook(base, ping, sign(ping), "delivery-2"));
      search("webhook replayed", webhook(base, ping, sign(ping), "delivery-2"));
      hooks.forEach(event -> secrets.saw("webhook event", event));
    }
  }

  private HttpResponse<String> webhook(URI base, String body, String signature, String delivery) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(GitHubWebhookHandler.PATH.substring(1)))
        .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", delivery).header("X-Hub-Signature-256", signature)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String sign(String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> request(URI base, String method, String path, String token, String body, String origin)
      throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    if (origin != null) {
      builder.header("Origin", origin);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void search(String where, HttpResponse<String> response) {
    secrets.saw(where + " -> " + response.statusCode(), response.headers().map() + "\n" + response.body());
  }

  /** Every column of every row of every table, Flotilla's and the scheduler's. */
  private static void assertCiSawOnlyAMinimalEnvironment(Engine engine) throws Exception {
    String summary;
    try (Connection connection = engine.db.dataSource().getConnection();
        var statement = connection.prepareStatement("SELECT summary FROM local_check WHERE repository = ?")) {
      statement.setString(1, "acme/svc");
      try (ResultSet rows = statement.executeQuery()) {
        assertThat(rows.next()).as("a CI run of acme/svc").isTrue();
        summary = rows.getString(1);
      }
    }
    String names = summary.lines().filter(line -> line.startsWith("names: ")).findFirst().orElseThrow();
    // The shell adds PWD, SHLVL, OLDPWD and _ itself; everything else must be what Flotilla chose
    // (CI_COMMIT_BRANCH tells a build on the default branch after a merge from one on a pull request).
    assertThat(names.substring("names: ".length()).trim().split(" "))
        .as(summary)
        .containsAnyOf("CI")
        .isSubsetOf("CI", "CI_COMMIT_BRANCH", "HOME", "LANG", "PATH", "TMPDIR", "PWD", "SHLVL", "OLDPWD", "_");
    assertThat(summary).contains("CI=true");
  }

  private void searchDatabase(Engine engine) throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection connection = engine.db.dataSource().getConnection();
        ResultSet rs = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
    }
    assertThat(tables).contains("repository", "changeset", "changeset_event", "local_check", "audit_event");
    int cells = 0;
    try (Connection connection = engine.db.dataSource().getConnection()) {
      for (String table : tables) {
        try (var statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
          ResultSetMetaData meta = rows.getMetaData();
          while (rows.next()) {
            for (int column = 1; column <= meta.getColumnCount(); column++) {
              Object value = rows.getObject(column);
              String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : String.valueOf(value);
              secrets.saw("table " + table + "." + meta.getColumnName(column), text);
              cells++;
            }
          }
        }
      }
    }
    assertThat(cells).isGreaterThan(100);
  }

  /** The settings as the controller prints them at start, and the store's description of itself. */
  private void searchConfiguration() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "FLOTILLA_GITHUB_TOKEN", GIT_TOKEN, "FLOTILLA_GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET,
        "FLOTILLA_DASHBOARD_TOKEN", DASHBOARD_TOKEN, "FLOTILLA_DB_PASSWORD", DB_PASSWORD,
        "FLOTILLA_DB_URL", "jdbc:postgresql://db.example:5432/flotilla?user=flotilla&password=" + DB_PASSWORD,
        "FLOTILLA_DB_USER", "flotilla"));
    Settings settings = Settings.from(env);
    secrets.saw("settings toString", settings.toString());
    secrets.saw("GitHub config toString", GitHubConfig.from(settings).toString());
    secrets.saw("dashboard config from settings", DashboardWiring.config(settings, env).toString());
    assertThat(settings.toString()).as("the settings print something to search").contains("FLOTILLA_DB_URL");
  }

  /**
   * The local forge, with the runner's credential coming from the environment or a mounted file, and a
   * few repositories served by a git server over HTTP that refuses the credential.
   */
  private record CredentialedForge(Forge local, Map<String, RepositoryRef> remote, Path tokenFile) implements Forge {

    @Override
    public String name() {
      return local.name();
    }

    @Override
    public List<RepositoryRef> listRepositories() {
      List<RepositoryRef> all = new ArrayList<>(local.listRepositories());
      all.addAll(remote.values());
      return all;
    }

    @Override
    public Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> repositories) {
      Map<RepositoryRef, String> files = new HashMap<>(local.readOptInFiles(
          repositories.stream().filter(r -> !remote.containsValue(r)).toList()));
      repositories.stream().filter(remote::containsValue).forEach(r -> files.put(r, Engine.AUTOMERGE));
      return files;
    }

    @Override
    public Credential runCredential(RepositoryRef repository) {
      return repository.name().equals("denied")
          ? Credential.file(tokenFile.toString(), null)
          : Credential.env(TOKEN_VARIABLE, "x-access-token");
    }

    @Override
    public Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch) {
      return local.findOpenPullRequest(repository, branch);
    }

    @Override
    public PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec) {
      return local.openPullRequest(repository, spec);
    }

    @Override
    public PullRequest getPullRequest(RepositoryRef repository, int number) {
      return local.getPullRequest(repository, number);
    }

    @Override
    public void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec) {
      local.updatePullRequest(repository, number, spec);
    }

    @Override
    public void closePullRequest(RepositoryRef repository, int number, String comment) {
      local.closePullRequest(repository, number, comment);
    }

    @Override
    public java.util.List<String> requiredChecks(RepositoryRef repository) {
      return local.requiredChecks(repository);
    }

    @Override
    public CiStatus ciStatus(RepositoryRef repository, String headSha) {
      return local.ciStatus(repository, headSha);
    }

    @Override
    public MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method) {
      return local.merge(repository, number, expectedHeadSha, method);
    }

    @Override
    public void deleteBranch(RepositoryRef repository, String branch) {
      local.deleteBranch(repository, branch);
    }
  }
}
