package dev.flotilla.runner;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the runner needs to run one migration on one repository, and nothing more: it never
 * talks to the forge's API, only to the git remote.
 *
 * @param campaign the campaign name; also the branch suffix and the commit trailer
 * @param repository {@code owner/name}, for templates and logs
 * @param migration the migration id
 * @param parameters the campaign's parameters, as given in its YAML
 * @param cloneUrl where to clone from and push to ({@code file://}, {@code https://})
 * @param defaultBranch the branch to start from
 * @param branch the branch to push, {@code flotilla/<campaign>}
 * @param author the commit author
 * @param credential where to find the git credential; its value is never part of the request
 * @param lastPushedSha the branch head we pushed last time, or null if we never pushed; the push
 *     goes ahead only if the remote branch is absent or still at this sha
 */
public record RunRequest(
    String campaign,
    String repository,
    String migration,
    Map<String, Object> parameters,
    String cloneUrl,
    String defaultBranch,
    String branch,
    Author author,
    Credential credential,
    String lastPushedSha) {

  public RunRequest {
    Objects.requireNonNull(campaign, "campaign");
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(migration, "migration");
    Objects.requireNonNull(cloneUrl, "cloneUrl");
    Objects.requireNonNull(defaultBranch, "defaultBranch");
    Objects.requireNonNull(branch, "branch");
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    author = author == null ? Author.DEFAULT : author;
    credential = credential == null ? Credential.NONE : credential;
  }

  /** The branch Flotilla pushes for a campaign. */
  public static String branchFor(String campaign) {
    return "flotilla/" + campaign;
  }

  /** The commit author and committer. */
  public record Author(String name, String email) {
    public static final Author DEFAULT = new Author("Flotilla", "flotilla@localhost");
  }

  /**
   * Where the runner finds its git credential: nowhere ({@code NONE}, e.g. {@code file://} remotes),
   * an environment variable, or a file (a mounted Secret). The git user name sent with the token.
   */
  public record Credential(Source source, String location, String username) {
    public static final Credential NONE = new Credential(Source.NONE, null, null);

    /** Where the credential's value lives. */
    public enum Source {
      NONE,
      ENV,
      FILE
    }

    public static Credential env(String variable, String username) {
      return new Credential(Source.ENV, variable, username);
    }

    public static Credential file(String path, String username) {
      return new Credential(Source.FILE, path, username);
    }
  }
}
