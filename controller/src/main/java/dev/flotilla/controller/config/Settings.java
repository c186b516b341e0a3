package dev.flotilla.controller.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's configuration, read once at start from {@code FLOTILLA_*} environment variables.
 * Every setting has a default or is optional; a bad value stops the start with the setting's name,
 * the value (never for secrets) and what to write instead, all problems at once.
 */
public final class Settings {

  private static final Logger log = LoggerFactory.getLogger(Settings.class);
  private static final String PREFIX = "FLOTILLA_";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(FLOTILLA_[A-Z_]+)}");

  /** Where forge data, pull requests and CI come from. */
  public enum ForgeKind {
    LOCAL,
    GITHUB
  }

  /** Where runs happen. */
  public enum ExecutorKind {
    LOCAL,
    KUBERNETES
  }

  /** Whether Campaign resources on the cluster are watched. */
  public enum CampaignResources {
    AUTO,
    ON,
    OFF
  }

  public static final Setting<Path> DATA_DIR =
      Setting.of(
          "FLOTILLA_DATA_DIR",
          "~/.flotilla",
          Setting::path,
          "Folder for the embedded database, the local forge and run work folders");
  public static final Setting<String> DB_URL =
      Setting.of(
          "FLOTILLA_DB_URL",
          null,
          Setting::text,
          "JDBC URL of PostgreSQL, such as jdbc:postgresql://db:5432/flotilla; unset runs an"
              + " embedded PostgreSQL in the data folder");
  public static final Setting<String> DB_USER =
      Setting.of("FLOTILLA_DB_USER", null, Setting::text, "Database user (with FLOTILLA_DB_URL)");
  public static final Setting<Secret> DB_PASSWORD =
      Setting.secret("FLOTILLA_DB_PASSWORD", "Database password (with FLOTILLA_DB_URL)");
  public static final Setting<ForgeKind> FORGE =
      Setting.of(
          "FLOTILLA_FORGE",
          "local",
          Setting.oneOf(ForgeKind.class),
          "Where repositories live: local (bare Git repositories in a folder) or github");
  public static final Setting<Path> LOCAL_FORGE_DIR =
      Setting.of(
          "FLOTILLA_LOCAL_FORGE_DIR",
          "${FLOTILLA_DATA_DIR}/forge",
          Setting::path,
          "Folder of bare Git repositories for the local forge");
  public static final Setting<String> CI_COMMAND =
      Setting.of(
          "FLOTILLA_CI_COMMAND",
          "./ci.sh",
          Setting::text,
          "Command the local forge runs in a checkout of a pull request's head as its CI check");
  public static final Setting<Duration> CI_TIMEOUT =
      Setting.of(
          "FLOTILLA_CI_TIMEOUT",
          "10m",
          Setting::duration,
          "How long the local forge's CI command may run");
  public static final Setting<Path> CAMPAIGNS_DIR =
      Setting.of(
          "FLOTILLA_CAMPAIGNS_DIR",
          "${FLOTILLA_DATA_DIR}/campaigns",
          Setting::path,
          "Folder of campaign files (*.yaml, *.yml) loaded at start");
  public static final Setting<Path> MIGRATIONS_DIR =
      Setting.of(
          "FLOTILLA_MIGRATIONS_DIR",
          null,
          Setting::path,
          "Folder of the teams' migration jars, each loaded at start in its own class loader"
              + " (docs/write-a-migration.md); unset runs the built-in migrations only");
  public static final Setting<List<String>> MIGRATION_ARTIFACTS =
      Setting.of(
          "FLOTILLA_MIGRATION_ARTIFACTS",
          "",
          Setting::list,
          "Comma-separated Maven coordinates (groupId:artifactId:version) of migration jars fetched from"
              + " FLOTILLA_MAVEN_REPOSITORY_URL at start, each in its own class loader");
  public static final Setting<String> MAVEN_REPOSITORY_URL =
      Setting.of(
          "FLOTILLA_MAVEN_REPOSITORY_URL",
          null,
          Setting::text,
          "The team's Maven repository FLOTILLA_MIGRATION_ARTIFACTS come from (https:// or file://),"
              + " without credentials in it");
  public static final Setting<String> MAVEN_REPOSITORY_USERNAME =
      Setting.of("FLOTILLA_MAVEN_REPOSITORY_USERNAME", null, Setting::text, "User for FLOTILLA_MAVEN_REPOSITORY_URL");
  public static final Setting<Secret> MAVEN_REPOSITORY_PASSWORD =
      Setting.secret("FLOTILLA_MAVEN_REPOSITORY_PASSWORD", "Password or token for FLOTILLA_MAVEN_REPOSITORY_URL");
  public static final Setting<String> MAVEN_REPOSITORY_SECRET =
      Setting.of(
          "FLOTILLA_MAVEN_REPOSITORY_SECRET",
          null,
          Setting::text,
          "Kubernetes Secret (keys username, password) a run's pod reads the repository's credentials from");
  public static final Setting<Path> MAVEN_CACHE_DIR =
      Setting.of(
          "FLOTILLA_MAVEN_CACHE_DIR",
          "${FLOTILLA_DATA_DIR}/maven",
          Setting::path,
          "Where fetched migration jars are kept (a Maven local repository), so a restart downloads nothing");
  public static final Setting<Duration> DISCOVERY_INTERVAL =
      Setting.of(
          "FLOTILLA_DISCOVERY_INTERVAL",
          "10m",
          Setting::duration,
          "How often the forge is scanned for repositories and their .flotilla.yaml");
  public static final Setting<Duration> POLL_INTERVAL =
      Setting.of(
          "FLOTILLA_POLL_INTERVAL",
          "30s",
          Setting::duration,
          "How often open pull requests are polled for CI and merge state");
  public static final Setting<Duration> WATCH_MAX_INTERVAL =
      Setting.of(
          "FLOTILLA_WATCH_MAX_INTERVAL",
          "1h",
          Setting::duration,
          "Longest wait between two reads of a pull request that waits for a person (a review, a fix of failed CI)");
  public static final Setting<Duration> WATCH_INTERVAL_WITH_WEBHOOKS =
      Setting.of(
          "FLOTILLA_WATCH_INTERVAL_WITH_WEBHOOKS",
          "30m",
          Setting::duration,
          "Wait between reads of a pull request while webhooks arrive (an event reconciles it at once)");
  public static final Setting<Duration> WEBHOOK_SILENCE =
      Setting.of(
          "FLOTILLA_WEBHOOK_SILENCE",
          "10m",
          Setting::duration,
          "Time without any webhook delivery after which pull requests are polled at FLOTILLA_POLL_INTERVAL again");
  public static final Setting<Duration> STORE_OUTAGE_LIMIT =
      Setting.of(
          "FLOTILLA_STORE_OUTAGE_LIMIT",
          "60s",
          Setting::duration,
          "How long the store may be unreachable before /healthz answers 503 (the process is not well)");
  public static final Setting<ExecutorKind> EXECUTOR =
      Setting.of(
          "FLOTILLA_EXECUTOR",
          "local",
          Setting.oneOf(ExecutorKind.class),
          "Where runs happen: local (a thread pool) or kubernetes (one Job each)");
  public static final Setting<Integer> WEBHOOK_QUEUE_SIZE =
      Setting.of(
          "FLOTILLA_WEBHOOK_QUEUE_SIZE",
          "1000",
          Setting::positiveInt,
          "Webhook work waiting for the engine at most; past it, the changesets concerned are left to polling");
  public static final Setting<Integer> LOCAL_CONCURRENCY =
      Setting.of(
          "FLOTILLA_LOCAL_CONCURRENCY",
          String.valueOf(Runtime.getRuntime().availableProcessors()),
          Setting::positiveInt,
          "Runs at once with the local executor (default: the number of CPU cores)");
  public static final Setting<Integer> GLOBAL_CONCURRENT_RUNS =
      Setting.of(
          "FLOTILLA_GLOBAL_CONCURRENT_RUNS",
          "50",
          Setting::positiveInt,
          "Runs at once across all campaigns, on top of each campaign's own limit");
  public static final Setting<Integer> RECONCILE_PARALLELISM =
      Setting.of(
          "FLOTILLA_RECONCILE_PARALLELISM",
          "16",
          Setting::positiveInt,
          "Changesets whose pull requests are followed at once, so the forge's latency does not serialise the fleet");
  public static final Setting<Integer> MAX_OPEN_PRS_PER_REPO =
      Setting.of(
          "FLOTILLA_MAX_OPEN_PRS_PER_REPO",
          "3",
          Setting::positiveInt,
          "Open Flotilla pull requests one repository may have at once");
  public static final Setting<Integer> DASHBOARD_PORT =
      Setting.of(
          "FLOTILLA_DASHBOARD_PORT",
          "8080",
          Setting::port,
          "Port of the dashboard, API and /metrics");
  public static final Setting<String> DASHBOARD_BIND =
      Setting.of(
          "FLOTILLA_DASHBOARD_BIND",
          "127.0.0.1",
          Setting::text,
          "Address the dashboard listens on; 0.0.0.0 in a container");
  public static final Setting<Secret> DASHBOARD_TOKEN =
      Setting.secret(
          "FLOTILLA_DASHBOARD_TOKEN",
          "Bearer token required for the dashboard's write actions (retry, pause); unset makes it"
              + " read-only");
  public static final Setting<URI> DASHBOARD_URL =
      Setting.of(
          "FLOTILLA_DASHBOARD_URL",
          "http://localhost:${FLOTILLA_DASHBOARD_PORT}",
          Setting::httpUrl,
          "Public URL of the dashboard, linked from pull request bodies");
  public static final Setting<URI> GITHUB_URL =
      Setting.of(
          "FLOTILLA_GITHUB_URL",
          "https://api.github.com",
          Setting::httpUrl,
          "GitHub API URL; https://HOST/api/v3 for GitHub Enterprise");
  public static final Setting<Secret> GITHUB_TOKEN =
      Setting.secret("FLOTILLA_GITHUB_TOKEN", "GitHub token (or use a GitHub App)");
  public static final Setting<Long> GITHUB_APP_ID =
      Setting.of(
          "FLOTILLA_GITHUB_APP_ID",
          null,
          Setting::positiveLong,
          "GitHub App id (with FLOTILLA_GITHUB_APP_KEY_FILE)");
  public static final Setting<Path> GITHUB_APP_KEY_FILE =
      Setting.of(
          "FLOTILLA_GITHUB_APP_KEY_FILE",
          null,
          Setting::path,
          "PEM private key file of the GitHub App");
  public static final Setting<List<String>> GITHUB_ORGS =
      Setting.of(
          "FLOTILLA_GITHUB_ORGS",
          "",
          Setting::list,
          "Comma-separated organisations to scan; empty scans every repository the token or App can"
              + " see");
  public static final Setting<Boolean> GITHUB_INCLUDE_FORKS =
      Setting.of(
          "FLOTILLA_GITHUB_INCLUDE_FORKS",
          "false",
          Setting::bool,
          "Whether forks are discovered too");
  public static final Setting<Integer> GITHUB_CONTENT_PER_MINUTE =
      Setting.of(
          "FLOTILLA_GITHUB_CONTENT_PER_MINUTE",
          "80",
          Setting::positiveInt,
          "Content-creating requests (pull requests, labels, reviewers, merges, comments, branch deletions) a minute per"
              + " installation or token; GitHub's secondary limit is 80, GitHub Enterprise Server's is what its admins set");
  public static final Setting<Integer> GITHUB_CONTENT_PER_HOUR =
      Setting.of(
          "FLOTILLA_GITHUB_CONTENT_PER_HOUR",
          "500",
          Setting::positiveInt,
          "Content-creating requests an hour per installation or token; GitHub's secondary limit is 500");
  public static final Setting<Secret> GITHUB_WEBHOOK_SECRET =
      Setting.secret(
          "FLOTILLA_GITHUB_WEBHOOK_SECRET", "Secret that GitHub signs webhook deliveries with");
  public static final Setting<String> K8S_NAMESPACE =
      Setting.of(
          "FLOTILLA_K8S_NAMESPACE",
          "flotilla",
          Setting::text,
          "Namespace the run Jobs are created in");
  public static final Setting<String> RUNNER_IMAGE =
      Setting.of(
          "FLOTILLA_RUNNER_IMAGE",
          null,
          Setting::text,
          "Container image of the runner (required with the kubernetes executor)");
  public static final Setting<String> RUNNER_CPU =
      Setting.of(
          "FLOTILLA_RUNNER_CPU", "500m", Setting::quantity, "CPU request and limit of a run's pod");
  public static final Setting<String> RUNNER_MEMORY =
      Setting.of(
          "FLOTILLA_RUNNER_MEMORY",
          "512Mi",
          Setting::quantity,
          "Memory request and limit of a run's pod");
  public static final Setting<Duration> RUNNER_DEADLINE =
      Setting.of(
          "FLOTILLA_RUNNER_DEADLINE",
          "30m",
          Setting::duration,
          "Longest a run may take, as a Kubernetes Job or on the local executor, before it is stopped and the changeset fails");
  public static final Setting<Integer> K8S_API_QPS =
      Setting.of(
          "FLOTILLA_K8S_API_QPS",
          "50",
          Setting::positiveInt,
          "Requests a second the Kubernetes executor may send to the API server (creates, gets, deletes, log"
              + " reads; not the informers' watches); each Job takes two, three with a token Secret");

  public static final Setting<CampaignResources> CAMPAIGN_RESOURCES =
      Setting.of(
          "FLOTILLA_CAMPAIGN_RESOURCES",
          "auto",
          Setting.oneOf(CampaignResources.class),
          "Watch Campaign resources (campaigns.flotilla.dev) in FLOTILLA_K8S_NAMESPACE: on, off, or"
              + " auto (on with FLOTILLA_EXECUTOR=kubernetes)");
  public static final Setting<URI> BACKSTAGE_URL =
      Setting.of(
          "FLOTILLA_BACKSTAGE_URL",
          null,
          Setting::httpUrl,
          "Backstage base URL, such as https://backstage.example.com; discovery asks its catalog who owns"
              + " each repository. Unset: owners come from catalog-info.yaml, CODEOWNERS and owner: in"
              + " .flotilla.yaml");
  public static final Setting<Secret> BACKSTAGE_TOKEN =
      Setting.secret(
          "FLOTILLA_BACKSTAGE_TOKEN",
          "Static token Backstage accepts (backend.auth.externalAccess, type: static)");
  public static final Setting<String> BACKSTAGE_ANNOTATION =
      Setting.of(
          "FLOTILLA_BACKSTAGE_ANNOTATION",
          "github.com/project-slug",
          Setting::text,
          "Catalog annotation whose value is a repository's owner/name");
  public static final Setting<Path> NOTIFICATIONS_FILE =
      Setting.of(
          "FLOTILLA_NOTIFICATIONS_FILE",
          null,
          Setting::path,
          "YAML file of team webhooks, time zones and the digest hour (docs/notifications.md); unset"
              + " sends no notifications");
  public static final Setting<Boolean> NOTIFICATIONS_DRY_RUN =
      Setting.of(
          "FLOTILLA_NOTIFICATIONS_DRY_RUN",
          "false",
          Setting::bool,
          "Print each notification to the log instead of sending it");

  /** Every setting, in the order of the documentation. */
  public static final List<Setting<?>> ALL =
      List.of(
          DATA_DIR,
          DB_URL,
          DB_USER,
          DB_PASSWORD,
          FORGE,
          LOCAL_FORGE_DIR,
          CI_COMMAND,
          CI_TIMEOUT,
          CAMPAIGNS_DIR,
          MIGRATIONS_DIR,
          MIGRATION_ARTIFACTS,
          MAVEN_REPOSITORY_URL,
          MAVEN_REPOSITORY_USERNAME,
          MAVEN_REPOSITORY_PASSWORD,
          MAVEN_REPOSITORY_SECRET,
          MAVEN_CACHE_DIR,
          DISCOVERY_INTERVAL,
          POLL_INTERVAL,
          WATCH_MAX_INTERVAL,
          WATCH_INTERVAL_WITH_WEBHOOKS,
          WEBHOOK_SILENCE,
          STORE_OUTAGE_LIMIT,
          WEBHOOK_QUEUE_SIZE,
          EXECUTOR,
          LOCAL_CONCURRENCY,
          GLOBAL_CONCURRENT_RUNS,
          RECONCILE_PARALLELISM,
          MAX_OPEN_PRS_PER_REPO,
          DASHBOARD_PORT,
          DASHBOARD_BIND,
          DASHBOARD_TOKEN,
          DASHBOARD_URL,
          GITHUB_URL,
          GITHUB_TOKEN,
          GITHUB_APP_ID,
          GITHUB_APP_KEY_FILE,
          GITHUB_ORGS,
          GITHUB_INCLUDE_FORKS,
          GITHUB_CONTENT_PER_MINUTE,
          GITHUB_CONTENT_PER_HOUR,
          GITHUB_WEBHOOK_SECRET,
          K8S_NAMESPACE,
          RUNNER_IMAGE,
          RUNNER_CPU,
          RUNNER_MEMORY,
          RUNNER_DEADLINE,
          K8S_API_QPS,
          CAMPAIGN_RESOURCES,
          BACKSTAGE_URL,
          BACKSTAGE_TOKEN,
          BACKSTAGE_ANNOTATION,
          NOTIFICATIONS_FILE,
          NOTIFICATIONS_DRY_RUN);

  private static final String SOURCE = "environment";

  private final Map<Setting<?>, Object> values;
  private final Map<Setting<?>, Boolean> given;

  private Settings(Map<Setting<?>, Object> values, Map<Setting<?>, Boolean> given) {
    this.values = values;
    this.given = given;
  }

  public static Settings fromEnv() {
    return from(System.getenv());
  }

  /**
   * Reads the settings from {@code env}; an empty value counts as unset. Throws {@link
   * ConfigException} naming every bad setting.
   */
  public static Settings from(Map<String, String> env) {
    warnAboutUnknown(env);
    List<ConfigException.Problem> problems = new ArrayList<>();
    Map<Setting<?>, Object> values = new HashMap<>();
    Map<Setting<?>, Boolean> given = new HashMap<>();
    for (Setting<?> setting : ALL) {
      String raw = env.get(setting.env());
      boolean isGiven = raw != null && !raw.isBlank();
      String text = isGiven ? raw : resolveDefault(setting.defaultValue(), env);
      given.put(setting, isGiven);
      if (text == null) {
        continue;
      }
      try {
        values.put(setting, setting.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(
            new ConfigException.Problem(0, badValue(setting, text, isGiven, e.getMessage())));
      }
    }
    Settings settings = new Settings(values, given);
    // A value that failed to parse reads as unset here, so these checks stay meaningful.
    problems.addAll(settings.combinationProblems());
    if (!problems.isEmpty()) {
      throw new ConfigException(SOURCE, problems);
    }
    return settings;
  }

  private static String resolveDefault(String defaultValue, Map<String, String> env) {
    if (defaultValue == null) {
      return null;
    }
    Matcher reference = REFERENCE.matcher(defaultValue);
    StringBuilder resolved = new StringBuilder();
    while (reference.find()) {
      Setting<?> other = byName(reference.group(1));
      String value = env.get(other.env());
      String text =
          value == null || value.isBlank()
              ? resolveDefault(other.defaultValue(), env)
              : value.trim();
      reference.appendReplacement(resolved, Matcher.quoteReplacement(text == null ? "" : text));
    }
    reference.appendTail(resolved);
    return resolved.toString();
  }

  private static Setting<?> byName(String env) {
    return ALL.stream()
        .filter(s -> s.env().equals(env))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("default refers to unknown setting " + env));
  }

  private static String badValue(Setting<?> setting, String text, boolean isGiven, String message) {
    String shown = setting.secret() ? " (value hidden)" : "='" + scrub(text) + "'";
    String origin = isGiven ? "" : " (the default, derived from other settings)";
    return setting.env() + shown + origin + " " + message;
  }

  /** Settings that are each fine but do not work together. */
  private List<ConfigException.Problem> combinationProblems() {
    List<ConfigException.Problem> problems = new ArrayList<>();
    if (forge() == ForgeKind.GITHUB && githubToken().isEmpty() && githubAppId().isEmpty()) {
      problems.add(
          new ConfigException.Problem(
              0,
              "FLOTILLA_FORGE=github needs credentials: set FLOTILLA_GITHUB_TOKEN, or"
                  + " FLOTILLA_GITHUB_APP_ID and FLOTILLA_GITHUB_APP_KEY_FILE"));
    }
    if (githubAppId().isPresent() != githubAppKeyFile().isPresent()) {
      problems.add(
          new ConfigException.Problem(
              0,
              "FLOTILLA_GITHUB_APP_ID and FLOTILLA_GITHUB_APP_KEY_FILE go together; set both or"
                  + " neither"));
    }
    if (executor() == ExecutorKind.KUBERNETES && runnerImage().isEmpty()) {
      problems.add(
          new ConfigException.Problem(
              0,
              "FLOTILLA_EXECUTOR=kubernetes needs FLOTILLA_RUNNER_IMAGE, the runner's container"
                  + " image"));
    }
    if (dbUrl().isPresent() && !dbUrl().get().startsWith("jdbc:postgresql:")) {
      problems.add(
          new ConfigException.Problem(
              0,
              "FLOTILLA_DB_URL must start with jdbc:postgresql:, or be unset for the embedded"
                  + " database"));
    }
    return problems;
  }

  private static void warnAboutUnknown(Map<String, String> env) {
    List<String> known = ALL.stream().map(Setting::env).toList();
    for (String name : env.keySet()) {
      if (name.startsWith(PREFIX) && !known.contains(name)) {
        // Names only: the value of a misspelt secret must not reach the log.
        log.warn("Ignoring unknown setting {}{}", name, Suggestions.didYouMean(name, known));
      }
    }
  }

  /** The value of a setting, its default applied; null when it is unset and has no default. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  public <T> Optional<T> optional(Setting<T> setting) {
    return Optional.ofNullable(get(setting));
  }

  /** Whether the setting was given, rather than defaulted. */
  public boolean isGiven(Setting<?> setting) {
    return given.getOrDefault(setting, false);
  }

  public Path dataDir() {
    return get(DATA_DIR);
  }

  public Optional<String> dbUrl() {
    return optional(DB_URL);
  }

  public Optional<String> dbUser() {
    return optional(DB_USER);
  }

  public Optional<Secret> dbPassword() {
    return optional(DB_PASSWORD);
  }

  public ForgeKind forge() {
    return get(FORGE);
  }

  public Path localForgeDir() {
    return get(LOCAL_FORGE_DIR);
  }

  public String ciCommand() {
    return get(CI_COMMAND);
  }

  public Duration ciTimeout() {
    return get(CI_TIMEOUT);
  }

  public Path campaignsDir() {
    return get(CAMPAIGNS_DIR);
  }

  public Duration discoveryInterval() {
    return get(DISCOVERY_INTERVAL);
  }

  public Duration pollInterval() {
    return get(POLL_INTERVAL);
  }

  public int webhookQueueSize() {
    return get(WEBHOOK_QUEUE_SIZE);
  }

  public Duration storeOutageLimit() {
    return get(STORE_OUTAGE_LIMIT);
  }

  public ExecutorKind executor() {
    return get(EXECUTOR);
  }

  public int localConcurrency() {
    return get(LOCAL_CONCURRENCY);
  }

  public int globalConcurrentRuns() {
    return get(GLOBAL_CONCURRENT_RUNS);
  }

  public int reconcileParallelism() {
    return get(RECONCILE_PARALLELISM);
  }

  public int maxOpenPrsPerRepo() {
    return get(MAX_OPEN_PRS_PER_REPO);
  }

  public int dashboardPort() {
    return get(DASHBOARD_PORT);
  }

  public String dashboardBind() {
    return get(DASHBOARD_BIND);
  }

  public Optional<Secret> dashboardToken() {
    return optional(DASHBOARD_TOKEN);
  }

  public URI dashboardUrl() {
    return get(DASHBOARD_URL);
  }

  public URI githubUrl() {
    return get(GITHUB_URL);
  }

  public Optional<Secret> githubToken() {
    return optional(GITHUB_TOKEN);
  }

  public Optional<Long> githubAppId() {
    return optional(GITHUB_APP_ID);
  }

  public Optional<Path> githubAppKeyFile() {
    return optional(GITHUB_APP_KEY_FILE);
  }

  public List<String> githubOrgs() {
    return get(GITHUB_ORGS);
  }

  public boolean githubIncludeForks() {
    return get(GITHUB_INCLUDE_FORKS);
  }

  public Optional<Secret> githubWebhookSecret() {
    return optional(GITHUB_WEBHOOK_SECRET);
  }

  public String k8sNamespace() {
    return get(K8S_NAMESPACE);
  }

  /** Whether the controller watches Campaign resources on the cluster. */
  public boolean watchesCampaignResources() {
    return switch (get(CAMPAIGN_RESOURCES)) {
      case ON -> true;
      case OFF -> false;
      case AUTO -> executor() == ExecutorKind.KUBERNETES;
    };
  }

  public Optional<String> runnerImage() {
    return optional(RUNNER_IMAGE);
  }

  public String runnerCpu() {
    return get(RUNNER_CPU);
  }

  public String runnerMemory() {
    return get(RUNNER_MEMORY);
  }

  public Duration runnerDeadline() {
    return get(RUNNER_DEADLINE);
  }

  public int k8sApiQps() {
    return get(K8S_API_QPS);
  }

  /**
   * One line a setting, {@code NAME=value}, marking defaults; secrets show only {@code <set>} or
   * {@code <unset>}. Safe to log.
   */
  public String describe() {
    return ALL.stream().map(this::describe).collect(Collectors.joining("\n"));
  }

  private String describe(Setting<?> setting) {
    Object value = values.get(setting);
    String shown;
    if (setting.secret()) {
      shown = value == null ? "<unset>" : "<set>";
    } else if (value == null) {
      shown = "<unset>";
    } else {
      shown = scrub(format(value));
    }
    return setting.env() + "=" + shown + (isGiven(setting) || setting.secret() ? "" : " (default)");
  }

  private static String format(Object value) {
    if (value instanceof Duration d) {
      return Durations.format(d);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    return String.valueOf(value);
  }

  /**
   * Hides passwords that people put into URLs, such as a JDBC URL's {@code password=} or {@code
   * user:pass@}.
   */
  static String scrub(String text) {
    return text.replaceAll("(?i)(password=)[^&;]*", "$1<hidden>")
        .replaceAll("(//[^/:@]+:)[^@/]+@", "$1<hidden>@");
  }

  @Override
  public String toString() {
    return describe();
  }
}
