package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controller.model.RepositoryRef;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kohsuke.github.GHEventPayload;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AuthorizationProvider;

/**
 * hub4j's {@link GitHub} clients, one per credential, all sending through the one {@link
 * MeteredConnector}, and the {@link GHRepository} objects the typed calls start from.
 *
 * <p>hub4j hands out a repository only after {@code GET /repos/{owner}/{repo}}; the listing already
 * holds every field those calls need, so repositories are bound from the listing's JSON (or, for
 * one not listed yet, from the {@link RepositoryRef}) and kept: no request per repository.
 */
final class Hub4j {

  private final URI api;
  private final MeteredConnector connector;
  private final GitHubAuth auth;
  private final ObjectMapper json;
  private final Map<String, GitHub> clients = new ConcurrentHashMap<>();
  private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();

  Hub4j(URI api, MeteredConnector connector, GitHubAuth auth, ObjectMapper json) {
    this.api = api;
    this.connector = connector;
    this.auth = auth;
    this.json = json;
  }

  /** The client for calls about {@code owner}'s repositories, authorised as {@link GitHubAuth} says. */
  GitHub client(String owner) {
    String key = auth.shared() ? "" : owner.toLowerCase(Locale.ROOT);
    return clients.computeIfAbsent(key, k -> build(api, connector, () -> auth.authorization(owner)));
  }

  /** A client with its own credential, such as the GitHub App's JWT. */
  static GitHub build(URI api, MeteredConnector connector, AuthorizationProvider authorization) {
    try {
      // The connector waits out rate limits and retries itself; hub4j is told to fail instead of waiting again.
      return new GitHubBuilder()
          .withEndpoint(api.toString())
          .withConnector(connector)
          .withAuthorizationProvider(authorization)
          .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
          .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
          .build();
    } catch (IOException e) {
      throw new GitHubException("cannot set up the GitHub client for " + api + ": " + e.getClass().getSimpleName(), -1, e);
    }
  }

  GHRepository repository(RepositoryRef ref) {
    return repositories.computeIfAbsent(key(ref.fullName()), k -> bind(ref.owner(), described(ref)));
  }

  /** Keeps the repository as the listing described it, replacing an older description. */
  void remember(JsonNode listed) {
    String owner = listed.path("owner").path("login").asText();
    repositories.put(key(owner + "/" + listed.path("name").asText()), bind(owner, listed));
  }

  /**
   * A hub4j failure as a {@link GitHubException}: the status and GitHub's own message. hub4j's
   * message holds the whole answer and sometimes the URL, so only the message field is kept.
   */
  GitHubException failure(String what, IOException e) {
    int status = e instanceof HttpException http ? http.getResponseCode() : e instanceof GHFileNotFoundException ? 404 : -1;
    return new GitHubException(what + " failed with " + status + ": " + messageOf(e), status, e);
  }

  private String messageOf(IOException e) {
    String text = e.getMessage();
    if (text != null && text.trim().startsWith("{")) {
      try {
        return GitHubClient.message(json.readTree(text));
      } catch (IOException unreadable) {
        return e.getClass().getSimpleName();
      }
    }
    return e.getClass().getSimpleName();
  }

  private ObjectNode described(RepositoryRef ref) {
    ObjectNode repo = json.createObjectNode()
        .put("name", ref.name())
        .put("full_name", ref.fullName())
        .put("default_branch", ref.defaultBranch())
        .put("clone_url", ref.cloneUrl())
        .put("html_url", ref.webUrl());
    repo.putObject("owner").put("login", ref.owner());
    return repo;
  }

  private GHRepository bind(String owner, JsonNode repo) {
    ObjectNode payload = json.createObjectNode();
    payload.set("repository", repo);
    try {
      // An event payload is hub4j's public way to bind JSON GitHub sent to a client.
      return client(owner).parseEventPayload(new StringReader(payload.toString()), GHEventPayload.Repository.class).getRepository();
    } catch (IOException e) {
      throw new GitHubException("cannot read the description of " + owner + "/" + repo.path("name").asText(), -1, e);
    }
  }

  private static String key(String fullName) {
    return fullName.toLowerCase(Locale.ROOT);
  }
}
