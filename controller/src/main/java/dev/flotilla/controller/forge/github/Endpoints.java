package dev.flotilla.controller.forge.github;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names a request by its method and path template ({@code GET /repos/{owner}/{repo}/pulls}), the
 * key calls are counted under, and says whether sending it twice does no harm.
 */
final class Endpoints {

  private record Template(Pattern path, String name) {}

  private static final String SEGMENT = "[^/]+";
  private static final String REPO = "/repos/" + SEGMENT + "/" + SEGMENT;
  private static final List<Template> TEMPLATES =
      List.of(
          template(REPO, "/repos/{owner}/{repo}"),
          template(REPO + "/pulls", "/repos/{owner}/{repo}/pulls"),
          template(REPO + "/pulls/\\d+", "/repos/{owner}/{repo}/pulls/{number}"),
          template(REPO + "/pulls/\\d+/merge", "/repos/{owner}/{repo}/pulls/{number}/merge"),
          template(REPO + "/pulls/\\d+/update-branch", "/repos/{owner}/{repo}/pulls/{number}/update-branch"),
          template(REPO + "/pulls/\\d+/requested_reviewers", "/repos/{owner}/{repo}/pulls/{number}/requested_reviewers"),
          template(REPO + "/issues/\\d+", "/repos/{owner}/{repo}/issues/{number}"),
          template(REPO + "/issues/\\d+/labels", "/repos/{owner}/{repo}/issues/{number}/labels"),
          template(REPO + "/issues/\\d+/comments", "/repos/{owner}/{repo}/issues/{number}/comments"),
          template(REPO + "/commits/" + SEGMENT + "/check-runs", "/repos/{owner}/{repo}/commits/{ref}/check-runs"),
          template(REPO + "/commits/" + SEGMENT + "/status", "/repos/{owner}/{repo}/commits/{ref}/status"),
          template(REPO + "/commits/" + SEGMENT, "/repos/{owner}/{repo}/commits/{ref}"),
          template(REPO + "/rules/branches/.+", "/repos/{owner}/{repo}/rules/branches/{branch}"),
          template(REPO + "/branches/.+/protection/required_status_checks",
              "/repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks"),
          template(REPO + "/git/refs/.+", "/repos/{owner}/{repo}/git/refs/{ref}"),
          template("/orgs/" + SEGMENT + "/repos", "/orgs/{org}/repos"),
          template("/orgs/" + SEGMENT, "/orgs/{org}"),
          template("/user/repos", "/user/repos"),
          template("/installation/repositories", "/installation/repositories"),
          template("/app/installations", "/app/installations"),
          template("/app/installations/\\d+/access_tokens", "/app/installations/{id}/access_tokens"),
          template("/app", "/app"),
          template("/graphql", "/graphql"));

  /** POSTs that change nothing more when repeated: labels and reviewers are sets, a query reads. */
  private static final List<String> IDEMPOTENT_POSTS =
      List.of(
          "POST /repos/{owner}/{repo}/issues/{number}/labels",
          "POST /repos/{owner}/{repo}/pulls/{number}/requested_reviewers",
          "POST /app/installations/{id}/access_tokens",
          "POST /graphql");

  /** Endpoints whose answers are kept with their ETag and asked for conditionally. */
  private static final List<String> CONDITIONAL =
      List.of("GET /orgs/{org}/repos", "GET /user/repos", "GET /installation/repositories");

  private final String apiPath;

  /** @param api the REST API root; its path ({@code /api/v3} on GitHub Enterprise) is not part of a template */
  Endpoints(URI api) {
    String path = api.getPath() == null ? "" : api.getPath();
    this.apiPath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  String name(String method, URI url) {
    String path = url.getRawPath();
    if (path.endsWith("/graphql")) {
      // On GitHub Enterprise GraphQL sits beside the REST root, not under it.
      return method + " /graphql";
    }
    if (!apiPath.isEmpty() && path.startsWith(apiPath)) {
      path = path.substring(apiPath.length());
    }
    for (Template template : TEMPLATES) {
      if (template.path().matcher(path).matches()) {
        return method + " " + template.name();
      }
    }
    return method + " " + path.replaceAll("/\\d+(?=/|$)", "/{id}");
  }

  static boolean idempotent(String endpoint) {
    return !endpoint.startsWith("POST ") || IDEMPOTENT_POSTS.contains(endpoint);
  }

  static boolean conditional(String endpoint) {
    return CONDITIONAL.contains(endpoint);
  }

  private static Template template(String regex, String name) {
    return new Template(Pattern.compile(regex), name);
  }
}
