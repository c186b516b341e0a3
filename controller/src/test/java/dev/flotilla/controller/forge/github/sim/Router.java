package dev.flotilla.controller.forge.github.sim;

import static dev.flotilla.controller.forge.github.sim.Templates.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.controller.forge.github.sim.GitHubSim.Identity;
import dev.flotilla.controller.forge.github.sim.GitHubSim.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The REST and GraphQL endpoints the simulator answers, each named as GitHub's documentation names
 * it ({@code GET /repos/{owner}/{repo}/pulls/{pull_number}}), the name calls are counted under.
 */
final class Router {

  /** Answers one routed request. */
  @FunctionalInterface
  interface Handler {
    Reply handle(Call call, Identity who);
  }

  /** A routed request: its endpoint name, path parameters, query and body. */
  record Call(String endpoint, List<String> params, Map<String, String> query, JsonNode body, Handler handler, boolean createsContent) {
    String param(int i) {
      return GitHubSim.decode(params.get(i));
    }
  }

  private record Route(String method, Pattern path, String name, Handler handler, boolean createsContent) {}

  private static final String SEG = "([^/]+)";
  private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private final GitHubSim sim;
  private final List<Route> routes = new ArrayList<>();

  Router(GitHubSim sim) {
    this.sim = sim;
    get("/app", "/app", this::app);
    get("/app/installations", "/app/installations", this::installations);
    post("/app/installations/(\\d+)/access_tokens", "/app/installations/{installation_id}/access_tokens", this::accessToken, false);
    get("/installation/repositories", "/installation/repositories", this::installationRepositories);
    get("/orgs/" + SEG + "/repos", "/orgs/{org}/repos", this::orgRepositories);
    get("/user/repos", "/user/repos", this::userRepositories);
    get("/rate_limit", "/rate_limit", (c, w) -> Reply.json(200, JSON.createObjectNode()));
    String repo = "/repos/" + SEG + "/" + SEG;
    get(repo, "/repos/{owner}/{repo}", (c, w) -> withRepo(c, w, r -> Reply.json(200, sim.repoJson(r))));
    get(repo + "/pulls", "/repos/{owner}/{repo}/pulls", this::listPulls);
    post(repo + "/pulls", "/repos/{owner}/{repo}/pulls", this::createPull, true);
    get(repo + "/pulls/(\\d+)", "/repos/{owner}/{repo}/pulls/{pull_number}", (c, w) -> withPull(c, w, (r, p) -> Reply.json(200, sim.pullJson(r, p))));
    route("PATCH", repo + "/pulls/(\\d+)", "/repos/{owner}/{repo}/pulls/{pull_number}", this::editPull, true);
    route("PATCH", repo + "/issues/(\\d+)", "/repos/{owner}/{repo}/issues/{issue_number}", this::editPull, true);
    route("PUT", repo + "/pulls/(\\d+)/merge", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", (c, w) -> withPull(c, w, (r, p) ->
        writes(w, "contents").orElseGet(() -> sim.merges.merge(r, p, c.body().path("sha").asText(null), c.body().path("merge_method").asText(null)))), true);
    route("PUT", repo + "/pulls/(\\d+)/update-branch", "/repos/{owner}/{repo}/pulls/{pull_number}/update-branch", (c, w) -> withPull(c, w, (r, p) ->
        writes(w, "contents").orElseGet(() -> sim.merges.updateBranch(r, p, c.body().path("expected_head_sha").asText(null)))), true);
    post(repo + "/pulls/(\\d+)/requested_reviewers", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", this::requestReviewers, true);
    get(repo + "/pulls/(\\d+)/reviews", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", this::listReviews);
    post(repo + "/issues/(\\d+)/labels", "/repos/{owner}/{repo}/issues/{issue_number}/labels", this::addLabels, true);
    post(repo + "/issues/(\\d+)/comments", "/repos/{owner}/{repo}/issues/{issue_number}/comments", this::comment, true);
    get(repo + "/commits/" + SEG, "/repos/{owner}/{repo}/commits/{ref}", this::commit);
    get(repo + "/commits/" + SEG + "/check-runs", "/repos/{owner}/{repo}/commits/{ref}/check-runs", this::checkRuns);
    get(repo + "/commits/" + SEG + "/status", "/repos/{owner}/{repo}/commits/{ref}/status", this::combinedStatus);
    get(repo + "/branches/(.+)/protection/required_status_checks", "/repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
        this::requiredStatusChecks);
    get(repo + "/rules/branches/(.+)", "/repos/{owner}/{repo}/rules/branches/{branch}", this::branchRules);
    route("DELETE", repo + "/git/refs/(.+)", "/repos/{owner}/{repo}/git/refs/{ref}", this::deleteRef, true);
    post("/graphql", "/graphql", new GraphQl(sim)::answer, false);
  }

  private void get(String regex, String name, Handler handler) {
    route("GET", regex, name, handler, false);
  }

  private void post(String regex, String name, Handler handler, boolean createsContent) {
    route("POST", regex, name, handler, createsContent);
  }

  private void route(String method, String regex, String name, Handler handler, boolean createsContent) {
    routes.add(new Route(method, Pattern.compile(regex), method + " " + name, handler, createsContent));
  }

  /** The route of the request, or null. */
  Call route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    for (Route route : routes) {
      Matcher m = route.path().matcher(path);
      if (route.method().equals(method) && m.matches()) {
        List<String> params = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
          params.add(m.group(i));
        }
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode body = bytes.length == 0 ? MissingNode.getInstance() : JSON.readTree(bytes);
        return new Call(route.name(), params, query(exchange.getRequestURI().getRawQuery()), body, route.handler(), route.createsContent());
      }
    }
    return null;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(GitHubSim.decode(pair.substring(0, eq)), GitHubSim.decode(pair.substring(eq + 1)));
        }
      }
    }
    return query;
  }

  // ---- App and listings

  /** From the example of {@code GET /app} (operation apps/get-authenticated). */
  private Reply app(Call call, Identity who) {
    if (!who.app()) {
      return Reply.message(401, "A JSON web token could not be decoded");
    }
    ObjectNode app = sim.templates().rest("GET /app 200");
    app.put("id", sim.appId()).put("slug", "flotilla").put("name", "Flotilla").put("html_url", sim.base() + "/apps/flotilla");
    return Reply.json(200, app);
  }

  /** From the example of {@code GET /app/installations} (operation apps/list-installations). */
  private Reply installations(Call call, Identity who) {
    if (!who.app()) {
      return Reply.message(401, "A JSON web token could not be decoded");
    }
    ArrayNode list = JSON.createArrayNode();
    sim.installations().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      ObjectNode installation = sim.templates().restItem("GET /app/installations 200");
      installation.put("id", e.getKey()).put("app_id", sim.appId()).put("target_id", e.getKey()).put("target_type", "Organization")
          .put("access_tokens_url", sim.base() + "/app/installations/" + e.getKey() + "/access_tokens")
          .put("repositories_url", sim.base() + "/installation/repositories")
          .put("html_url", sim.base() + "/organizations/" + e.getValue() + "/settings/installations/" + e.getKey())
          .put("app_slug", "flotilla").put("repository_selection", "all");
      ((ObjectNode) installation.get("account")).put("login", e.getValue()).put("type", "Organization");
      ObjectNode permissions = installation.putObject("permissions");
      sim.granted(e.getKey()).forEach(permissions::put);
      list.add(installation);
    });
    return Reply.json(200, list);
  }

  /**
   * From the example of {@code POST /app/installations/{installation_id}/access_tokens} (operation
   * apps/create-installation-access-token): narrowed to the repositories and permissions asked for.
   */
  private Reply accessToken(Call call, Identity who) {
    if (!who.app()) {
      return Reply.message(401, "A JSON web token could not be decoded");
    }
    long installation = Long.parseLong(call.param(0));
    if (!sim.installations().containsKey(installation)) {
      return Reply.message(404, "Not Found");
    }
    Map<String, String> permissions = new LinkedHashMap<>();
    Map<String, String> granted = sim.granted(installation);
    JsonNode asked = call.body().path("permissions");
    if (asked.isObject() && asked.size() > 0) {
      asked.fields().forEachRemaining(e -> permissions.put(e.getKey(), e.getValue().asText()));
      for (Map.Entry<String, String> wanted : permissions.entrySet()) {
        String has = granted.get(wanted.getKey());
        if (has == null || ("write".equals(wanted.getValue()) && !"write".equals(has))) {
          return Reply.message(422, "The permissions requested are not granted to this installation.");
        }
      }
    } else {
      permissions.putAll(granted);
    }
    permissions.putIfAbsent("metadata", "read");
    List<String> repositories = null;
    if (call.body().path("repositories").isArray()) {
      repositories = new ArrayList<>();
      for (JsonNode name : call.body().path("repositories")) {
        repositories.add(name.asText());
      }
    }
    var expires = sim.now().plus(TOKEN_LIFETIME);
    String token = sim.mint(installation, permissions, repositories, expires);
    ObjectNode body = sim.templates().rest("POST /app/installations/{installation_id}/access_tokens 201");
    body.put("token", token).put("expires_at", expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .put("repository_selection", repositories == null ? "all" : "selected");
    ObjectNode given = body.putObject("permissions");
    permissions.forEach(given::put);
    ArrayNode repos = body.putArray("repositories");
    if (repositories != null) {
      String account = sim.installations().get(installation);
      repositories.forEach(name -> sim.find(account, name).ifPresent(r -> repos.add(sim.repoJson(r))));
    } else {
      body.remove("repositories");
    }
    return Reply.json(201, body);
  }

  /** {@code GET /installation/repositories}: {@code total_count} and a page of repositories, as operation apps/list-repos-accessible-to-installation. */
  private Reply installationRepositories(Call call, Identity who) {
    if (who.installation() == null) {
      return Reply.message(403, "You must authenticate with an installation access token in order to list repositories for an installation.");
    }
    List<SimRepo> visible = sim.repos().stream().filter(r -> who.sees(r, sim.installations())).toList();
    return page(call, "/installation/repositories", visible, (items, total) -> {
      ObjectNode body = JSON.createObjectNode().put("total_count", total);
      body.set("repositories", items);
      return body;
    });
  }

  private Reply orgRepositories(Call call, Identity who) {
    String org = call.param(0);
    List<SimRepo> visible = sim.repos().stream().filter(r -> r.owner.equalsIgnoreCase(org) && who.sees(r, sim.installations())).toList();
    return page(call, "/orgs/" + org + "/repos", visible, (items, total) -> items);
  }

  private Reply userRepositories(Call call, Identity who) {
    List<SimRepo> visible = sim.repos().stream().filter(r -> who.sees(r, sim.installations())).toList();
    return page(call, "/user/repos", visible, (items, total) -> items);
  }

  /** A page of repositories with GitHub's {@code Link} header and an ETag over the page's content. */
  private Reply page(Call call, String path, List<SimRepo> all, java.util.function.BiFunction<ArrayNode, Integer, JsonNode> shape) {
    int perPage = Math.min(100, Integer.parseInt(call.query().getOrDefault("per_page", "30")));
    int page = Math.max(1, Integer.parseInt(call.query().getOrDefault("page", "1")));
    ArrayNode items = JSON.createArrayNode();
    all.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(r -> items.add(sim.repoJson(r)));
    Reply reply = Reply.json(200, shape.apply(items, all.size()));
    if ((long) page * perPage < all.size()) {
      String type = call.query().containsKey("type") ? "&type=" + call.query().get("type") : "";
      reply.headers().put("Link", "<" + sim.base() + path + "?per_page=" + perPage + type + "&page=" + (page + 1) + ">; rel=\"next\"");
    }
    reply.headers().put("ETag", "W/\"" + Integer.toHexString(reply.body().toString().hashCode()) + "\"");
    return reply;
  }

  // ---- pull requests

  private Reply withRepo(Call call, Identity who, java.util.function.Function<SimRepo, Reply> then) {
    Optional<SimRepo> repo = sim.find(call.param(0), call.param(1));
    if (repo.isEmpty() || !who.sees(repo.get(), sim.installations())) {
      return Reply.message(404, "Not Found");
    }
    return then.apply(repo.get());
  }

  private Reply withPull(Call call, Identity who, java.util.function.BiFunction<SimRepo, SimPull, Reply> then) {
    return withRepo(call, who, repo -> {
      SimPull pull = repo.pulls.get(Integer.parseInt(call.param(2)));
      return pull == null ? Reply.message(404, "Not Found") : then.apply(repo, pull);
    });
  }

  /** A 403 when the token lacks {@code permission: write}, as GitHub answers "Resource not accessible by integration". */
  private static Optional<Reply> writes(Identity who, String permission) {
    return who.may(permission, "write") ? Optional.empty() : Optional.of(Reply.message(403, "Resource not accessible by integration"));
  }

  private Reply listPulls(Call call, Identity who) {
    return withRepo(call, who, repo -> {
      String head = call.query().get("head");
      String state = call.query().getOrDefault("state", "open");
      ArrayNode list = JSON.createArrayNode();
      repo.pulls.values().stream()
          .filter(p -> head == null || head.equalsIgnoreCase(repo.owner + ":" + p.headRef))
          .filter(p -> "all".equals(state) || ("open".equals(state) == p.open))
          .sorted((a, b) -> Integer.compare(b.number, a.number))
          .limit(Math.min(100, Integer.parseInt(call.query().getOrDefault("per_page", "30"))))
          .forEach(p -> list.add(sim.pullJson(repo, p, false)));
      return Reply.json(200, list);
    });
  }

  /** {@code POST /repos/{owner}/{repo}/pulls}: 201 with the pull request, or 422 as GitHub answers. */
  private Reply createPull(Call call, Identity who) {
    return withRepo(call, who, repo -> writes(who, "pull_requests").orElseGet(() -> {
      synchronized (repo) {
        String head = call.body().path("head").asText();
        String headRef = head.contains(":") ? head.substring(head.indexOf(':') + 1) : head;
        String base = call.body().path("base").asText(repo.defaultBranch);
        Optional<ObjectId> headSha = repo.head(headRef);
        if (headSha.isEmpty()) {
          return validation("head", "invalid");
        }
        if (repo.pulls.values().stream().anyMatch(p -> p.open && p.headRef.equals(headRef) && p.baseRef.equals(base))) {
          Reply reply = Reply.message(422, "Validation Failed");
          ((ObjectNode) reply.body()).putArray("errors").addObject().put("resource", "PullRequest").put("code", "custom")
              .put("message", "A pull request already exists for " + repo.owner + ":" + headRef + ".");
          return reply;
        }
        int number = repo.pulls.size() + 1;
        SimPull pull = new SimPull(number, sim.nextId(), call.body().path("title").asText(), call.body().path("body").asText(null),
            headRef, headSha.get().name(), base, sim.now());
        repo.pulls.put(number, pull);
        sim.pullRequestEvent("opened", repo, pull);
        return Reply.json(201, sim.pullJson(repo, pull));
      }
    }));
  }

  private static Reply validation(String field, String code) {
    Reply reply = Reply.message(422, "Validation Failed");
    ((ObjectNode) reply.body()).putArray("errors").addObject().put("resource", "PullRequest").put("field", field).put("code", code);
    return reply;
  }

  private Reply editPull(Call call, Identity who) {
    return withPull(call, who, (repo, pull) -> writes(who, "pull_requests").orElseGet(() -> {
      JsonNode body = call.body();
      if (body.has("title")) {
        pull.title = body.path("title").asText();
      }
      if (body.has("body")) {
        pull.body = body.path("body").asText(null);
      }
      if ("closed".equals(body.path("state").asText()) && pull.open) {
        pull.open = false;
        pull.closedAt = sim.now();
        sim.pullRequestEvent("closed", repo, pull);
      }
      pull.updatedAt = sim.now();
      return Reply.json(200, sim.pullJson(repo, pull));
    }));
  }

  private Reply requestReviewers(Call call, Identity who) {
    return withPull(call, who, (repo, pull) -> {
      for (JsonNode reviewer : call.body().path("reviewers")) {
        if (reviewer.asText().startsWith("ghost")) {
          Reply reply = Reply.message(422, "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the " + repo.fullName() + " repository.");
          return reply;
        }
        pull.reviewers.add(reviewer.asText());
      }
      return Reply.json(201, sim.pullJson(repo, pull, false));
    });
  }

  private Reply listReviews(Call call, Identity who) {
    return withPull(call, who, (repo, pull) -> {
      ArrayNode list = JSON.createArrayNode();
      pull.reviews.forEach((user, state) -> {
        ObjectNode review = list.addObject().put("id", Math.abs((user + pull.number).hashCode())).put("state", state)
            .put("commit_id", pull.headSha).put("body", "").put("submitted_at", sim.now().toString());
        review.putObject("user").put("login", user).put("type", "User");
      });
      return Reply.json(200, list);
    });
  }

  private Reply addLabels(Call call, Identity who) {
    return withPull(call, who, (repo, pull) -> {
      JsonNode labels = call.body().isArray() ? call.body() : call.body().path("labels");
      for (JsonNode label : labels) {
        if (!pull.labels.contains(label.asText())) {
          pull.labels.add(label.asText());
        }
      }
      ArrayNode list = JSON.createArrayNode();
      pull.labels.forEach(l -> list.add(sim.labelJson(repo, l)));
      return Reply.json(200, list);
    });
  }

  /** From the example of {@code POST /repos/{owner}/{repo}/issues/{issue_number}/comments} (operation issues/create-comment). */
  private Reply comment(Call call, Identity who) {
    return withPull(call, who, (repo, pull) -> {
      pull.comments.add(call.body().path("body").asText());
      ObjectNode comment = sim.templates().rest("POST /repos/{owner}/{repo}/issues/{issue_number}/comments 201");
      long id = sim.nextId();
      comment.put("id", id).put("body", call.body().path("body").asText())
          .put("url", sim.base() + "/repos/" + repo.fullName() + "/issues/comments/" + id)
          .put("html_url", sim.base() + "/" + repo.fullName() + "/pull/" + pull.number + "#issuecomment-" + id)
          .put("issue_url", sim.base() + "/repos/" + repo.fullName() + "/issues/" + pull.number)
          .put("created_at", sim.now().toString()).put("updated_at", sim.now().toString());
      return Reply.json(201, comment);
    });
  }

  // ---- CI and rules

  private Reply checkRuns(Call call, Identity who) {
    return withRepo(call, who, repo -> {
      String sha = resolve(repo, call.param(2));
      ArrayNode runs = JSON.createArrayNode();
      sim.ci.of(repo, sha).stream().filter(c -> !c.commitStatus).forEach(c -> runs.add(sim.ci.checkRunJson(repo, sha, c)));
      ObjectNode body = JSON.createObjectNode().put("total_count", runs.size());
      body.set("check_runs", runs);
      return Reply.json(200, body);
    });
  }

  /** From the example of {@code GET /repos/{owner}/{repo}/commits/{ref}/status} (operation repos/get-combined-status-for-ref). */
  private Reply combinedStatus(Call call, Identity who) {
    return withRepo(call, who, repo -> {
      String sha = resolve(repo, call.param(2));
      ObjectNode body = sim.templates().rest("GET /repos/{owner}/{repo}/commits/{ref}/status 200");
      ObjectNode example = (ObjectNode) body.get("statuses").get(0);
      ArrayNode statuses = body.putArray("statuses");
      List<Ci.Check> reported = sim.ci.of(repo, sha).stream().filter(c -> c.commitStatus).toList();
      reported.forEach(c -> statuses.add(sim.ci.statusJson(repo, sha, c, example)));
      String state = reported.stream().anyMatch(Ci.Check::failed) ? "failure"
          : !reported.isEmpty() && reported.stream().allMatch(Ci.Check::passed) ? "success" : "pending";
      body.put("state", state).put("sha", sha).put("total_count", reported.size())
          .put("commit_url", sim.base() + "/repos/" + repo.fullName() + "/commits/" + sha)
          .put("url", sim.base() + "/repos/" + repo.fullName() + "/commits/" + sha + "/status");
      body.set("repository", sim.repoJson(repo));
      return Reply.json(200, body);
    });
  }

  /** From the example of {@code GET /repos/{owner}/{repo}/commits/{ref}} (operation repos/get-commit): the commit and its parents. */
  private Reply commit(Call call, Identity who) {
    return withRepo(call, who, repo -> {
      String sha = resolve(repo, call.param(2));
      try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo.git)) {
        org.eclipse.jgit.revwalk.RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
        ObjectNode body = sim.templates().rest("GET /repos/{owner}/{repo}/commits/{ref} 200");
        String api = sim.base() + "/repos/" + repo.fullName();
        body.put("sha", sha).put("node_id", "C_sim" + sha).put("url", api + "/commits/" + sha)
            .put("html_url", sim.base() + "/" + repo.fullName() + "/commit/" + sha);
        ObjectNode inner = (ObjectNode) body.get("commit");
        inner.put("message", commit.getFullMessage()).put("url", api + "/git/commits/" + sha);
        ((ObjectNode) inner.get("author")).put("name", commit.getAuthorIdent().getName())
            .put("email", commit.getAuthorIdent().getEmailAddress()).put("date", commit.getAuthorIdent().getWhenAsInstant().toString());
        ((ObjectNode) inner.get("committer")).put("name", commit.getCommitterIdent().getName())
            .put("email", commit.getCommitterIdent().getEmailAddress()).put("date", commit.getCommitterIdent().getWhenAsInstant().toString());
        ((ObjectNode) inner.get("tree")).put("sha", commit.getTree().name());
        ArrayNode parents = body.putArray("parents");
        for (org.eclipse.jgit.revwalk.RevCommit parent : commit.getParents()) {
          parents.addObject().put("sha", parent.name()).put("url", api + "/commits/" + parent.name());
        }
        body.putArray("files");
        return Reply.json(200, body);
      } catch (org.eclipse.jgit.errors.MissingObjectException | IllegalArgumentException e) {
        return Reply.message(422, "No commit found for SHA: " + sha);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String resolve(SimRepo repo, String ref) {
    String decoded = GitHubSim.decode(ref);
    return decoded.matches("[0-9a-f]{40}") ? decoded : repo.head(decoded).map(ObjectId::name).orElse(decoded);
  }

  /** From the example of {@code GET .../branches/{branch}/protection/required_status_checks} (operation repos/get-status-checks-protection). */
  private Reply requiredStatusChecks(Call call, Identity who) {
    return withRepo(call, who, repo -> {
      SimRepo.Rules protection = repo.protection;
      if (protection == null || !GitHubSim.decode(call.param(2)).equals(repo.defaultBranch)) {
        return Reply.message(404, "Branch not protected");
      }
      ObjectNode body = sim.templates().rest("GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks 200");
      body.put("strict", protection.strict).put("url", sim.base() + "/repos/" + repo.fullName() + "/branches/" + repo.defaultBranch
          + "/protection/required_status_checks");
      ArrayNode contexts = body.putArray("contexts");
      ArrayNode checks = body.putArray("checks");
      protection.requiredChecks.forEach(name -> {
        contexts.add(name);
        checks.addObject().put("context", name).putNull("app_id");
      });
      return Reply.json(200, body);
    });
  }

  /**
   * {@code GET /repos/{owner}/{repo}/rules/branches/{branch}}: the ruleset's rules, each shaped as the
   * example of operation repos/get-branch-rules ({@code type}, {@code ruleset_source_type}, ...).
   */
  private Reply branchRules(Call call, Identity who) {
    return withRepo(call, who, repo -> {
      ArrayNode rules = JSON.createArrayNode();
      SimRepo.Rules ruleset = repo.ruleset;
      if (ruleset != null && GitHubSim.decode(call.param(2)).equals(repo.defaultBranch)) {
        ObjectNode example = sim.templates().restItem("GET /repos/{owner}/{repo}/rules/branches/{branch} 200");
        example.put("ruleset_source", repo.fullName()).put("ruleset_id", repo.id);
        if (!ruleset.requiredChecks.isEmpty() || ruleset.strict) {
          ObjectNode rule = example.deepCopy().put("type", "required_status_checks");
          ObjectNode parameters = rule.putObject("parameters");
          parameters.put("strict_required_status_checks_policy", ruleset.strict);
          ArrayNode checks = parameters.putArray("required_status_checks");
          ruleset.requiredChecks.forEach(name -> checks.addObject().put("context", name));
          rules.add(rule);
        }
        if (ruleset.requiredApprovals > 0) {
          ObjectNode rule = example.deepCopy().put("type", "pull_request");
          rule.putObject("parameters").put("required_approving_review_count", ruleset.requiredApprovals)
              .put("dismiss_stale_reviews_on_push", false).put("require_code_owner_review", false)
              .put("require_last_push_approval", false).put("required_review_thread_resolution", false);
          rules.add(rule);
        }
        if (ruleset.mergeQueue) {
          ObjectNode rule = example.deepCopy().put("type", "merge_queue");
          rule.putObject("parameters").put("check_response_timeout_minutes", 60).put("grouping_strategy", "ALLGREEN")
              .put("max_entries_to_build", 5).put("max_entries_to_merge", 5).put("merge_method", "MERGE")
              .put("min_entries_to_merge", 1).put("min_entries_to_merge_wait_minutes", 5);
          rules.add(rule);
        }
      }
      return Reply.json(200, rules);
    });
  }

  private Reply deleteRef(Call call, Identity who) {
    return withRepo(call, who, repo -> writes(who, "contents").orElseGet(() -> {
      String ref = GitHubSim.decode(call.param(2));
      if (!ref.startsWith("heads/")) {
        return Reply.message(422, "Reference does not exist");
      }
      String branch = ref.substring("heads/".length());
      Optional<ObjectId> head = repo.head(branch);
      try {
        if (head.isEmpty() || !repo.moveBranch(branch, head.get(), null)) {
          return Reply.message(422, "Reference does not exist");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      sim.pushed(repo, branch, head.get(), ObjectId.zeroId());
      return new Reply(204, null, new LinkedHashMap<>());
    }));
  }
}
