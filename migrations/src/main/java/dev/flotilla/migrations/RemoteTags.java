package dev.flotilla.migrations;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * The commit a tag or branch of a remote repository points at, found with {@code git ls-remote}
 * (no forge API, no token for a public repository). An annotated tag is peeled to its commit. One
 * instance asks each repository once.
 */
final class RemoteTags {

  private static final int TIMEOUT_SECONDS = 30;

  private final String baseUrl;
  private final Map<String, Map<String, Ref>> listed = new HashMap<>();

  /** {@code baseUrl} such as {@code https://github.com}; a repository is {@code <baseUrl>/<owner>/<name>}. */
  RemoteTags(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  String urlOf(String repository) {
    return baseUrl + "/" + repository;
  }

  /**
   * The commit {@code ref} names in {@code repository} ({@code owner/name}): a tag first, then a
   * branch; empty when it has neither.
   *
   * @throws LookupException when the repository cannot be listed (absent, private, unreachable)
   */
  Optional<String> commitOf(String repository, String ref) {
    Map<String, Ref> refs = listed.computeIfAbsent(repository, this::list);
    Ref found = refs.get(Constants.R_TAGS + ref);
    if (found == null) {
      found = refs.get(Constants.R_HEADS + ref);
    }
    if (found == null) {
      return Optional.empty();
    }
    ObjectId commit = found.getPeeledObjectId() != null ? found.getPeeledObjectId() : found.getObjectId();
    return Optional.of(commit.name());
  }

  private Map<String, Ref> list(String repository) {
    try {
      return Git.lsRemoteRepository()
          .setRemote(urlOf(repository))
          .setTimeout(TIMEOUT_SECONDS)
          .callAsMap();
    } catch (GitAPIException | RuntimeException e) {
      throw new LookupException("git ls-remote " + urlOf(repository) + " failed: " + e.getMessage());
    }
  }

  /** A repository that could not be listed; the message names its URL and git's reason. */
  static final class LookupException extends RuntimeException {
    LookupException(String message) {
      super(message);
    }
  }
}
