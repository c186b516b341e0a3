package dev.flotilla.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static final String HOME = System.getProperty("user.home");

  @Test
  void appliesTheDocumentedDefaults() {
    Settings settings = Settings.from(Map.of());

    assertThat(settings.dataDir()).isEqualTo(Path.of(HOME, ".flotilla"));
    assertThat(settings.dbUrl()).isEmpty();
    assertThat(settings.forge()).isEqualTo(Settings.ForgeKind.LOCAL);
    assertThat(settings.localForgeDir()).isEqualTo(Path.of(HOME, ".flotilla", "forge"));
    assertThat(settings.campaignsDir()).isEqualTo(Path.of(HOME, ".flotilla", "campaigns"));
    assertThat(settings.ciCommand()).isEqualTo("./ci.sh");
    assertThat(settings.ciTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.discoveryInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.executor()).isEqualTo(Settings.ExecutorKind.LOCAL);
    assertThat(settings.localConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(settings.globalConcurrentRuns()).isEqualTo(50);
    assertThat(settings.maxOpenPrsPerRepo()).isEqualTo(3);
    assertThat(settings.dashboardPort()).isEqualTo(8080);
    assertThat(settings.dashboardBind()).isEqualTo("127.0.0.1");
    assertThat(settings.dashboardToken()).isEmpty();
    assertThat(settings.dashboardUrl()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(settings.githubUrl()).isEqualTo(URI.create("https://api.github.com"));
    assertThat(settings.githubOrgs()).isEmpty();
    assertThat(settings.githubIncludeForks()).isFalse();
    assertThat(settings.k8sNamespace()).isEqualTo("flotilla");
    assertThat(settings.runnerImage()).isEmpty();
    assertThat(settings.runnerCpu()).isEqualTo("500m");
    assertThat(settings.runnerMemory()).isEqualTo("512Mi");
    assertThat(settings.runnerDeadline()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void readsGivenValuesAndDerivesDependentDefaultsFromThem() {
    Settings settings =
        Settings.from(
            Map.of(
                "FLOTILLA_DATA_DIR", "/var/lib/flotilla",
                "FLOTILLA_DASHBOARD_PORT", "9090",
                "FLOTILLA_CI_TIMEOUT", "PT5M",
                "FLOTILLA_GITHUB_ORGS", " acme, payments ,,acme",
                "FLOTILLA_FORGE", "GitHub",
                "FLOTILLA_GITHUB_TOKEN", "ghp_abc",
                "FLOTILLA_GITHUB_INCLUDE_FORKS", "TRUE",
                "FLOTILLA_EXECUTOR", "kubernetes",
                "FLOTILLA_RUNNER_IMAGE", "ghcr.io/acme/flotilla-runner:1.0"));

    assertThat(settings.localForgeDir()).isEqualTo(Path.of("/var/lib/flotilla/forge"));
    assertThat(settings.campaignsDir()).isEqualTo(Path.of("/var/lib/flotilla/campaigns"));
    assertThat(settings.dashboardUrl()).isEqualTo(URI.create("http://localhost:9090"));
    assertThat(settings.ciTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.githubOrgs()).containsExactly("acme", "payments");
    assertThat(settings.forge()).isEqualTo(Settings.ForgeKind.GITHUB);
    assertThat(settings.githubToken()).map(Secret::reveal).contains("ghp_abc");
    assertThat(settings.githubIncludeForks()).isTrue();
    assertThat(settings.executor()).isEqualTo(Settings.ExecutorKind.KUBERNETES);
    assertThat(settings.isGiven(Settings.DATA_DIR)).isTrue();
    assertThat(settings.isGiven(Settings.CAMPAIGNS_DIR)).isFalse();
  }

  @Test
  void treatsAnEmptyValueAsUnset() {
    Settings settings =
        Settings.from(Map.of("FLOTILLA_DB_URL", "", "FLOTILLA_DASHBOARD_PORT", " "));

    assertThat(settings.dbUrl()).isEmpty();
    assertThat(settings.dashboardPort()).isEqualTo(8080);
  }

  @Test
  void reportsEveryBadValueWithItsNameAndValue() {
    assertThatThrownBy(
            () ->
                Settings.from(
                    Map.of(
                        "FLOTILLA_CI_TIMEOUT", "ten minutes",
                        "FLOTILLA_DASHBOARD_PORT", "80800",
                        "FLOTILLA_FORGE", "gitlab",
                        "FLOTILLA_LOCAL_CONCURRENCY", "0",
                        "FLOTILLA_RUNNER_MEMORY", "1GB",
                        "FLOTILLA_DASHBOARD_URL", "flotilla.example.com")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.file()).isEqualTo("environment");
              assertThat(e.problems())
                  .extracting(ConfigException.Problem::message)
                  .containsExactly(
                      "FLOTILLA_FORGE='gitlab' must be one of local, github",
                      "FLOTILLA_CI_TIMEOUT='ten minutes' is not a duration such as 30s, 10m, 2h,"
                          + " 3d, 1h30m or ISO-8601 PT10M",
                      "FLOTILLA_LOCAL_CONCURRENCY='0' must be a whole number of at least 1",
                      "FLOTILLA_DASHBOARD_PORT='80800' must be a port number from 0 to 65535 (0"
                          + " picks a free port)",
                      "FLOTILLA_DASHBOARD_URL='flotilla.example.com' must be an http or https URL"
                          + " such as https://flotilla.example.com",
                      "FLOTILLA_RUNNER_MEMORY='1GB' must be a Kubernetes quantity such as 500m, 2,"
                          + " 512Mi or 1Gi");
            });
  }

  @Test
  void saysWhenAGivenValueBreaksADerivedDefault() {
    assertThatThrownBy(() -> Settings.from(Map.of("FLOTILLA_DASHBOARD_PORT", "0x50")))
        .hasMessageContaining("FLOTILLA_DASHBOARD_PORT='0x50' must be a port number");
  }

  @Test
  void requiresCredentialsForGithubAndAnImageForKubernetes() {
    assertThatThrownBy(
            () ->
                Settings.from(
                    Map.of(
                        "FLOTILLA_FORGE",
                        "github",
                        "FLOTILLA_EXECUTOR",
                        "kubernetes",
                        "FLOTILLA_GITHUB_APP_KEY_FILE",
                        "/k.pem")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException.Problem::message)
                    .containsExactly(
                        "FLOTILLA_FORGE=github needs credentials: set FLOTILLA_GITHUB_TOKEN, or"
                            + " FLOTILLA_GITHUB_APP_ID and FLOTILLA_GITHUB_APP_KEY_FILE",
                        "FLOTILLA_GITHUB_APP_ID and FLOTILLA_GITHUB_APP_KEY_FILE go together; set"
                            + " both or neither",
                        "FLOTILLA_EXECUTOR=kubernetes needs FLOTILLA_RUNNER_IMAGE, the runner's"
                            + " container image"));
  }

  @Test
  void reportsSettingsThatDoNotGoTogetherAlongsideBadValues() {
    assertThatThrownBy(
            () ->
                Settings.from(
                    Map.of("FLOTILLA_CI_TIMEOUT", "ten minutes", "FLOTILLA_FORGE", "github")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
        .hasMessageContaining("FLOTILLA_FORGE=github needs credentials");
  }

  @Test
  void acceptsAGithubAppInsteadOfAToken() {
    Settings settings =
        Settings.from(
            Map.of(
                "FLOTILLA_FORGE",
                "github",
                "FLOTILLA_GITHUB_APP_ID",
                "12345",
                "FLOTILLA_GITHUB_APP_KEY_FILE",
                "~/app.pem"));

    assertThat(settings.githubAppId()).contains(12345L);
    assertThat(settings.githubAppKeyFile()).contains(Path.of(HOME, "app.pem"));
  }

  @Test
  void neverShowsSecretsInDescriptionsOrErrors() {
    Map<String, String> env =
        Map.of(
            "FLOTILLA_GITHUB_TOKEN", "ghp_supersecret",
            "FLOTILLA_DB_PASSWORD", "hunter2",
            "FLOTILLA_GITHUB_WEBHOOK_SECRET", "whsec",
            "FLOTILLA_DB_URL", "jdbc:postgresql://db/flotilla?user=f&password=pgsecret",
            "FLOTILLA_DASHBOARD_PORT", "bad");

    assertThatThrownBy(() -> Settings.from(env))
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("ghp_supersecret", "hunter2", "whsec", "pgsecret"));

    Settings settings =
        Settings.from(
            Map.of(
                "FLOTILLA_GITHUB_TOKEN",
                "ghp_supersecret",
                "FLOTILLA_DB_PASSWORD",
                "hunter2",
                "FLOTILLA_DB_URL",
                "jdbc:postgresql://f:pgsecret@db/flotilla?password=pgsecret"));
    String description = settings.describe();
    assertThat(description)
        .doesNotContain("ghp_supersecret", "hunter2", "pgsecret")
        .contains(
            "FLOTILLA_GITHUB_TOKEN=<set>",
            "FLOTILLA_DASHBOARD_TOKEN=<unset>",
            "FLOTILLA_DB_PASSWORD=<set>")
        .contains("FLOTILLA_DB_URL=jdbc:postgresql://f:<hidden>@db/flotilla?password=<hidden>");
    assertThat(settings.toString()).isEqualTo(description);
    assertThat(settings.githubToken().orElseThrow()).hasToString("<hidden>");
  }

  @Test
  void describesEverySettingOnceMarkingDefaults() {
    String description = Settings.from(Map.of("FLOTILLA_POLL_INTERVAL", "1m")).describe();

    assertThat(description.lines()).hasSize(Settings.ALL.size());
    assertThat(description.lines())
        .contains(
            "FLOTILLA_POLL_INTERVAL=1m",
            "FLOTILLA_CI_TIMEOUT=10m (default)",
            "FLOTILLA_FORGE=local (default)",
            "FLOTILLA_DB_URL=<unset> (default)",
            "FLOTILLA_GITHUB_ORGS= (default)");
  }

  @Test
  void namesEverySettingWithTheFlotillaPrefixOnce() {
    List<String> names = Settings.ALL.stream().map(Setting::env).toList();

    assertThat(names).allMatch(n -> n.startsWith("FLOTILLA_")).doesNotHaveDuplicates();
    assertThat(Settings.ALL.stream().filter(Setting::secret).map(Setting::env))
        .containsExactlyInAnyOrder(
            "FLOTILLA_DB_PASSWORD",
            "FLOTILLA_DASHBOARD_TOKEN",
            "FLOTILLA_GITHUB_TOKEN",
            "FLOTILLA_GITHUB_WEBHOOK_SECRET",
            "FLOTILLA_BACKSTAGE_TOKEN",
            "FLOTILLA_MAVEN_REPOSITORY_PASSWORD");
  }

  @Test
  void startsWithUnknownFlotillaVariables() {
    assertThat(Settings.from(Map.of("FLOTILLA_GITHUB_TOKN", "x")).githubToken()).isEmpty();
  }
}
