package dev.flotilla.controller.forge.github.sim;

import static dev.flotilla.controller.forge.github.sim.Templates.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A GitHub in this process, for tests and benchmarks: it keeps state as GitHub does and answers the
 * REST and GraphQL calls Flotilla's GitHub forge makes, with GitHub's shapes (copied from GitHub's own
 * examples, see {@link Templates}), status codes and headers. Git goes to bare repositories under a
 * folder, served over smart HTTP by {@link SimGitHttp}, so the real runner clones and pushes with the
 * installation token. See {@code package-info.java} for what it covers.
 */
public final class GitHubSim implements AutoCloseable {

  static final PersonIdent GITHUB = new PersonIdent("GitHub", "noreply@github.com");

  /** One webhook delivery and what the receiver answered. */
  public record Delivery(String event, String action, String id, int status) {}

  /** An injected failure: {@code times} answers of {@code status} to requests whose endpoint name is {@code endpoint}. */
  private record Fault(String endpoint, int status, AtomicInteger left, Duration delay, boolean secondaryLimit) {}

  /** Who a request is from. */
  record Identity(String key, Long installation, Map<String, String> permissions, List<String> repositories, boolean app) {
    boolean sees(SimRepo repo, Map<Long, String> installations) {
      if (installation == null) {
        return !app;
      }
      String account = installations.get(installation);
      return account != null && account.equalsIgnoreCase(repo.owner)
          && (repositories == null || repositories.stream().anyMatch(r -> r.equalsIgnoreCase(repo.name)));
    }

    boolean may(String permission, String level) {
      if (installation == null) {
        return !app;
      }
      String granted = permissions.get(permission);
      return granted != null && ("write".equals(granted) || "read".equals(level));
    }
  }

  private record Token(String value, Long installation, Map<String, String> permissions, List<String> repositories, Instant expiresAt) {}

  /** An answer to send. */
  record Reply(int status, JsonNode body, Map<String, String> headers) {
    static Reply json(int status, JsonNode body) {
      return new Reply(status, body, new LinkedHashMap<>());
    }

    static Reply message(int status, String message) {
      return json(status, JSON.createObjectNode().put("message", message)
          .put("documentation_url", "https://docs.github.com/rest"));
    }
  }

  private final Path root;
  private final Templates templates = new Templates();
  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService requests = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "github-sim-request");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "github-sim-timer");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService webhookSender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "github-sim-webhooks");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final Router router;
  private final SimGitHttp gitHttp;
  final Ci ci;
  final Merges merges;
  final Limits limits = new Limits();
  private final AtomicLong ids = new AtomicLong(1000);
  private final Map<String, SimRepo> repos = new ConcurrentHashMap<>();
  private final Map<Long, String> installations = new ConcurrentHashMap<>();
  private final Map<Long, Map<String, String>> granted = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, String> personalTokens = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger contentCreations = new AtomicInteger();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final AtomicInteger secondaryLimitHits = new AtomicInteger();
  private final AtomicInteger primaryLimitHits = new AtomicInteger();
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration latencySpread = Duration.ZERO;
  private volatile URI webhookUrl;
  private volatile byte[] webhookSecret;
  private volatile long appId = 4242;
  /** How long GitHub takes to compute a new repository's size (it does so about hourly). */
  private volatile Duration sizeDelay = Duration.ZERO;
  /** The CI delay of repositories created from now on. */
  private volatile Duration ciDelay = Duration.ofMillis(200);
  private final URI base;

  private GitHubSim(Path root, Clock clock) throws IOException {
    this.root = Files.createDirectories(root);
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    this.base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    this.ci = new Ci(this);
    this.merges = new Merges(this);
    this.router = new Router(this);
    this.gitHttp = new SimGitHttp(this);
    server.createContext("/", this::handle);
    server.setExecutor(requests);
    server.start();
  }

  /** A started simulator keeping its bare repositories under {@code root}. */
  public static GitHubSim start(Path root) {
    try {
      return new GitHubSim(root, Clock.systemUTC());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- what tests set up and read

  /** The REST API root, for {@code FLOTILLA_GITHUB_URL}; GraphQL is at {@code /graphql} beneath it, as on github.com. */
  public URI apiUrl() {
    return base;
  }

  public long appId() {
    return appId;
  }

  public Limits limits() {
    return limits;
  }

  /** What an installation grants when the test does not say: what Flotilla's documentation asks for. */
  public static final Map<String, String> ALL_PERMISSIONS = Map.of("contents", "write", "pull_requests", "write",
      "checks", "read", "statuses", "read", "metadata", "read", "workflows", "write", "administration", "read");

  /** Installs the App on {@code account} with {@link #ALL_PERMISSIONS}; returns the installation id. */
  public long install(String account) {
    return install(account, ALL_PERMISSIONS);
  }

  /** Installs the App on {@code account} granting {@code permissions}; tokens asking for more are refused with 422. */
  public long install(String account, Map<String, String> permissions) {
    long id = ids.incrementAndGet();
    installations.put(id, account);
    granted.put(id, Map.copyOf(permissions));
    return id;
  }

  /** Changes what the installation grants, as an organisation owner accepting or refusing the App's permissions. */
  public void grant(long installation, Map<String, String> permissions) {
    granted.put(installation, Map.copyOf(permissions));
  }

  Map<String, String> granted(long installation) {
    return granted.getOrDefault(installation, ALL_PERMISSIONS);
  }

  public Ci ci() {
    return ci;
  }

  /** A personal access token that sees every repository. */
  public void addPersonalToken(String token, String login) {
    personalTokens.put(token, login);
  }

  /** Where webhooks go and the secret they are signed with; null stops them. */
  public void webhooks(URI url, String secret) {
    this.webhookUrl = url;
    this.webhookSecret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Every request waits this long before it is answered. */
  public void latency(Duration latency) {
    latency(latency, latency);
  }

  /** Every request waits between {@code least} and {@code most} (uniformly) before it is answered, as over a network. */
  public void latency(Duration least, Duration most) {
    if (most.compareTo(least) < 0) {
      throw new IllegalArgumentException("latency " + least + " to " + most + ": the most is less than the least");
    }
    this.latency = least;
    this.latencySpread = most.minus(least);
  }

  public void sizeDelay(Duration delay) {
    this.sizeDelay = delay;
  }

  /** How long the {@code ci} check of repositories created from now on takes; null: only {@link #completeCheck}. */
  public void ciDelay(Duration delay) {
    this.ciDelay = delay;
  }

  /** The next {@code times} requests to {@code endpoint} (such as {@code PUT /repos/{owner}/{repo}/pulls/{number}/merge}) answer {@code status}. */
  public void fault(String endpoint, int status, int times) {
    faults.add(new Fault(endpoint, status, new AtomicInteger(times), Duration.ZERO, false));
  }

  /**
   * The next {@code times} requests to {@code endpoint} hit a secondary rate limit: {@code status}
   * (403 or 429) with GitHub's message and {@code Retry-After} of {@link Limits#retryAfterSeconds},
   * and the request is not carried out.
   */
  public void secondaryLimit(String endpoint, int status, int times) {
    faults.add(new Fault(endpoint, status, new AtomicInteger(times), Duration.ZERO, true));
  }

  /** The next {@code times} requests to {@code endpoint} wait {@code delay} before their answer. */
  public void slow(String endpoint, Duration delay, int times) {
    faults.add(new Fault(endpoint, 0, new AtomicInteger(times), delay, false));
  }

  /** The primary budget of every credential that used one runs out now, and is whole again {@code resetIn} later. */
  public void exhaustPrimaryLimit(Duration resetIn) {
    limits.exhaust(now(), resetIn);
  }

  /** Requests answered per endpoint name, as {@code GET /repos/{owner}/{repo}/pulls/{number}}. */
  public Map<String, Integer> calls() {
    Map<String, Integer> copy = new java.util.TreeMap<>();
    calls.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public int calls(String endpoint) {
    AtomicInteger n = calls.get(endpoint);
    return n == null ? 0 : n.get();
  }

  public int contentCreations() {
    return contentCreations.get();
  }

  /** Requests answered with a secondary rate limit (content creation or requests in flight), 403 with {@code Retry-After}. */
  public int secondaryLimitHits() {
    return secondaryLimitHits.get();
  }

  /** Requests answered 403 because the primary budget was spent. */
  public int primaryLimitHits() {
    return primaryLimitHits.get();
  }

  /** Every request answered, over all endpoints. */
  public int totalCalls() {
    return calls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** A repository whose default branch {@code main} holds {@code files} (none: an empty repository). */
  public SimRepo createRepo(String owner, String name, Map<String, String> files) {
    SimRepo repo = new SimRepo(ids.incrementAndGet(), owner, name, root.resolve(owner).resolve(name + ".git"), now());
    repo.sizeKnownAt = now().plus(sizeDelay);
    repo.ci.add(SimRepo.CheckSpec.checkRun("ci", ciDelay));
    repos.put(key(owner, name), repo);
    if (!files.isEmpty()) {
      commit(owner, name, "main", files, "Initial commit");
    }
    return repo;
  }

  public SimRepo repo(String owner, String name) {
    SimRepo repo = repos.get(key(owner, name));
    if (repo == null) {
      throw new IllegalArgumentException("no repository " + owner + "/" + name + " in the simulator");
    }
    return repo;
  }

  Optional<SimRepo> find(String owner, String name) {
    return Optional.ofNullable(repos.get(key(owner, name)));
  }

  List<SimRepo> repos() {
    return repos.values().stream().sorted(java.util.Comparator.comparingLong(r -> r.id)).toList();
  }

  /** A person's commit pushed to {@code branch}: CI starts, pull requests see it, webhooks go out. */
  public String commit(String owner, String name, String branch, Map<String, String> files, String message) {
    SimRepo repo = repo(owner, name);
    try {
      ObjectId parent = repo.head(branch).orElse(null);
      ObjectId commit = repo.commitFiles(parent, files, message, new PersonIdent("A Person", "person@example.com"));
      if (!repo.moveBranch(branch, parent == null ? ObjectId.zeroId() : parent, commit)) {
        throw new IllegalStateException(branch + " moved during the commit");
      }
      pushed(repo, branch, parent, commit);
      return commit.name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new branch {@code branch} off {@code from} with one commit, pushed as a person would. */
  public String commitOn(String owner, String name, String from, String branch, Map<String, String> files, String message) {
    SimRepo repo = repo(owner, name);
    try {
      ObjectId parent = repo.head(from).orElseThrow();
      ObjectId commit = repo.commitFiles(parent, files, message, new PersonIdent("A Person", "person@example.com"));
      ObjectId before = repo.head(branch).orElse(null);
      repo.moveBranch(branch, null, commit);
      pushed(repo, branch, before, commit);
      return commit.name();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An installation token for {@code account} with {@code permissions}, as the App would mint one. */
  public String mintForTest(String account, Map<String, String> permissions) {
    long installation = installations.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(account))
        .map(Map.Entry::getKey).findFirst().orElseThrow();
    return mint(installation, permissions, null, now().plus(Duration.ofHours(1)));
  }

  /** The merge queue removes the pull request with {@code reason}, such as {@code MANUAL}. */
  public void dequeue(String owner, String name, int number, String reason) {
    merges.dequeue(repo(owner, name), pull(owner, name, number), reason);
  }

  public SimPull pull(String owner, String name, int number) {
    SimPull pull = repo(owner, name).pulls.get(number);
    if (pull == null) {
      throw new IllegalArgumentException("no pull request #" + number + " in " + owner + "/" + name);
    }
    return pull;
  }

  /** The open pull request of {@code branch}, if any. */
  public Optional<SimPull> openPull(String owner, String name, String branch) {
    return repo(owner, name).pulls.values().stream().filter(p -> p.open && p.headRef.equals(branch)).findFirst();
  }

  /** A reviewer's review (APPROVED, CHANGES_REQUESTED, COMMENTED), with its {@code pull_request_review} webhook. */
  public void review(String owner, String name, int number, String reviewer, String state) {
    SimRepo repo = repo(owner, name);
    SimPull pull = pull(owner, name, number);
    pull.reviews.put(reviewer, state);
    pull.updatedAt = now();
    ObjectNode payload = templates.webhook("pull_request_review.submitted");
    payload.put("action", "submitted");
    ObjectNode review = (ObjectNode) payload.get("review");
    review.put("id", ids.incrementAndGet()).put("state", state.toLowerCase(Locale.ROOT)).put("commit_id", pull.headSha)
        .put("submitted_at", now().toString());
    ((ObjectNode) review.get("user")).put("login", reviewer);
    payload.set("pull_request", pullJson(repo, pull));
    send("pull_request_review", repo, payload);
  }

  /** A person closes the pull request on GitHub's page. */
  public void close(String owner, String name, int number) {
    SimRepo repo = repo(owner, name);
    SimPull pull = pull(owner, name, number);
    pull.open = false;
    pull.closedAt = now();
    pullRequestEvent("closed", repo, pull);
  }

  /** Completes the pending check {@code name} on {@code sha} with {@code conclusion} (success, failure, ...). */
  public void completeCheck(String owner, String name, String sha, String check, String conclusion) {
    ci.complete(repo(owner, name), sha, check, conclusion, conclusion);
  }

  /** A new repository joins the installation on {@code owner}, with its {@code installation_repositories} webhook. */
  public SimRepo addToInstallation(String owner, String name, Map<String, String> files) {
    return addToInstallation(createRepo(owner, name, files));
  }

  /** Sends the {@code installation_repositories} webhook for {@code repo}, set up by the caller first. */
  public SimRepo addToInstallation(SimRepo repo) {
    String owner = repo.owner;
    String name = repo.name;
    ObjectNode payload = templates.webhook("installation_repositories.added");
    payload.put("action", "added");
    ArrayNode added = payload.putArray("repositories_added");
    added.addObject().put("id", repo.id).put("node_id", "R_sim" + repo.id).put("name", name)
        .put("full_name", repo.fullName()).put("private", true);
    payload.putArray("repositories_removed");
    installations.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(owner)).findFirst().ifPresent(e -> {
      ObjectNode installation = (ObjectNode) payload.get("installation");
      installation.put("id", e.getKey());
      ((ObjectNode) installation.get("account")).put("login", owner);
    });
    payload.remove("repository");
    deliver("installation_repositories", "added", payload);
    return repo;
  }

  @Override
  public void close() {
    server.stop(0);
    timers.shutdownNow();
    webhookSender.shutdownNow();
    requests.shutdownNow();
    repos.values().forEach(r -> r.git.close());
  }

  // ---- state changes shared by the API, git pushes and commands

  Instant now() {
    return clock.instant();
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  Templates templates() {
    return templates;
  }

  URI base() {
    return base;
  }

  Map<Long, String> installations() {
    return installations;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  String cloneUrl(SimRepo repo) {
    return base + "/git/" + repo.owner + "/" + repo.name + ".git";
  }

  /** A ref moved by a push, a merge or a branch update: CI, pull requests and webhooks follow, as on GitHub. */
  void pushed(SimRepo repo, String branch, ObjectId before, ObjectId after) {
    repo.pushedAt = now();
    if (after == null || after.equals(ObjectId.zeroId())) {
      for (SimPull pull : repo.pulls.values()) {
        if (pull.open && pull.headRef.equals(branch)) {
          // GitHub closes a pull request whose head branch is deleted.
          pull.open = false;
          pull.closedAt = now();
          pullRequestEvent("closed", repo, pull);
        }
      }
      pushEvent(repo, branch, before, ObjectId.zeroId());
      return;
    }
    ci.start(repo, after.name(), branch);
    pushEvent(repo, branch, before, after);
    for (SimPull pull : repo.pulls.values()) {
      if (!pull.open) {
        continue;
      }
      if (pull.headRef.equals(branch)) {
        pull.headSha = after.name();
        pull.updatedAt = now();
        pullRequestEvent("synchronize", repo, pull);
      }
    }
  }

  void pullRequestEvent(String action, SimRepo repo, SimPull pull) {
    String template = switch (action) {
      case "opened", "closed", "synchronize" -> "pull_request." + action;
      default -> "pull_request.synchronize";
    };
    ObjectNode payload = templates.webhook(template);
    payload.put("action", action).put("number", pull.number);
    payload.set("pull_request", pullJson(repo, pull));
    if ("dequeued".equals(action)) {
      payload.put("reason", pull.dequeueReason);
    }
    if ("synchronize".equals(action)) {
      payload.put("before", pull.headSha).put("after", pull.headSha);
    }
    send("pull_request", repo, payload);
  }

  private void pushEvent(SimRepo repo, String branch, ObjectId before, ObjectId after) {
    ObjectNode payload = templates.webhook("push");
    payload.put("ref", "refs/heads/" + branch)
        .put("before", before == null ? ObjectId.zeroId().name() : before.name())
        .put("after", after.name())
        .put("created", before == null || before.equals(ObjectId.zeroId()))
        .put("deleted", after.equals(ObjectId.zeroId()))
        .put("forced", false)
        .put("compare", base + "/" + repo.fullName() + "/compare");
    ArrayNode commits = payload.putArray("commits");
    if (!after.equals(ObjectId.zeroId())) {
      try {
        List<List<String>> paths = repo.addedModifiedRemoved(before, after);
        ObjectNode commit = commits.addObject().put("id", after.name()).put("tree_id", after.name()).put("distinct", true)
            .put("message", "pushed").put("timestamp", now().toString()).put("url", base + "/" + repo.fullName() + "/commit/" + after.name());
        commit.putObject("author").put("name", "A Person").put("email", "person@example.com");
        commit.putObject("committer").put("name", "A Person").put("email", "person@example.com");
        paths.get(0).forEach(commit.putArray("added")::add);
        paths.get(2).forEach(commit.putArray("removed")::add);
        paths.get(1).forEach(commit.putArray("modified")::add);
        payload.set("head_commit", commit.deepCopy());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      payload.putNull("head_commit");
    }
    send("push", repo, payload);
  }

  /** Sends {@code payload} about {@code repo}, with its repository and installation filled in. */
  void send(String event, SimRepo repo, ObjectNode payload) {
    if (webhookUrl == null) {
      return;
    }
    payload.set("repository", repoJson(repo));
    installations.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(repo.owner)).findFirst()
        .ifPresent(e -> payload.putObject("installation").put("id", e.getKey()).put("node_id", "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u" + e.getKey()));
    deliver(event, payload.path("action").asText(null), payload);
  }

  private void deliver(String event, String action, ObjectNode payload) {
    URI url = webhookUrl;
    byte[] secret = webhookSecret;
    if (url == null) {
      return;
    }
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    String id = UUID.randomUUID().toString();
    webhookSender.execute(() -> {
      int status;
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("User-Agent", "GitHub-Hookshot/sim")
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", id)
            .header("X-GitHub-Hook-ID", "1")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
          request.header("X-Hub-Signature-256", signature(secret, body));
        }
        status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        status = -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      deliveries.add(new Delivery(event, action, id, status));
    });
  }

  /** {@code sha256=} and the hex HMAC-SHA256 of the body, as GitHub signs deliveries. */
  public static String signature(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- JSON shapes

  /** A repository: from the example of {@code GET /repos/{owner}/{repo}} (operation repos/get). */
  ObjectNode repoJson(SimRepo repo) {
    ObjectNode n = templates.rest("GET /repos/{owner}/{repo} 200");
    n.remove(List.of("parent", "source", "template_repository", "organization", "license"));
    String api = base + "/repos/" + repo.fullName();
    boolean sized = !repo.empty() && !now().isBefore(repo.sizeKnownAt);
    n.put("id", repo.id).put("node_id", "R_sim" + repo.id).put("name", repo.name).put("full_name", repo.fullName())
        .put("private", true).put("visibility", "private").put("fork", false)
        .put("html_url", base + "/" + repo.fullName()).put("url", api)
        .put("clone_url", cloneUrl(repo)).put("git_url", cloneUrl(repo)).put("ssh_url", "git@127.0.0.1:" + repo.fullName() + ".git")
        .put("svn_url", base + "/" + repo.fullName()).put("mirror_url", (String) null)
        .put("default_branch", repo.defaultBranch).put("archived", repo.archived).put("disabled", false)
        .put("size", sized ? repo.sizeKb() : 0)
        .put("delete_branch_on_merge", repo.deleteBranchOnMerge).put("allow_auto_merge", repo.allowAutoMerge)
        .put("allow_merge_commit", repo.allowMergeCommit).put("allow_squash_merge", repo.allowSquashMerge)
        .put("allow_rebase_merge", repo.allowRebaseMerge)
        .put("created_at", repo.createdAt.toString()).put("updated_at", repo.createdAt.toString())
        .put("pushed_at", repo.pushedAt == null ? null : repo.pushedAt.toString());
    ObjectNode owner = (ObjectNode) n.get("owner");
    owner.put("login", repo.owner).put("type", "Organization").put("html_url", base + "/" + repo.owner);
    return n;
  }

  /** A pull request: from the example of {@code GET /repos/{owner}/{repo}/pulls/{pull_number}} (operation pulls/get). */
  ObjectNode pullJson(SimRepo repo, SimPull pull) {
    return pullJson(repo, pull, true);
  }

  ObjectNode pullJson(SimRepo repo, SimPull pull, boolean full) {
    ObjectNode n = templates.rest("GET /repos/{owner}/{repo}/pulls/{pull_number} 200");
    String api = base + "/repos/" + repo.fullName();
    String html = base + "/" + repo.fullName() + "/pull/" + pull.number;
    n.put("url", api + "/pulls/" + pull.number).put("id", pull.id).put("node_id", pull.nodeId()).put("number", pull.number)
        .put("html_url", html).put("diff_url", html + ".diff").put("patch_url", html + ".patch")
        .put("issue_url", api + "/issues/" + pull.number).put("commits_url", api + "/pulls/" + pull.number + "/commits")
        .put("comments_url", api + "/issues/" + pull.number + "/comments").put("statuses_url", api + "/statuses/" + pull.headSha)
        .put("review_comments_url", api + "/pulls/" + pull.number + "/comments")
        .put("state", pull.open ? "open" : "closed").put("title", pull.title).put("body", pull.body)
        .put("created_at", pull.createdAt.toString()).put("updated_at", pull.updatedAt.toString())
        .put("closed_at", pull.closedAt == null ? null : pull.closedAt.toString())
        .put("merged_at", pull.mergedAt == null ? null : pull.mergedAt.toString())
        .put("merge_commit_sha", pull.mergeCommitSha)
        .put("draft", false).put("locked", false).put("comments", pull.comments.size());
    n.putNull("milestone");
    n.putNull("assignee");
    n.putArray("assignees");
    n.putNull("auto_merge");
    n.putArray("requested_teams");
    ArrayNode reviewers = n.putArray("requested_reviewers");
    pull.reviewers.forEach(r -> reviewers.addObject().put("login", r).put("id", Math.abs(r.hashCode())).put("type", "User"));
    ArrayNode labels = n.putArray("labels");
    pull.labels.forEach(l -> labels.add(labelJson(repo, l)));
    ((ObjectNode) n.get("user")).put("login", "flotilla[bot]").put("type", "Bot");
    branchJson((ObjectNode) n.get("head"), repo, pull.headRef, pull.headSha);
    branchJson((ObjectNode) n.get("base"), repo, pull.baseRef, repo.head(pull.baseRef).map(ObjectId::name).orElse(null));
    ((ObjectNode) n.get("_links")).removeAll();
    if (full) {
      Mergeability m = merges.mergeability(repo, pull);
      n.put("merged", pull.merged);
      if (m.mergeable() == null) {
        n.putNull("mergeable");
        n.putNull("rebaseable");
      } else {
        n.put("mergeable", m.mergeable()).put("rebaseable", m.mergeable());
      }
      n.put("mergeable_state", m.state());
      n.putNull("merged_by");
    } else {
      // List answers carry no mergeability, as on GitHub.
      for (String field : List.of("merged", "mergeable", "rebaseable", "mergeable_state", "merged_by", "comments",
          "review_comments", "maintainer_can_modify", "commits", "additions", "deletions", "changed_files")) {
        n.remove(field);
      }
    }
    return n;
  }

  private void branchJson(ObjectNode n, SimRepo repo, String ref, String sha) {
    n.put("label", repo.owner + ":" + ref).put("ref", ref).put("sha", sha);
    ((ObjectNode) n.get("user")).put("login", repo.owner);
    n.set("repo", repoJson(repo));
  }

  ObjectNode labelJson(SimRepo repo, String label) {
    ObjectNode n = templates.restItem("POST /repos/{owner}/{repo}/issues/{issue_number}/labels 200");
    return n.put("name", label).put("id", Math.abs(label.hashCode())).put("url", base + "/repos/" + repo.fullName() + "/labels/" + label);
  }

  /** What GitHub says of a pull request's mergeability. */
  record Mergeability(Boolean mergeable, String state) {}

  // ---- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Duration wait = latencySpread.isZero() ? latency
          : latency.plusNanos(java.util.concurrent.ThreadLocalRandom.current().nextLong(latencySpread.toNanos() + 1));
      if (!wait.isZero()) {
        sleep(wait);
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/git/")) {
        gitHttp.handle(exchange, path.substring("/git".length()));
        return;
      }
      Router.Call call = router.route(exchange);
      if (call == null) {
        write(exchange, Reply.message(404, "Not Found"), null, null);
        return;
      }
      calls.computeIfAbsent(call.endpoint(), k -> new AtomicInteger()).incrementAndGet();
      for (Fault fault : faults) {
        if (fault.endpoint().equals(call.endpoint()) && fault.left().getAndDecrement() > 0) {
          if (!fault.delay().isZero()) {
            sleep(fault.delay());
          } else if (fault.secondaryLimit()) {
            secondaryLimitHits.incrementAndGet();
            Reply reply = Reply.message(fault.status(), "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
            reply.headers().put("Retry-After", String.valueOf(limits.retryAfterSeconds));
            write(exchange, reply, null, null);
            return;
          } else {
            write(exchange, Reply.message(fault.status(), fault.status() >= 500 ? "Server Error" : "Injected fault"), null, null);
            return;
          }
        }
      }
      Identity who = identify(exchange.getRequestHeaders().getFirst("Authorization"));
      if (who == null) {
        write(exchange, Reply.message(401, "Bad credentials"), null, null);
        return;
      }
      String resource = call.endpoint().equals("POST /graphql") ? "graphql" : "core";
      AtomicInteger flying = inFlight.computeIfAbsent(who.key(), k -> new AtomicInteger());
      try {
        if (flying.incrementAndGet() > limits.concurrency) {
          secondaryLimitHits.incrementAndGet();
          Reply reply = Reply.message(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
          reply.headers().put("Retry-After", String.valueOf(limits.retryAfterSeconds));
          write(exchange, reply, null, null);
          return;
        }
        Limits.Budget budget = limits.take(who.key(), resource, now());
        if (budget == null) {
          Limits.Budget spent = limits.peek(who.key(), resource, now());
          spent.used = limits.limit(resource);
          primaryLimitHits.incrementAndGet();
          write(exchange, Reply.message(403, "API rate limit exceeded for " + (who.installation() == null ? "user" : "installation ID " + who.installation()) + "."),
              spent, resource);
          return;
        }
        if (call.createsContent()) {
          if (!limits.create(who.key(), now())) {
            secondaryLimitHits.incrementAndGet();
            Reply reply = Reply.message(403, "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.");
            reply.headers().put("Retry-After", String.valueOf(limits.retryAfterSeconds));
            write(exchange, reply, budget, resource);
            return;
          }
          contentCreations.incrementAndGet();
        }
        Reply reply;
        try {
          reply = call.handler().handle(call, who);
        } catch (RuntimeException e) {
          reply = Reply.message(500, "simulator failure: " + e);
          e.printStackTrace();
        }
        String etag = reply.headers().get("ETag");
        if (etag != null && etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
          limits.refund(who.key(), resource);
          reply = new Reply(304, null, reply.headers());
          budget = limits.peek(who.key(), resource, now());
        }
        write(exchange, reply, budget, resource);
      } finally {
        flying.decrementAndGet();
      }
    }
  }

  private void write(HttpExchange exchange, Reply reply, Limits.Budget budget, String resource) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Server", "GitHub.com");
    headers.set("X-GitHub-Request-Id", UUID.randomUUID().toString().substring(0, 18).toUpperCase(Locale.ROOT));
    if (budget != null) {
      int limit = limits.limit(resource);
      headers.set("X-RateLimit-Limit", String.valueOf(limit));
      headers.set("X-RateLimit-Remaining", String.valueOf(Math.max(0, limit - budget.used)));
      headers.set("X-RateLimit-Used", String.valueOf(budget.used));
      headers.set("X-RateLimit-Reset", String.valueOf(budget.reset.getEpochSecond()));
      headers.set("X-RateLimit-Resource", resource);
    }
    reply.headers().forEach(headers::set);
    if (reply.body() == null || reply.status() == 304 || reply.status() == 204) {
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(reply.body());
    headers.set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The credential of a request: the App's JWT, an installation token, or a personal token; null when none is valid. */
  Identity identify(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.replaceFirst("^(?i)(bearer|token)\\s+", "").trim();
    if (value.startsWith("eyJ") && value.chars().filter(c -> c == '.').count() == 2) {
      try {
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(value.split("\\.")[1]));
        if (claims.path("iss").asText().equals(String.valueOf(appId)) && claims.path("exp").asLong() > now().getEpochSecond()) {
          return new Identity("app", null, Map.of(), null, true);
        }
      } catch (IOException | IllegalArgumentException e) {
        return null;
      }
      return null;
    }
    Token token = tokens.get(value);
    if (token != null) {
      return now().isBefore(token.expiresAt())
          ? new Identity("installation:" + token.installation(), token.installation(), token.permissions(), token.repositories(), false)
          : null;
    }
    String login = personalTokens.get(value);
    return login == null ? null : new Identity("user:" + login, null, Map.of(), null, false);
  }

  /** Mints an installation token, as {@code POST /app/installations/{id}/access_tokens} does. */
  String mint(long installation, Map<String, String> permissions, List<String> repositories, Instant expiresAt) {
    String value = "ghs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 32) + "sim";
    tokens.put(value, new Token(value, installation, Map.copyOf(permissions), repositories == null ? null : List.copyOf(repositories), expiresAt));
    return value;
  }

  /** Identity of a git request's Basic credentials: the password is the token. */
  Identity identifyBasic(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : identify("token " + decoded.substring(colon + 1));
  }

  static String key(String owner, String name) {
    return (owner + "/" + name).toLowerCase(Locale.ROOT);
  }

  static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
