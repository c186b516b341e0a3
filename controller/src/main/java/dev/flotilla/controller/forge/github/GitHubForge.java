package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.Printable;
import dev.flotilla.controller.model.BranchRules;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.DeploymentStatus;
import dev.flotilla.controller.model.MergeQueueStatus;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestRef;
import dev.flotilla.controller.model.PullRequestSnapshot;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.forge.github.GitHubClient.Request;
import dev.flotilla.controller.forge.github.GitHubClient.Response;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Parameters;
import dev.flotilla.runner.RunRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.PagedIterable;
import org.kohsuke.github.extras.HttpClientGitHubConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GitHub and GitHub Enterprise forge, through hub4j's client library where it has a call that
 * costs no extra requests, plain REST where it has not, and GraphQL to read many repositories' opt-in
 * and owner files in one query; every request goes through one {@link MeteredConnector}. Built to spend little of the rate
 * budget: listing pages are conditional requests (a 304 is free), opt-in files are re-read only for repositories pushed to since the last read,
 * and a changeset from push to merge costs about eight calls.
 */
public final class GitHubForge implements Forge {

  /** The variable the executor sets to the run token; the runner reads the token from it. */
  public static final String RUN_TOKEN_ENV = "FLOTILLA_GIT_TOKEN";
  /** The git user name GitHub expects with an installation token (a PAT accepts it too). */
  public static final String GIT_USERNAME = "x-access-token";

  private static final Logger LOG = LoggerFactory.getLogger(GitHubForge.class);
  private static final String OPT_IN_FILE = ".flotilla.yaml";
  private static final int GRAPHQL_BATCH = 100;
  private static final int CREATE_ATTEMPTS = 3;
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The GraphQL alias of each of {@link Forge#OWNER_FILES}, read in the same query as the opt-in file
   * (a field may appear twice in one selection only under different aliases).
   */
  private static final Map<String, String> OWNER_FILE_ALIASES = ownerFileAliases();

  /**
   * What the last GraphQL read found in one repository, and at which push.
   *
   * @param ownerFiles the {@link Forge#OWNER_FILES} the repository has, by path
   */
  private record OptInRead(String pushedAt, String text, String oid, Map<String, String> ownerFiles) {}

  /** A branch's rules as read at {@code at}. */
  private record KnownRules(BranchRules rules, Instant at) {}

  /**
   * How long a branch's rules are trusted: protection and rulesets change without a push (so without
   * a new discovery read), and a webhook about them may never come; {@link #forgetBranchRules} drops
   * them at once.
   */
  static final Duration RULES_TTL = Duration.ofMinutes(10);

  /** Where one listing of repositories starts, and with which credential. */
  private record Listing(String endpoint, String path, String authorization, String arrayField) {}

  private final GitHubConfig config;
  private final GitHubClient client;
  private final GitHubAuth auth;
  private final Hub4j hub4j;
  private final ObjectMapper json;
  private final EtagCache etags;
  private final Map<String, String> pushedAt = new ConcurrentHashMap<>();
  private final Map<String, OptInRead> optInReads = new ConcurrentHashMap<>();
  /** What each branch demands, keyed {@code owner/repo:branch}, with when it was read. */
  private final Map<String, KnownRules> branchRules = new ConcurrentHashMap<>();
  private final Map<String, GHPullRequest> pullRequests = new ConcurrentHashMap<>();

  private final Clock clock;
  private final MeteredConnector connector;
  private final ContentPacer pacer;
  /** Repositories that delete a merged pull request's head branch themselves ({@code deleteBranchOnMerge}), as last read. */
  private final Map<String, Boolean> deletesHeadBranches = new ConcurrentHashMap<>();
  /** How many branch deletions per repository had their token taken with their merge. */
  private final Map<String, Integer> deletionsPaidFor = new ConcurrentHashMap<>();
  /** Whether this server's GraphQL schema has {@code Ref.rules} and {@code branchProtectionRule}. */
  private volatile boolean rulesInGraphQl = true;

  private GitHubForge(
      GitHubConfig config, GitHubClient client, GitHubAuth auth, Hub4j hub4j, EtagCache etags, Clock clock, MeteredConnector connector) {
    this.config = config;
    this.clock = clock;
    this.connector = connector;
    this.pacer = new ContentPacer(ContentPacer.Limits.GITHUB_COM, clock);
    connector.budgets(auth::budgetKey, pacer);
    this.client = client;
    this.auth = auth;
    this.hub4j = hub4j;
    this.json = client.json();
    this.etags = etags;
  }

  public static GitHubForge create(GitHubConfig config, ApiCallCounter counter) {
    return create(config, counter, new EtagCache(), Clock.systemUTC(), Sleeper.REAL, DEFAULT_TIMEOUT);
  }

  /**
   * @param timeout how long one request may take before it counts as unanswered
   * @param sleeper how to wait for backoff and rate limits
   */
  public static GitHubForge create(
      GitHubConfig config, ApiCallCounter counter, EtagCache etags, Clock clock, Sleeper sleeper, Duration timeout) {
    // Over plain http (a GitHub Enterprise behind a proxy, tests) the JDK's h2c upgrade is refused by
    // some servers; over https HTTP/2 comes from ALPN.
    HttpClient.Version version =
        "http".equals(config.url().getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
    HttpClient http =
        HttpClient.newBuilder()
            .version(version)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    MeteredConnector connector =
        new MeteredConnector(new HttpClientGitHubConnector(http), config.url(), timeout, counter, clock, sleeper);
    GitHubClient client = new GitHubClient(connector, config.url(), new ObjectMapper());
    GitHubAuth auth =
        config.usesApp()
            ? new AppAuth(config.appId(), AppAuth.readKey(config.appKey()), provider -> Hub4j.build(config.url(), connector, provider), clock)
            : new TokenAuth(config.token());
    return new GitHubForge(config, client, auth, new Hub4j(config.url(), connector, auth, client.json()), etags, clock, connector);
  }

  /**
   * Keeps content-creating requests under {@code perMinute} a minute and {@code perHour} an hour per
   * installation or token instead of github.com's 80 and 500: for a GitHub Enterprise Server whose
   * admins set other limits. Call before the first request.
   */
  public GitHubForge contentLimits(int perMinute, int perHour) {
    pacer.limits(new ContentPacer.Limits(perMinute, perHour));
    return this;
  }

  /**
   * Counts GitHub's content-creation limits over {@code minute} and {@code hour} of this forge's
   * clock: for a simulator that runs GitHub's time faster, whose windows are shorter. Call before the
   * first request.
   */
  public GitHubForge contentWindows(Duration minute, Duration hour) {
    pacer.windows(minute, hour);
    return this;
  }

  @Override
  public String name() {
    return "github";
  }

  // ---- discovery

  @Override
  public List<RepositoryRef> listRepositories() {
    List<RepositoryRef> found = new ArrayList<>();
    int skipped = 0;
    for (Listing listing : listings()) {
      for (JsonNode repo : listAll(listing)) {
        if (eligible(repo)) {
          found.add(toRef(repo));
          hub4j.remember(repo);
          pushedAt.put(fullName(repo), repo.path("pushed_at").asText(""));
        } else {
          skipped++;
        }
      }
    }
    LOG.info("found {} repositories on {} ({} archived, disabled, empty or forks left out)", found.size(), config.url(), skipped);
    return found;
  }

  @Override
  public Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> repositories) {
    Map<RepositoryRef, String> files = new LinkedHashMap<>();
    List<RepositoryRef> toRead = new ArrayList<>();
    for (RepositoryRef ref : repositories) {
      OptInRead read = optInReads.get(key(ref));
      String pushed = pushedAt.get(key(ref));
      if (read != null && pushed != null && pushed.equals(read.pushedAt())) {
        // Nothing was pushed since the last read, so the file on the default branch is the same.
        if (read.text() != null) {
          files.put(ref, read.text());
        }
      } else {
        toRead.add(ref);
      }
    }
    Map<String, List<RepositoryRef>> groups =
        toRead.stream().collect(Collectors.groupingBy(r -> auth.shared() ? "" : r.owner(), LinkedHashMap::new, Collectors.toList()));
    for (List<RepositoryRef> group : groups.values()) {
      for (int from = 0; from < group.size(); from += GRAPHQL_BATCH) {
        files.putAll(queryOptInFiles(group.subList(from, Math.min(group.size(), from + GRAPHQL_BATCH))));
      }
    }
    LOG.debug("read {} of {} opt-in files with GraphQL; the rest were unchanged", toRead.size(), repositories.size());
    return files;
  }

  /**
   * The owner files come with the opt-in files, in the same GraphQL query, so discovery, which reads
   * the opt-in files of a batch first, pays nothing more for them. A repository not read since its last
   * push is read here.
   */
  @Override
  public Map<RepositoryRef, Map<String, String>> readOwnerFiles(List<RepositoryRef> repositories) {
    List<RepositoryRef> unread = repositories.stream()
        .filter(ref -> {
          OptInRead read = optInReads.get(key(ref));
          return read == null || !read.pushedAt().equals(pushedAt.getOrDefault(key(ref), ""));
        })
        .toList();
    if (!unread.isEmpty()) {
      readOptInFiles(unread);
    }
    Map<RepositoryRef, Map<String, String>> found = new LinkedHashMap<>();
    for (RepositoryRef ref : repositories) {
      OptInRead read = optInReads.get(key(ref));
      if (read != null && !read.ownerFiles().isEmpty()) {
        found.put(ref, read.ownerFiles());
      }
    }
    return found;
  }

  private static Map<String, String> ownerFileAliases() {
    Map<String, String> aliases = new LinkedHashMap<>();
    for (int i = 0; i < OWNER_FILES.size(); i++) {
      aliases.put(OWNER_FILES.get(i), "ownerFile" + i);
    }
    return Map.copyOf(aliases);
  }

  private List<Listing> listings() {
    if (auth instanceof AppAuth app) {
      return app.installations().stream()
          .filter(i -> config.orgs().isEmpty() || config.orgs().stream().anyMatch(o -> o.equalsIgnoreCase(i.account())))
          .map(i -> new Listing(
              "GET /installation/repositories", "/installation/repositories?per_page=100", app.authorization(i), "repositories"))
          .toList();
    }
    if (config.orgs().isEmpty()) {
      return List.of(new Listing("GET /user/repos", "/user/repos?per_page=100", auth.authorization(""), null));
    }
    return config.orgs().stream()
        .map(org -> new Listing(
            "GET /orgs/{org}/repos", "/orgs/" + segment(org) + "/repos?per_page=100&type=all", auth.authorization(org), null))
        .toList();
  }

  private List<JsonNode> listAll(Listing listing) {
    List<JsonNode> repos = new ArrayList<>();
    String next = listing.path();
    while (next != null) {
      Response page = client.sendConditional(Request.get(listing.endpoint(), next).auth(listing.authorization()), etags);
      if (page.status() != 304) {
        GitHubClient.requireOk(page, "listing repositories (" + listing.endpoint() + ")");
      }
      JsonNode items = listing.arrayField() == null ? page.body() : page.body().path(listing.arrayField());
      items.forEach(repos::add);
      next = page.next().orElse(null);
    }
    return repos;
  }

  /**
   * Not archived, disabled or (unless asked) a fork. {@code size} is no test of emptiness: GitHub
   * computes it about hourly, so a repository created and pushed to a minute ago still says 0. An
   * empty repository has no default branch ({@code defaultBranchRef} is null in the opt-in query),
   * hence no opt-in file, and is recorded as not opted in until its first push.
   */
  private boolean eligible(JsonNode repo) {
    return !repo.path("archived").asBoolean(false)
        && !repo.path("disabled").asBoolean(false)
        && !repo.path("default_branch").asText("").isEmpty()
        && (config.includeForks() || !repo.path("fork").asBoolean(false));
  }

  /**
   * One query for up to {@link #GRAPHQL_BATCH} repositories: per repository its opt-in file, its
   * owner files and its default branch's required checks. Field shapes as in GitHub's public schema
   * (checked against {@code @octokit/graphql-schema} 15.26): {@code Repository.object(expression:
   * String): GitObject}, null when the path does not exist; {@code Blob { text: String (null when
   * binary), oid: GitObjectID!, byteSize: Int!, isBinary: Boolean, isTruncated: Boolean! }}.
   */
  private Map<RepositoryRef, String> queryOptInFiles(List<RepositoryRef> batch) {
    StringBuilder query = new StringBuilder("query {");
    for (int i = 0; i < batch.size(); i++) {
      RepositoryRef ref = batch.get(i);
      query.append(" r").append(i).append(": repository(owner: ").append(quote(ref.owner()))
          .append(", name: ").append(quote(ref.name())).append(") { deleteBranchOnMerge")
          .append(" object(expression: ").append(quote("HEAD:" + OPT_IN_FILE)).append(") { ... on Blob { text oid byteSize isBinary } }");
      for (String path : OWNER_FILES) {
        query.append(' ').append(OWNER_FILE_ALIASES.get(path)).append(": object(expression: ")
            .append(quote("HEAD:" + path)).append(") { ... on Blob { text isBinary isTruncated } }");
      }
      query.append(" defaultBranchRef { name").append(rulesInGraphQl ? RULES_SELECTION : CLASSIC_SELECTION).append(" } }");
    }
    query.append(" }");
    ObjectNode body = json.createObjectNode().put("query", query.toString());
    Response response =
        client.send(Request.post("POST /graphql", graphqlUrl(), body).auth(auth.authorization(batch.get(0).owner())));
    GitHubClient.requireOk(response, "reading " + OPT_IN_FILE + " files with GraphQL");
    JsonNode data = response.body().path("data");
    if (!data.isObject() && rulesInGraphQl && response.body().path("errors").toString().contains("doesn't exist on type")) {
      // A GitHub Enterprise Server without rulesets in its schema: read classic protection alone.
      LOG.info("{} has no rulesets in its GraphQL schema; reading required checks from classic protection only", config.url());
      rulesInGraphQl = false;
      return queryOptInFiles(batch);
    }
    if (!data.isObject()) {
      throw new GitHubException("reading " + OPT_IN_FILE + " files with GraphQL failed: " + response.message(), response.status());
    }
    Map<RepositoryRef, String> files = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      RepositoryRef ref = batch.get(i);
      JsonNode repo = data.path("r" + i);
      if (!repo.isObject()) {
        LOG.warn("GraphQL did not return {}; it may have been deleted or renamed since the listing", ref.fullName());
        continue;
      }
      if (repo.path("defaultBranchRef").isNull()) {
        LOG.debug("{} is empty: it has no default branch yet", ref.fullName());
      }
      if (repo.path("deleteBranchOnMerge").isBoolean()) {
        deletesHeadBranches.put(key(ref), repo.path("deleteBranchOnMerge").asBoolean());
      }
      String text = optInText(ref, repo.path("object"));
      optInReads.put(key(ref), new OptInRead(
          pushedAt.getOrDefault(key(ref), ""), text, repo.path("object").path("oid").asText(null), ownerFiles(ref, repo)));
      noteRules(ref, repo.path("defaultBranchRef"));
      if (text != null) {
        files.put(ref, text);
      }
    }
    return files;
  }

  /** {@code https://api.github.com/graphql}; on GitHub Enterprise {@code https://HOST/api/graphql} beside {@code /api/v3}. */
  private String graphqlUrl() {
    String base = config.url().toString();
    return base.endsWith("/api/v3") ? base.substring(0, base.length() - "/v3".length()) + "/graphql" : base + "/graphql";
  }

  private static String optInText(RepositoryRef ref, JsonNode blob) {
    if (!blob.isObject()) {
      return null;
    }
    if (blob.path("isBinary").asBoolean(false) || blob.path("text").isNull()) {
      LOG.warn("{} in {} is binary or too big to read; fix it to opt in", OPT_IN_FILE, ref.fullName());
      return null;
    }
    return blob.path("text").asText();
  }

  /**
   * Every owner file the repository has, by path; which CODEOWNERS counts (GitHub's order: .github/,
   * the root, docs/; the first found wins) is decided where ownership is decided. A binary or
   * truncated file is left out: a cut CODEOWNERS could name the wrong last rule.
   */
  private static Map<String, String> ownerFiles(RepositoryRef ref, JsonNode repo) {
    Map<String, String> files = new LinkedHashMap<>();
    for (String path : OWNER_FILES) {
      JsonNode blob = repo.path(OWNER_FILE_ALIASES.get(path));
      if (!blob.isObject()) {
        continue;
      }
      if (blob.path("isBinary").asBoolean(false) || blob.path("isTruncated").asBoolean(false) || !blob.path("text").isTextual()) {
        LOG.warn("{} in {} is binary or too big to read; its owner is not used", path, ref.fullName());
        continue;
      }
      files.put(path, blob.path("text").asText());
    }
    return Map.copyOf(files);
  }

  /**
   * What GraphQL shows of a branch's rules: classic protection as the viewer may see it
   * ({@code refUpdateRule}; {@code branchProtectionRule} only with the right to administer) and every
   * ruleset rule on the ref ({@code Ref.rules}). Field names from GitHub's public GraphQL schema
   * ({@code @octokit/graphql-schema} schema.graphql: Ref, RefUpdateRule, RepositoryRule,
   * RequiredStatusChecksParameters, PullRequestParameters).
   */
  static final String CLASSIC_SELECTION = " refUpdateRule { requiredStatusCheckContexts requiredApprovingReviewCount }";

  static final String RULES_SELECTION =
      CLASSIC_SELECTION
          + " branchProtectionRule { requiresStrictStatusChecks }"
          + " rules(first: 100) { nodes { type parameters {"
          + " ... on RequiredStatusChecksParameters { requiredStatusChecks { context } strictRequiredStatusChecksPolicy }"
          + " ... on PullRequestParameters { requiredApprovingReviewCount } } } }";

  private void noteRules(RepositoryRef ref, JsonNode branch) {
    if (!branch.isObject()) {
      return;
    }
    RulesBuilder rules = new RulesBuilder();
    branch.path("refUpdateRule").path("requiredStatusCheckContexts").forEach(n -> rules.check(n.asText()));
    rules.approvals(branch.path("refUpdateRule").path("requiredApprovingReviewCount").asInt(0));
    rules.strict(branch.path("branchProtectionRule").path("requiresStrictStatusChecks").asBoolean(false));
    for (JsonNode rule : branch.path("rules").path("nodes")) {
      JsonNode parameters = rule.path("parameters");
      switch (rule.path("type").asText()) {
        case "REQUIRED_STATUS_CHECKS" -> {
          parameters.path("requiredStatusChecks").forEach(c -> rules.check(c.path("context").asText()));
          rules.strict(parameters.path("strictRequiredStatusChecksPolicy").asBoolean(false));
        }
        case "PULL_REQUEST" -> rules.approvals(parameters.path("requiredApprovingReviewCount").asInt(0));
        case "MERGE_QUEUE" -> rules.mergeQueue();
        default -> { }
      }
    }
    String branchName = branch.path("name").asText(ref.defaultBranch());
    branchRules.put(rulesKey(ref, branchName), new KnownRules(rules.build(), clock.instant()));
  }

  /** Merges classic protection and rulesets: every required check, the strictest of the rest. */
  private static final class RulesBuilder {
    private final List<String> checks = new ArrayList<>();
    private boolean strict;
    private boolean mergeQueue;
    private int approvals;

    void check(String name) {
      if (!name.isEmpty() && !checks.contains(name)) {
        checks.add(name);
      }
    }

    void strict(boolean strict) {
      this.strict |= strict;
    }

    void mergeQueue() {
      this.mergeQueue = true;
    }

    void approvals(int count) {
      approvals = Math.max(approvals, count);
    }

    BranchRules build() {
      return new BranchRules(checks, strict, mergeQueue, approvals);
    }
  }

  @Override
  public void forgetOptInFile(RepositoryRef repository) {
    optInReads.remove(key(repository));
  }


  // ---- runs

  /** The runner gets the token from {@link #RUN_TOKEN_ENV}, put there by the executor from {@link #mintRunToken}. */
  @Override
  public RunRequest.Credential runCredential(RepositoryRef repository) {
    return RunRequest.Credential.env(RUN_TOKEN_ENV, GIT_USERNAME);
  }

  /**
   * The token a run on this repository pushes with: with an App a new installation token limited to
   * this repository and {@code contents: write}, valid for an hour; with a token, that token.
   */
  public Optional<String> mintRunToken(RepositoryRef repository) {
    return mintRunToken(repository, false);
  }

  /** As {@link #mintRunToken(RepositoryRef)}, with {@code workflows: write} too when {@code editsWorkflows}. */
  public Optional<String> mintRunToken(RepositoryRef repository, boolean editsWorkflows) {
    return auth.runToken(repository.owner(), repository.name(), editsWorkflows);
  }

  /**
   * The token for this run: {@code workflows: write} is asked for only when the run's migration, with
   * the run's parameters, says it may edit a workflow file ({@link Migration#editsWorkflows}).
   */
  public Optional<String> mintRunToken(RunRequest request, Migrations migrations) {
    String[] ownerAndName = request.repository().split("/", 2);
    RepositoryRef ref = new RepositoryRef(ownerAndName[0], ownerAndName[1], request.defaultBranch(), request.cloneUrl(), null);
    return mintRunToken(ref, editsWorkflows(request, migrations));
  }

  static boolean editsWorkflows(RunRequest request, Migrations migrations) {
    if (!migrations.contains(request.migration())) {
      // The runner fails such a run with the list of known migrations; its token need not be wider.
      return false;
    }
    Migration migration = migrations.get(request.migration());
    return migration.editsWorkflows(Parameters.of(request.parameters()).withDefaults(migration.parameters()));
  }

  // ---- pull requests

  @Override
  public Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch) {
    return findOpen(repository, branch).map(pr -> toPullRequest(pr, false));
  }

  private Optional<GHPullRequest> findOpen(RepositoryRef repository, String branch) {
    return call("looking for the pull request of " + branch + " in " + repository.fullName(), () -> {
      PagedIterable<GHPullRequest> open =
          hub4j.repository(repository).queryPullRequests()
              .head(repository.owner() + ":" + branch)
              .state(GHIssueState.OPEN)
              .list()
              .withPageSize(10);
      for (GHPullRequest pr : open) {
        if (branch.equals(pr.getHead().getRef())) {
          return Optional.of(pr);
        }
      }
      return Optional.empty();
    });
  }

  @Override
  public PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec) {
    int requests = 1 + (spec.labels().isEmpty() ? 0 : 1) + (spec.reviewers().isEmpty() ? 0 : 1);
    try (ContentPacer.Permit permit = pace(repository, requests, ContentPacer.Priority.START, spec.branch())) {
      Opened opened = createOrAdopt(repository, spec);
      GHPullRequest pr = remember(repository, opened.pullRequest());
      addLabels(repository, pr, spec.labels());
      requestReviewers(repository, pr.getNumber(), spec.reviewers());
      return toPullRequest(pr, opened.created());
    }
  }

  /** Takes {@code requests} content-creation tokens of the repository's installation, or throws {@link dev.flotilla.controller.forge.ForgeBusy}. */
  private ContentPacer.Permit pace(RepositoryRef repository, int requests, ContentPacer.Priority priority, String what) {
    return pacer.take(connector.budgetKey(auth.authorization(repository.owner())), requests, priority, key(repository) + " " + what);
  }

  /** A pull request created now (a full answer) or adopted from a list (without mergeability). */
  private record Opened(GHPullRequest pullRequest, boolean created) {}

  /**
   * Creates the pull request. After an unanswered attempt it looks for the pull request before
   * trying again, and a 422 saying one exists adopts it, so a branch never gets two. The connector
   * never repeats the create itself.
   */
  private Opened createOrAdopt(RepositoryRef repository, PullRequestSpec spec) {
    String what = "opening a pull request for " + spec.branch() + " in " + repository.fullName();
    GitHubException unanswered = null;
    for (int attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      if (unanswered != null) {
        Optional<GHPullRequest> existing = findOpen(repository, spec.branch());
        if (existing.isPresent()) {
          LOG.info("adopted pull request #{} for {} after an unanswered create", existing.get().getNumber(), spec.branch());
          return new Opened(existing.get(), false);
        }
      }
      try {
        GHPullRequest pr =
            hub4j.repository(repository).createPullRequest(spec.title(), spec.branch(), spec.base(), withFooter(repository, spec), false, false);
        LOG.info("opened pull request #{} for {} in {}", pr.getNumber(), spec.branch(), repository.fullName());
        return new Opened(pr, true);
      } catch (HttpException e) {
        if (e.getResponseCode() == 422 && String.valueOf(e.getMessage()).contains("already exists")) {
          return new Opened(adoptExisting(repository, spec.branch()), false);
        }
        throw hub4j.failure(what, e);
      } catch (IOException e) {
        throw hub4j.failure(what, e);
      } catch (GitHubException e) {
        if (!e.outcomeUnknown()) {
          throw e;
        }
        unanswered = e;
        LOG.warn("{} got no clear answer: {}", what, e.getMessage());
      }
    }
    throw unanswered;
  }

  private GHPullRequest adoptExisting(RepositoryRef repository, String branch) {
    GHPullRequest pr =
        findOpen(repository, branch)
            .orElseThrow(() -> new GitHubException(
                "GitHub says a pull request for " + branch + " in " + repository.fullName()
                    + " exists, but no open one was found; it may be closed, reopen or delete it", 422));
    LOG.info("adopted the existing pull request #{} for {}", pr.getNumber(), branch);
    return pr;
  }

  private void addLabels(RepositoryRef repository, GHPullRequest pr, List<String> labels) {
    if (labels.isEmpty()) {
      return;
    }
    act("labelling pull request #" + pr.getNumber() + " in " + repository.fullName(), () -> pr.addLabels(labels.toArray(String[]::new)));
  }

  /** Names with a slash ({@code org/team}) are teams, the rest users. */
  private void requestReviewers(RepositoryRef repository, int number, List<String> reviewers) {
    if (reviewers.isEmpty()) {
      return;
    }
    ObjectNode body = json.createObjectNode();
    ArrayNode users = body.putArray("reviewers");
    ArrayNode teams = body.putArray("team_reviewers");
    for (String reviewer : reviewers) {
      int slash = reviewer.indexOf('/');
      if (slash >= 0) {
        teams.add(reviewer.substring(slash + 1));
      } else {
        users.add(reviewer.startsWith("@") ? reviewer.substring(1) : reviewer);
      }
    }
    Response response =
        client.send(
            Request.post(
                    "POST /repos/{owner}/{repo}/pulls/{number}/requested_reviewers",
                    repo(repository) + "/pulls/" + number + "/requested_reviewers",
                    body)
                .auth(auth.authorization(repository.owner())));
    if (response.status() == 422) {
      // A reviewer who is not a collaborator must not keep the change from being proposed.
      LOG.warn("GitHub refused reviewers {} on #{} in {}: {}; fix reviewers in {}",
          Printable.escape(String.valueOf(reviewers)), number, repository.fullName(),
          Printable.escape(response.message()), OPT_IN_FILE);
      return;
    }
    GitHubClient.requireOk(response, "requesting reviewers on #" + number + " in " + repository.fullName());
  }

  @Override
  public PullRequest getPullRequest(RepositoryRef repository, int number) {
    GHPullRequest pr =
        call("reading pull request #" + number + " in " + repository.fullName(), () -> hub4j.repository(repository).getPullRequest(number));
    return toPullRequest(remember(repository, pr), true);
  }

  /**
   * One GraphQL query per {@link PullRequestQuery#BATCH} pull requests of one credential, across
   * repositories: each pull request's state, head, mergeability, review decision, the checks on its
   * head (a rollup of more than a page is paged alone) and its base's rules, which refresh the cached
   * ones. A full batch costs about one point of the GraphQL budget, which is separate from REST's.
   * A pull request the answer lacks (its repository was renamed, deleted or is not visible) is left
   * out for the caller to read alone.
   */
  @Override
  public Map<PullRequestRef, PullRequestSnapshot> readPullRequests(List<PullRequestRef> pullRequests) {
    Map<PullRequestRef, PullRequestSnapshot> read = new LinkedHashMap<>();
    Map<String, List<PullRequestRef>> groups = pullRequests.stream().collect(
        Collectors.groupingBy(r -> auth.shared() ? "" : r.repository().owner(), LinkedHashMap::new, Collectors.toList()));
    for (List<PullRequestRef> group : groups.values()) {
      for (int from = 0; from < group.size(); from += PullRequestQuery.BATCH) {
        read.putAll(queryPullRequests(group.subList(from, Math.min(group.size(), from + PullRequestQuery.BATCH))));
      }
    }
    return read;
  }

  private Map<PullRequestRef, PullRequestSnapshot> queryPullRequests(List<PullRequestRef> batch) {
    String owner = batch.get(0).repository().owner();
    // A base's rules are read along only when the cached ones are old: each read adds a connection to the cost.
    List<String> baseSelections = batch.stream()
        .map(ref -> knownRules(ref.repository(), ref.repository().defaultBranch()) != null ? ""
            : rulesInGraphQl ? RULES_SELECTION : CLASSIC_SELECTION)
        .toList();
    String query = PullRequestQuery.batch(batch, baseSelections, rulesInGraphQl);
    Response response = client.send(Request.post("POST /graphql", graphqlUrl(), json.createObjectNode().put("query", query))
        .auth(auth.authorization(owner)));
    GitHubClient.requireOk(response, "reading " + batch.size() + " pull requests with GraphQL");
    JsonNode data = response.body().path("data");
    if (!data.isObject() && rulesInGraphQl && response.body().path("errors").toString().contains("doesn't exist on type")) {
      LOG.info("{} has no rulesets or merge queue in its GraphQL schema; reading pull requests without them", config.url());
      rulesInGraphQl = false;
      return queryPullRequests(batch);
    }
    if (!data.isObject()) {
      throw new GitHubException("reading pull requests with GraphQL failed: " + Printable.escape(response.message()), response.status());
    }
    noteCost(data.path("rateLimit"), batch.size());
    Map<PullRequestRef, PullRequestSnapshot> read = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      PullRequestRef ref = batch.get(i);
      JsonNode pr = data.path("p" + i).path("pullRequest");
      if (!pr.isObject()) {
        LOG.warn("GraphQL did not return #{} of {}; it is read alone", ref.number(), ref.repository().fullName());
        continue;
      }
      PullRequestQuery.Read answer = PullRequestQuery.read(pr);
      String cursor = answer.endCursor();
      while (cursor != null) {
        cursor = PullRequestQuery.page(moreContexts(ref, cursor), answer.runs(), answer.statuses(), answer.required());
      }
      if (!baseSelections.get(i).isEmpty()) {
        noteRules(ref.repository(), pr.path("baseRef"));
      }
      BranchRules rules = knownRules(ref.repository(), answer.pullRequest().base());
      Set<String> required = new LinkedHashSet<>(answer.required());
      if (rules != null) {
        required.addAll(rules.requiredChecks());
      }
      CiStatus ci = answer.pullRequest().state() == PullRequest.State.OPEN
          ? CiCombiner.combine(answer.checks(), List.copyOf(required)) : null;
      read.put(ref, new PullRequestSnapshot(answer.pullRequest(), ci, rules, answer.queue(), answer.review(), answer.updatedAt()));
    }
    return read;
  }

  /** The next page of one pull request's rollup. */
  private JsonNode moreContexts(PullRequestRef ref, String cursor) {
    ObjectNode body = json.createObjectNode().put("query", PullRequestQuery.moreContexts(ref, cursor));
    JsonNode data = graphql(ref.repository(), body, "reading the checks of #" + ref.number() + " in " + ref.repository().fullName());
    noteCost(data.path("rateLimit"), 1);
    return data.path("p0").path("pullRequest").path("statusCheckRollup").path("contexts");
  }

  /** GraphQL's own budget, as the answer reports it; the connector slows down on the headers alone. */
  private static void noteCost(JsonNode rateLimit, int pullRequests) {
    if (rateLimit.isObject()) {
      LOG.debug("read {} pull requests with GraphQL for {} points; {} left until {}", pullRequests,
          rateLimit.path("cost").asInt(), rateLimit.path("remaining").asInt(), rateLimit.path("resetAt").asText());
    }
  }

  @Override
  public void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec) {
    GHPullRequest pr = pullRequest(repository, number);
    try (ContentPacer.Permit permit = pace(repository, 2, ContentPacer.Priority.FINISH, "#" + number)) {
      act("updating pull request #" + number + " in " + repository.fullName(), () -> {
        pr.setTitle(spec.title());
        pr.setBody(withFooter(repository, spec));
      });
    }
  }

  @Override
  public void closePullRequest(RepositoryRef repository, int number, String comment) {
    GHPullRequest pr = pullRequest(repository, number);
    try (ContentPacer.Permit permit = pace(repository, 2, ContentPacer.Priority.FINISH, "#" + number)) {
      act("commenting on pull request #" + number + " in " + repository.fullName(), () -> pr.comment(comment));
      act("closing pull request #" + number + " in " + repository.fullName(), pr::close);
    }
    pullRequests.remove(prKey(repository, number));
  }

  /** The pull request as last read, or read now: hub4j acts on a pull request only through one it has read. */
  private GHPullRequest pullRequest(RepositoryRef repository, int number) {
    GHPullRequest known = pullRequests.get(prKey(repository, number));
    if (known != null) {
      return known;
    }
    return remember(
        repository,
        call("reading pull request #" + number + " in " + repository.fullName(), () -> hub4j.repository(repository).getPullRequest(number)));
  }

  private GHPullRequest remember(RepositoryRef repository, GHPullRequest pr) {
    pullRequests.put(prKey(repository, pr.getNumber()), pr);
    return pr;
  }

  private static String prKey(RepositoryRef repository, int number) {
    return key(repository) + "#" + number;
  }

  // ---- CI

  @Override
  public CiStatus ciStatus(RepositoryRef repository, String headSha) {
    String authorization = auth.authorization(repository.owner());
    List<CiStatus.Check> checks = new ArrayList<>();
    call("reading the check runs of " + headSha + " in " + repository.fullName(), () -> {
      // Every page: a failing check on the last one fails the change like any other.
      for (GHCheckRun run : hub4j.repository(repository).getCheckRuns(headSha).withPageSize(100)) {
        checks.add(CiCombiner.fromCheckRun(run));
      }
      return checks;
    });
    // The combined status lists the latest status of each context.
    client.getAll(
            "GET /repos/{owner}/{repo}/commits/{ref}/status",
            repo(repository) + "/commits/" + headSha + "/status?per_page=100",
            authorization,
            "statuses")
        .forEach(status -> checks.add(CiCombiner.fromStatus(status)));
    return CiCombiner.combine(checks, branchRules(repository, repository.defaultBranch()).requiredChecks());
  }

  /**
   * For each environment, {@code GET /repos/{owner}/{repo}/deployments?sha=&environment=} then
   * {@code GET /repos/{owner}/{repo}/deployments/{id}/statuses} of the newest deployment. Shapes as
   * in the examples of GitHub's OpenAPI description (@octokit/openapi, operations {@code
   * repos/list-deployments} and {@code repos/list-deployment-statuses}): a deployment's {@code id};
   * a status's {@code id}, {@code state}, {@code description}, {@code log_url} (or {@code
   * target_url}). The newest is the one with the highest id, whatever order a page comes in.
   */
  @Override
  public Map<String, DeploymentStatus> deploymentStatuses(RepositoryRef repository, String sha, List<String> environments) {
    String authorization = auth.authorization(repository.owner());
    Map<String, DeploymentStatus> statuses = new LinkedHashMap<>();
    for (String environment : environments) {
      Optional<JsonNode> deployment = newest(client.getAll(
          "GET /repos/{owner}/{repo}/deployments",
          repo(repository) + "/deployments?sha=" + segment(sha) + "&environment=" + segment(environment) + "&per_page=100",
          authorization,
          null));
      if (deployment.isEmpty()) {
        continue;
      }
      newest(client.getAll(
              "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
              repo(repository) + "/deployments/" + deployment.get().path("id").asLong() + "/statuses?per_page=100",
              authorization,
              null))
          .ifPresent(status -> statuses.put(environment, new DeploymentStatus(
              environment,
              DeploymentStatus.State.of(status.path("state").asText(null)),
              text(status.path("description")),
              text(status.path("log_url")) != null ? text(status.path("log_url")) : text(status.path("target_url")))));
    }
    return statuses;
  }

  private static Optional<JsonNode> newest(List<JsonNode> items) {
    return items.stream().max(java.util.Comparator.comparingLong(item -> item.path("id").asLong()));
  }

  private static String text(JsonNode value) {
    return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }

  /** The default branch's required checks (classic protection and rulesets), as the combined CI status uses them. */
  @Override
  public List<String> requiredChecks(RepositoryRef repository) {
    return branchRules(repository, repository.defaultBranch()).requiredChecks();
  }

  /**
   * What the branch demands: from discovery's GraphQL read while it is younger than {@link
   * #RULES_TTL}, else from classic protection ({@code GET .../branches/{branch}/protection/required_status_checks},
   * which needs the right to administer: without it, 403 or 404 and nothing is known from it) and
   * the rules GitHub applies to the branch from every ruleset, repository and organisation ({@code
   * GET /repos/{owner}/{repo}/rules/branches/{branch}}, which any reader may call).
   */
  @Override
  public BranchRules branchRules(RepositoryRef repository, String branch) {
    BranchRules known = knownRules(repository, branch);
    if (known != null) {
      return known;
    }
    String authorization = auth.authorization(repository.owner());
    RulesBuilder rules = new RulesBuilder();
    classicProtection(repository, branch, authorization, rules);
    rulesets(repository, branch, authorization, rules);
    BranchRules read = rules.build();
    branchRules.put(rulesKey(repository, branch), new KnownRules(read, clock.instant()));
    return read;
  }

  /** The branch's rules while the cached read is younger than {@link #RULES_TTL}, else null. */
  private BranchRules knownRules(RepositoryRef repository, String branch) {
    KnownRules known = branch == null ? null : branchRules.get(rulesKey(repository, branch));
    return known != null && known.at().plus(RULES_TTL).isAfter(clock.instant()) ? known.rules() : null;
  }

  /** Drops the cached rules of every branch of the repository; a protection or ruleset webhook calls this. */
  @Override
  public void forgetBranchRules(RepositoryRef repository) {
    String prefix = key(repository) + ":";
    branchRules.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** Shape: OpenAPI {@code repos/get-status-checks-protection}, schema {@code status-check-policy}. */
  private void classicProtection(RepositoryRef repository, String branch, String authorization, RulesBuilder rules) {
    Response response =
        client.send(
            Request.get(
                    "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
                    repo(repository) + "/branches/" + branchPath(branch) + "/protection/required_status_checks")
                .auth(authorization));
    if (response.ok()) {
      response.body().path("contexts").forEach(c -> rules.check(c.asText()));
      response.body().path("checks").forEach(c -> rules.check(c.path("context").asText()));
      rules.strict(response.body().path("strict").asBoolean(false));
    } else if (response.status() == 403 || response.status() == 404) {
      LOG.debug("cannot read branch protection of {} ({}); rulesets alone say what is required", repository.fullName(), response.status());
    } else {
      GitHubClient.requireOk(response, "reading the branch protection of " + repository.fullName());
    }
  }

  /**
   * Shape: OpenAPI {@code repos/get-branch-rules}, an array of {@code repository-rule-detailed}:
   * {@code required_status_checks} (parameters {@code required_status_checks[].context},
   * {@code strict_required_status_checks_policy}), {@code pull_request} ({@code
   * required_approving_review_count}), {@code merge_queue}.
   */
  private void rulesets(RepositoryRef repository, String branch, String authorization, RulesBuilder rules) {
    List<JsonNode> found;
    try {
      found = client.getAll(
          "GET /repos/{owner}/{repo}/rules/branches/{branch}",
          repo(repository) + "/rules/branches/" + branchPath(branch) + "?per_page=100",
          authorization,
          null);
    } catch (GitHubException e) {
      if (e.status() == 404 || e.status() == 403) {
        // GitHub Enterprise Server before rulesets, or a token that may not read them.
        LOG.debug("cannot read the rules of {} in {} ({})", branch, repository.fullName(), e.status());
        return;
      }
      throw e;
    }
    for (JsonNode rule : found) {
      JsonNode parameters = rule.path("parameters");
      switch (rule.path("type").asText()) {
        case "required_status_checks" -> {
          parameters.path("required_status_checks").forEach(c -> rules.check(c.path("context").asText()));
          rules.strict(parameters.path("strict_required_status_checks_policy").asBoolean(false));
        }
        case "pull_request" -> rules.approvals(parameters.path("required_approving_review_count").asInt(0));
        case "merge_queue" -> rules.mergeQueue();
        default -> { }
      }
    }
  }

  private static String rulesKey(RepositoryRef repository, String branch) {
    return key(repository) + ":" + branch;
  }

  // ---- up to date, merge queue

  /**
   * {@code PUT /repos/{owner}/{repo}/pulls/{number}/update-branch} with {@code expected_head_sha}
   * (OpenAPI {@code pulls/update-branch}: 202 "Updating pull request branch.", 422 when the head is
   * not the expected one or there is nothing to merge).
   */
  @Override
  public void updateBranch(RepositoryRef repository, int number, String expectedHeadSha) {
    ObjectNode body = json.createObjectNode().put("expected_head_sha", expectedHeadSha);
    Response response;
    try (ContentPacer.Permit permit = pace(repository, 1, ContentPacer.Priority.FINISH, "#" + number)) {
      response =
          client.send(
              Request.put(
                      "PUT /repos/{owner}/{repo}/pulls/{number}/update-branch",
                      repo(repository) + "/pulls/" + number + "/update-branch",
                      body)
                  .auth(auth.authorization(repository.owner())));
    }
    if (response.status() == 202 || response.ok()) {
      LOG.info("asked GitHub to bring #{} in {} up to date with its base", number, repository.fullName());
      return;
    }
    throw new GitHubException("bringing the branch of #" + number + " in " + repository.fullName()
        + " up to date failed with " + response.status() + ": " + response.message(), response.status());
  }

  /**
   * Whether the head is a two-parent merge whose first parent is the previous head, as "Update
   * branch" makes it. Shape: OpenAPI {@code repos/get-commit}, {@code parents[].sha}.
   */
  @Override
  public boolean isUpdateFromBase(RepositoryRef repository, String headSha, String previousHeadSha) {
    Response response =
        client.send(
            Request.get("GET /repos/{owner}/{repo}/commits/{ref}", repo(repository) + "/commits/" + segment(headSha))
                .auth(auth.authorization(repository.owner())));
    if (response.status() == 404 || response.status() == 422) {
      return false;
    }
    GitHubClient.requireOk(response, "reading commit " + headSha + " of " + repository.fullName());
    JsonNode parents = response.body().path("parents");
    return parents.size() == 2 && previousHeadSha.equals(parents.get(0).path("sha").asText());
  }

  /**
   * The pull request's place in the merge queue (GraphQL {@code PullRequest.isInMergeQueue},
   * {@code mergeQueueEntry}), or its removal: the last {@code RemovedFromMergeQueueEvent} counts
   * when it came after the head commit was made, so a removal of an earlier head is history.
   */
  @Override
  public MergeQueueStatus mergeQueueStatus(RepositoryRef repository, int number) {
    ObjectNode body = json.createObjectNode().put("query", """
        query($owner: String!, $name: String!, $number: Int!) {
          repository(owner: $owner, name: $name) {
            pullRequest(number: $number) {
              isInMergeQueue
              mergeQueueEntry { position state }
              commits(last: 1) { nodes { commit { committedDate } } }
              timelineItems(last: 1, itemTypes: [REMOVED_FROM_MERGE_QUEUE_EVENT]) {
                nodes { ... on RemovedFromMergeQueueEvent { createdAt reason } }
              }
            }
          }
        }""");
    body.putObject("variables").put("owner", repository.owner()).put("name", repository.name()).put("number", number);
    JsonNode pr = graphql(repository, body, "reading the merge queue entry of #" + number + " in " + repository.fullName())
        .path("repository").path("pullRequest");
    if (pr.path("isInMergeQueue").asBoolean(false)) {
      JsonNode entry = pr.path("mergeQueueEntry");
      return new MergeQueueStatus.Queued(entry.path("position").asInt(0), entry.path("state").asText("QUEUED"));
    }
    JsonNode removal = pr.path("timelineItems").path("nodes").path(0);
    JsonNode head = pr.path("commits").path("nodes").path(0).path("commit");
    if (removal.isObject() && head.isObject()
        && instant(removal.path("createdAt")).isAfter(instant(head.path("committedDate")))) {
      String reason = removal.path("reason").asText("");
      return new MergeQueueStatus.Removed(reason.isBlank() ? "no reason given" : reason);
    }
    return MergeQueueStatus.NOT_QUEUED;
  }

  /**
   * The {@code enqueuePullRequest} mutation (GraphQL schema: {@code EnqueuePullRequestInput} with
   * {@code pullRequestId} and {@code expectedHeadOid}). A pull request already in the queue stays.
   */
  @Override
  public void enqueue(RepositoryRef repository, int number, String expectedHeadSha) {
    String nodeId = call("reading pull request #" + number, () -> pullRequest(repository, number).getNodeId());
    ObjectNode body = json.createObjectNode().put("query", """
        mutation($id: ID!, $head: GitObjectID) {
          enqueuePullRequest(input: {pullRequestId: $id, expectedHeadOid: $head}) {
            mergeQueueEntry { position state }
          }
        }""");
    body.putObject("variables").put("id", nodeId).put("head", expectedHeadSha);
    try (ContentPacer.Permit permit = pace(repository, 1, ContentPacer.Priority.FINISH, "#" + number)) {
      JsonNode entry = graphql(repository, body, "adding #" + number + " in " + repository.fullName() + " to the merge queue")
          .path("enqueuePullRequest").path("mergeQueueEntry");
      LOG.info("added #{} in {} to the merge queue at position {}", number, repository.fullName(), entry.path("position").asInt());
    } catch (GitHubException e) {
      if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("already")) {
        LOG.debug("#{} in {} was already in the merge queue", number, repository.fullName());
        return;
      }
      throw e;
    }
  }

  /** The {@code data} of a GraphQL answer; its {@code errors} become the exception's message. */
  private JsonNode graphql(RepositoryRef repository, ObjectNode body, String what) {
    Response response = client.send(Request.post("POST /graphql", graphqlUrl(), body).auth(auth.authorization(repository.owner())));
    GitHubClient.requireOk(response, what);
    JsonNode errors = response.body().path("errors");
    if (errors.isArray() && !errors.isEmpty()) {
      List<String> messages = new ArrayList<>();
      errors.forEach(e -> messages.add(e.path("message").asText()));
      throw new GitHubException(what + " failed: " + Printable.escape(String.join("; ", messages)), response.status());
    }
    return response.body().path("data");
  }

  private static Instant instant(JsonNode text) {
    return text.isTextual() ? OffsetDateTime.parse(text.asText()).toInstant() : Instant.EPOCH;
  }

  // ---- merge

  @Override
  public MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method) {
    ObjectNode body =
        json.createObjectNode().put("sha", expectedHeadSha).put("merge_method", method.name().toLowerCase(Locale.ROOT));
    // The deletion of the merged branch is paid for with the merge, so it never waits behind new pull requests.
    boolean deleteAfter = !deletesHeadBranches.getOrDefault(key(repository), false);
    Response response;
    try (ContentPacer.Permit permit = pace(repository, deleteAfter ? 2 : 1, ContentPacer.Priority.FINISH, "#" + number)) {
      response =
          client.send(
              Request.put("PUT /repos/{owner}/{repo}/pulls/{number}/merge", repo(repository) + "/pulls/" + number + "/merge", body)
                  .auth(auth.authorization(repository.owner())));
    }
    return switch (response.status()) {
      case 200 -> {
        pullRequests.remove(prKey(repository, number));
        if (deleteAfter) {
          deletionsPaidFor.merge(key(repository), 1, Integer::sum);
        }
        yield new MergeResult.Merged(response.body().path("sha").asText());
      }
      case 409 -> new MergeResult.HeadMoved(getPullRequest(repository, number).headSha());
      case 403, 405, 422 -> {
        MergeResult result = refused(repository, number, response);
        learnFrom(repository, result);
        yield result;
      }
      default -> {
        GitHubClient.requireOk(response, "merging pull request #" + number + " in " + repository.fullName());
        throw new GitHubException("merging pull request #" + number + " in " + repository.fullName()
            + " answered " + response.status() + ": " + response.message(), response.status());
      }
    };
  }

  /** A refusal, unless an earlier unanswered attempt did merge: then the refusal is about that. */
  private MergeResult refused(RepositoryRef repository, int number, Response response) {
    if (response.attempts() > 1) {
      GHPullRequest pr =
          call("reading pull request #" + number + " in " + repository.fullName(), () -> hub4j.repository(repository).getPullRequest(number));
      if (toPullRequest(pr, true).state() == PullRequest.State.MERGED) {
        return new MergeResult.Merged(call("reading the merge of #" + number, pr::getMergeCommitSha));
      }
    }
    return refusal(response.message());
  }

  /**
   * A refusal says what the rules are, even when they could not be read (no right to administer):
   * kept until the rules are read again, so the next round enqueues or updates instead of merging.
   */
  private void learnFrom(RepositoryRef repository, MergeResult refusal) {
    String branchKey = rulesKey(repository, repository.defaultBranch());
    if (refusal instanceof MergeResult.QueueRequired || refusal instanceof MergeResult.OutOfDate) {
      boolean queue = refusal instanceof MergeResult.QueueRequired;
      branchRules.compute(branchKey, (k, known) -> {
        BranchRules rules = known == null ? BranchRules.NONE : known.rules();
        return new KnownRules(
            new BranchRules(rules.requiredChecks(), rules.strict() || !queue, rules.mergeQueue() || queue, rules.requiredApprovals()),
            clock.instant());
      });
    } else if (!(refusal instanceof MergeResult.Merged)) {
      // Protection or a ruleset may have changed since the last read.
      forgetBranchRules(repository);
    }
  }

  /**
   * What a refused merge means, from GitHub's message (the OpenAPI description documents only the
   * 405 "Pull Request is not mergeable"; the others are GitHub's answers to a merge that protection
   * or a ruleset refuses).
   */
  static MergeResult refusal(String message) {
    String text = String.valueOf(message).toLowerCase(Locale.ROOT);
    if (text.contains("merge queue")) {
      return new MergeResult.QueueRequired(message);
    }
    if (text.contains("out of date") || text.contains("up to date") || text.contains("up-to-date") || text.contains("base branch was modified")) {
      return new MergeResult.OutOfDate(message);
    }
    if (text.contains("review") || text.contains("status check") || text.contains("rule violation")
        || text.contains("protected branch") || text.contains("is not allowed")) {
      return new MergeResult.Blocked(message);
    }
    return new MergeResult.NotMergeable(message);
  }

  @Override
  public void deleteBranch(RepositoryRef repository, String branch) {
    if (deletesHeadBranches.getOrDefault(key(repository), false)) {
      LOG.debug("{} deletes merged head branches itself; leaving {} to it", repository.fullName(), branch);
      return;
    }
    Response response;
    try (ContentPacer.Permit permit = paidFor(repository) ? null : pace(repository, 1, ContentPacer.Priority.FINISH, branch)) {
      response =
          client.send(
              Request.delete("DELETE /repos/{owner}/{repo}/git/refs/{ref}", repo(repository) + "/git/refs/heads/" + branchPath(branch))
                  .auth(auth.authorization(repository.owner())));
    }
    if (response.status() == 422 || response.status() == 404) {
      LOG.debug("branch {} of {} was already gone", branch, repository.fullName());
      return;
    }
    GitHubClient.requireOk(response, "deleting branch " + branch + " of " + repository.fullName());
  }

  /** Uses up a deletion paid for with a merge in this repository, if there is one. */
  private boolean paidFor(RepositoryRef repository) {
    boolean[] paid = {false};
    deletionsPaidFor.computeIfPresent(key(repository), (k, n) -> {
      paid[0] = true;
      return n > 1 ? n - 1 : null;
    });
    return paid[0];
  }

  @Override
  public Optional<String> branchHead(RepositoryRef repository, String branch) {
    Response response =
        client.send(
            Request.get("GET /repos/{owner}/{repo}/git/ref/{ref}", repo(repository) + "/git/ref/heads/" + branchPath(branch))
                .auth(auth.authorization(repository.owner())));
    if (response.status() == 404 || response.status() == 409) {
      return Optional.empty();
    }
    GitHubClient.requireOk(response, "reading branch " + branch + " of " + repository.fullName());
    String sha = response.body().path("object").path("sha").asText("");
    return sha.isEmpty() ? Optional.empty() : Optional.of(sha);
  }

  // ---- mapping

  /**
   * Reads only what the answer holds: hub4j fetches a pull request again when a getter finds its
   * field missing, and list answers have no mergeability.
   *
   * @param full whether the pull request came from a single read (or the create), not a list
   */
  private PullRequest toPullRequest(GHPullRequest pr, boolean full) {
    return call("reading pull request #" + pr.getNumber(), () -> {
      PullRequest.State state;
      // Merged only when GitHub says "merged": true; merged_at alone is not proof (and list answers,
      // open pull requests only, have no "merged" field at all).
      if (full && pr.isMerged()) {
        state = PullRequest.State.MERGED;
      } else if (pr.getState() == GHIssueState.CLOSED) {
        state = PullRequest.State.CLOSED;
      } else {
        state = PullRequest.State.OPEN;
      }
      return new PullRequest(
          pr.getNumber(),
          pr.getHtmlUrl().toString(),
          pr.getHead().getRef(),
          pr.getBase().getRef(),
          pr.getHead().getSha(),
          state,
          full ? mergeable(pr) : PullRequest.Mergeable.UNKNOWN);
    });
  }

  private static PullRequest.Mergeable mergeable(GHPullRequest pr) throws IOException {
    String mergeableState = pr.getMergeableState();
    if (mergeableState == null || "unknown".equals(mergeableState)) {
      // GitHub computes mergeability in the background and answers null until it is done; asking
      // hub4j for it now would fetch the pull request again.
      return PullRequest.Mergeable.UNKNOWN;
    }
    return mergeable(mergeableState, pr.getMergeable());
  }

  /**
   * What GitHub's mergeability says, from REST's {@code mergeable_state} and {@code mergeable}, or
   * GraphQL's {@code mergeStateStatus} in lower case (the same words: DIRTY, BEHIND, BLOCKED, DRAFT,
   * CLEAN, UNSTABLE, HAS_HOOKS, UNKNOWN) and {@code mergeable} (MERGEABLE true, CONFLICTING false,
   * UNKNOWN null).
   */
  static PullRequest.Mergeable mergeable(String mergeableState, Boolean mergeable) {
    if ("dirty".equals(mergeableState)) {
      return PullRequest.Mergeable.CONFLICTING;
    }
    if ("behind".equals(mergeableState)) {
      return PullRequest.Mergeable.BEHIND;
    }
    if ("blocked".equals(mergeableState) || "draft".equals(mergeableState)) {
      return PullRequest.Mergeable.BLOCKED;
    }
    if (mergeableState == null || "unknown".equals(mergeableState) || mergeable == null) {
      return PullRequest.Mergeable.UNKNOWN;
    }
    return mergeable ? PullRequest.Mergeable.MERGEABLE : PullRequest.Mergeable.CONFLICTING;
  }

  /** A hub4j call whose failure becomes a {@link GitHubException} naming {@code what}. */
  private <T> T call(String what, Hub4jCall<T> call) {
    try {
      return call.run();
    } catch (IOException e) {
      throw hub4j.failure(what, e);
    } catch (GHException e) {
      // hub4j's iterators wrap failures of later pages.
      if (e.getCause() instanceof GitHubException cause) {
        throw cause;
      }
      if (e.getCause() instanceof dev.flotilla.controller.forge.ForgeBusy busy) {
        throw busy;
      }
      if (e.getCause() instanceof IOException cause) {
        throw hub4j.failure(what, cause);
      }
      throw e;
    }
  }

  private void act(String what, Hub4jAction action) {
    call(what, () -> {
      action.run();
      return null;
    });
  }

  @FunctionalInterface
  private interface Hub4jCall<T> {
    T run() throws IOException;
  }

  @FunctionalInterface
  private interface Hub4jAction {
    void run() throws IOException;
  }

  private static RepositoryRef toRef(JsonNode repo) {
    return new RepositoryRef(
        repo.path("owner").path("login").asText(),
        repo.path("name").asText(),
        repo.path("default_branch").asText(),
        repo.path("clone_url").asText(),
        repo.path("html_url").asText());
  }

  /** The body with a footer naming the campaign, the owners and the dashboard, unless it has one. */
  private String withFooter(RepositoryRef repository, PullRequestSpec spec) {
    String body = spec.body() == null ? "" : spec.body();
    if (config.dashboardUrl() == null || body.contains(config.dashboardUrl().toString())) {
      return body;
    }
    String campaign = spec.branch().startsWith("flotilla/") ? spec.branch().substring("flotilla/".length()) : spec.branch();
    return body + "\n\n---\nCampaign `" + campaign + "` on `" + repository.fullName() + "` (owners: @" + repository.owner()
        + "). Progress of the whole fleet: [Flotilla dashboard](" + config.dashboardUrl() + ").\n";
  }

  private static String fullName(JsonNode repo) {
    return (repo.path("owner").path("login").asText() + "/" + repo.path("name").asText()).toLowerCase(Locale.ROOT);
  }

  private static String key(RepositoryRef ref) {
    return ref.fullName().toLowerCase(Locale.ROOT);
  }

  private static String repo(RepositoryRef ref) {
    return "/repos/" + segment(ref.owner()) + "/" + segment(ref.name());
  }

  private static String branchPath(String branch) {
    return Arrays.stream(branch.split("/")).map(GitHubForge::segment).collect(Collectors.joining("/"));
  }

  private static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String toString() {
    return "GitHubForge[" + config + "]";
  }
}
