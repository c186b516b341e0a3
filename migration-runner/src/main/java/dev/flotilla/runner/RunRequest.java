package dev.flotilla.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
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
 * @param verifiers commands run in the work tree after the migration applied and before the push;
 *     the first that fails ends the run as {@code FAILED} in phase {@code VERIFY}, nothing pushed
 * @param revertSha instead of applying the migration, revert this commit of the default branch (the
 *     merge of an earlier run) on {@code branch}; null for a migration run
 * @param runnerImage the container image to run in where the executor starts containers (one with
 *     the verifiers' toolchain); null for the executor's default. The runner itself ignores it.
 * @param dryRun a plan's run: apply, commit and verify in the clone, then report what the commit
 *     would change ({@code WOULD_CHANGE} with the diff) without pushing or touching any branch of
 *     the remote
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
    String lastPushedSha,
    List<Verifier> verifiers,
    String revertSha,
    String runnerImage,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean dryRun) {

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
    verifiers = verifiers == null ? List.of() : List.copyOf(verifiers);
    dryRun = Boolean.TRUE.equals(dryRun);
  }

  /** A run that pushes. */
  public RunRequest(
      String campaign, String repository, String migration, Map<String, Object> parameters, String cloneUrl,
      String defaultBranch, String branch, Author author, Credential credential, String lastPushedSha,
      List<Verifier> verifiers, String revertSha, String runnerImage) {
    this(campaign, repository, migration, parameters, cloneUrl, defaultBranch, branch, author, credential, lastPushedSha,
        verifiers, revertSha, runnerImage, false);
  }

  /** A migration run without verifiers. */
  public RunRequest(
      String campaign, String repository, String migration, Map<String, Object> parameters, String cloneUrl,
      String defaultBranch, String branch, Author author, Credential credential, String lastPushedSha) {
    this(campaign, repository, migration, parameters, cloneUrl, defaultBranch, branch, author, credential, lastPushedSha,
        List.of(), null, null);
  }

  /** The same request with another credential. */
  public RunRequest withCredential(Credential other) {
    return new RunRequest(campaign, repository, migration, parameters, cloneUrl, defaultBranch, branch, author, other,
        lastPushedSha, verifiers, revertSha, runnerImage, dryRun);
  }

  /** The same migration run as a plan's dry run: nothing is pushed, no branch is read or written. */
  public RunRequest asDryRun() {
    return new RunRequest(campaign, repository, migration, parameters, cloneUrl, defaultBranch, branch, author, credential,
        null, verifiers, null, runnerImage, true);
  }

  /** The branch Flotilla pushes to revert a campaign's merges. */
  public static String revertBranchFor(String campaign) {
    return branchFor(campaign) + "-revert";
  }

  /**
   * One check run before the push.
   *
   * @param name how results and logs name it ({@code build})
   * @param command a shell command line, run with {@code sh -c} in the work tree
   * @param when a glob from the repository root ({@code pom.xml}, {@code **}{@code /package.json});
   *     the verifier runs only when a file matches it; null or blank always runs it
   * @param timeoutSeconds how long it may take before its process tree is killed and it fails
   */
  public record Verifier(String name, String command, String when, long timeoutSeconds) {
    public Verifier {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(command, "command");
      if (timeoutSeconds <= 0) {
        throw new IllegalArgumentException("verifier '" + name + "' needs a positive timeout, got " + timeoutSeconds + "s");
      }
    }
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
