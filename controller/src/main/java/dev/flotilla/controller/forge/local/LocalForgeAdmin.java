package dev.flotilla.controller.forge.local;

import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.RepositoryRef;
import java.util.Map;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * What a person does on the local forge, outside Flotilla: push a commit to a pull request's branch,
 * close a pull request. Demos use it to show that Flotilla never overwrites a person's work and never
 * reopens what a person closed.
 */
public final class LocalForgeAdmin {

  /** The identity of the person in demos. */
  public static final PersonIdent PERSON = new PersonIdent("Dana Developer", "dana@example.com");

  private final LocalForge forge;

  public LocalForgeAdmin(LocalForge forge) {
    this.forge = forge;
  }

  /** The repository {@code owner/name} as the forge lists it. */
  public RepositoryRef repository(String fullName) {
    return forge.listRepositories().stream()
        .filter(r -> r.fullName().equals(fullName))
        .findFirst()
        .orElseThrow(() -> new LocalForgeException(
            "no repository " + fullName + " under " + forge.root() + "; `flotilla repos` lists them"));
  }

  /** Closes a pull request the way a person would, with a comment saying so. */
  public PullRequest closeAsPerson(String repository, int number) {
    RepositoryRef ref = repository(repository);
    forge.pullRequests().close(ref.fullName(), number, "Closed by " + PERSON.getName() + ".");
    return forge.getPullRequest(ref, number);
  }

  /**
   * Commits {@code content} as {@code file} on {@code branch} (created from the default branch if
   * missing) as a person, as
   * if they had pushed it.
   *
   * @return the new head of the branch
   */
  public String pushAsPerson(String repository, String branch, String file, String content) {
    RepositoryRef ref = repository(repository);
    return forge.withRepo(ref, repo -> CommitWriter.commit(
            repo,
            branch,
            BareRepositories.branchHead(repo, ref.defaultBranch()).orElse(null),
            Map.of(file, CommitWriter.FileContent.text(content)),
            new PersonIdent(PERSON, java.time.Instant.now()),
            "Edit " + file)
        .name());
  }

  /**
   * Sets the checks the forge requires on a repository's default branch, as branch protection would;
   * none means the forge would merge a pull request whatever its CI says.
   */
  public void requireChecks(String repository, String... checks) {
    forge.setRequiredChecks(repository(repository), java.util.List.of(checks));
  }
}
