package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.Printable;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.forge.github.GitHubClient.Request;
import dev.flotilla.controller.forge.github.GitHubClient.Response;
import dev.flotilla.runner.RunRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * costs no extra requests, plain REST where it has not, and GraphQL to read many opt-in files in one
 * query; every request goes through one {@link MeteredConnector}. Built to spend little of the rate
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

  /** What the last GraphQL read found in one repository, and at which push. */
  private record OptInRead(String pushedAt, String text, String oid) {}

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
  private final Map<String, List<String>> requiredChecks = new ConcurrentHashMap<>();
  private final Map<String, GHPullRequest> pullRequests = new ConcurrentHashMap<>();

  private GitHubForge(GitHubConfig config, GitHubClient client, GitHubAuth auth, Hub4j hub4j, EtagCache etags) {
    this.config = config;
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
    return new GitHubForge(config, client, auth, new Hub4j(config.url(), connector, auth, client.json()), etags);
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

  private boolean eligible(JsonNode repo) {
    return !repo.path("archived").asBoolean(false)
        && !repo.path("disabled").asBoolean(false)
        && repo.path("size").asLong(0) > 0
        && !repo.path("default_branch").asText("").isEmpty()
        && (config.includeForks() || !repo.path("fork").asBoolean(false));
  }

  private Map<RepositoryRef, String> queryOptInFiles(List<RepositoryRef> batch) {
    StringBuilder query = new StringBuilder("query {");
    for (int i = 0; i < batch.size(); i++) {
      RepositoryRef ref = batch.get(i);
      query.append(" r").append(i).append(": repository(owner: ").append(quote(ref.owner()))
          .append(", name: ").append(quote(ref.name())).append(") {")
          .append(" object(expression: ").append(quote("HEAD:" + OPT_IN_FILE)).append(") { ... on Blob { text oid byteSize isBinary } }")
          .append(" defaultBranchRef { refUpdateRule { requiredStatusCheckContexts } } }");
    }
    query.append(" }");
    ObjectNode body = json.createObjectNode().put("query", query.toString());
    Response response =
        client.send(Request.post("POST /graphql", graphqlUrl(), body).auth(auth.authorization(batch.get(0).owner())));
    GitHubClient.requireOk(response, "reading " + OPT_IN_FILE + " files with GraphQL");
    JsonNode data = response.body().path("data");
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
      String text = optInText(ref, repo.path("object"));
      optInReads.put(key(ref), new OptInRead(pushedAt.getOrDefault(key(ref), ""), text, repo.path("object").path("oid").asText(null)));
      noteRequiredChecks(ref, repo.path("defaultBranchRef"));
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

  private void noteRequiredChecks(RepositoryRef ref, JsonNode defaultBranch) {
    if (!defaultBranch.isObject()) {
      return;
    }
    List<String> names = new ArrayList<>();
    defaultBranch.path("refUpdateRule").path("requiredStatusCheckContexts").forEach(n -> names.add(n.asText()));
    requiredChecks.put(key(ref), List.copyOf(names));
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
    return auth.runToken(repository.owner(), repository.name());
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
    Opened opened = createOrAdopt(repository, spec);
    GHPullRequest pr = remember(repository, opened.pullRequest());
    addLabels(repository, pr, spec.labels());
    requestReviewers(repository, pr.getNumber(), spec.reviewers());
    return toPullRequest(pr, opened.created());
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

  @Override
  public void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec) {
    GHPullRequest pr = pullRequest(repository, number);
    act("updating pull request #" + number + " in " + repository.fullName(), () -> {
      pr.setTitle(spec.title());
      pr.setBody(withFooter(repository, spec));
    });
  }

  @Override
  public void closePullRequest(RepositoryRef repository, int number, String comment) {
    GHPullRequest pr = pullRequest(repository, number);
    act("commenting on pull request #" + number + " in " + repository.fullName(), () -> pr.comment(comment));
    act("closing pull request #" + number + " in " + repository.fullName(), pr::close);
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
    return CiCombiner.combine(checks, requiredChecks(repository, authorization));
  }

  /** Branch protection's required checks, from the same lookup the combined CI status uses. */
  @Override
  public List<String> requiredChecks(RepositoryRef repository) {
    return List.copyOf(requiredChecks(repository, auth.authorization(repository.owner())));
  }

  /**
   * The checks branch protection requires on the default branch: from discovery's GraphQL read
   * when there was one, else from the protection API. Without the right to read protection (403,
   * 404), none are known and every reported check must pass.
   */
  private List<String> requiredChecks(RepositoryRef repository, String authorization) {
    List<String> known = requiredChecks.get(key(repository));
    if (known != null) {
      return known;
    }
    Response response =
        client.send(
            Request.get(
                    "GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
                    repo(repository) + "/branches/" + branchPath(repository.defaultBranch()) + "/protection/required_status_checks")
                .auth(authorization));
    List<String> required = new ArrayList<>();
    if (response.ok()) {
      response.body().path("contexts").forEach(c -> required.add(c.asText()));
      response.body().path("checks").forEach(c -> {
        String context = c.path("context").asText();
        if (!required.contains(context)) {
          required.add(context);
        }
      });
    } else if (response.status() == 403 || response.status() == 404) {
      LOG.debug("cannot read branch protection of {} ({}); every reported check must pass", repository.fullName(), response.status());
    } else {
      GitHubClient.requireOk(response, "reading the required checks of " + repository.fullName());
    }
    requiredChecks.put(key(repository), List.copyOf(required));
    return required;
  }

  // ---- merge

  @Override
  public MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method) {
    ObjectNode body =
        json.createObjectNode().put("sha", expectedHeadSha).put("merge_method", method.name().toLowerCase(Locale.ROOT));
    Response response =
        client.send(
            Request.put("PUT /repos/{owner}/{repo}/pulls/{number}/merge", repo(repository) + "/pulls/" + number + "/merge", body)
                .auth(auth.authorization(repository.owner())));
    return switch (response.status()) {
      case 200 -> {
        pullRequests.remove(prKey(repository, number));
        yield new MergeResult.Merged(response.body().path("sha").asText());
      }
      case 409 -> new MergeResult.HeadMoved(getPullRequest(repository, number).headSha());
      case 403, 405, 422 -> refused(repository, number, response);
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
    return new MergeResult.NotMergeable(response.message());
  }

  @Override
  public void deleteBranch(RepositoryRef repository, String branch) {
    Response response =
        client.send(
            Request.delete("DELETE /repos/{owner}/{repo}/git/refs/{ref}", repo(repository) + "/git/refs/heads/" + branchPath(branch))
                .auth(auth.authorization(repository.owner())));
    if (response.status() == 422 || response.status() == 404) {
      LOG.debug("branch {} of {} was already gone", branch, repository.fullName());
      return;
    }
    GitHubClient.requireOk(response, "deleting branch " + branch + " of " + repository.fullName());
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
      if (pr.getMergedAt() != null || (full && pr.isMerged())) {
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
    if ("dirty".equals(mergeableState)) {
      return PullRequest.Mergeable.CONFLICTING;
    }
    if (mergeableState == null || "unknown".equals(mergeableState)) {
      // GitHub computes mergeability in the background and answers null until it is done; asking
      // hub4j for it now would fetch the pull request again.
      return PullRequest.Mergeable.UNKNOWN;
    }
    Boolean mergeable = pr.getMergeable();
    if (mergeable == null) {
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
