package dev.flotilla.controller.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;

/** Bare repositories laid out as the local forge expects, filled the way a person would, odd content included. */
public final class TestForgeRepos {

  /** Something a person does in a working tree before committing, beyond writing text files. */
  @FunctionalInterface
  public interface Edit {
    void apply(Path workTree) throws IOException;
  }

  private final Path root;

  public TestForgeRepos(Path root) {
    this.root = root;
  }

  public Path bare(String owner, String name) {
    return root.resolve(owner).resolve(name + ".git");
  }

  /** An initialised bare repository with no commit at all. */
  public Path createEmpty(String owner, String name, String branch) throws IOException, GitAPIException {
    Path bare = bare(owner, name);
    Files.createDirectories(bare);
    try (Git git = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch(branch).call()) {
      return bare;
    }
  }

  /** Creates {@code owner/name} with one commit on {@code branch} holding {@code files}. */
  public void create(String owner, String name, String branch, Map<String, String> files)
      throws IOException, GitAPIException {
    create(owner, name, branch, files, work -> { });
  }

  public void create(String owner, String name, String branch, Map<String, String> files, Edit edit)
      throws IOException, GitAPIException {
    createEmpty(owner, name, branch);
    commit(owner, name, branch, files, edit, "initial commit");
  }

  /** Commits {@code files} (null content deletes) on top of {@code branch} and pushes, as a person. */
  public String commit(String owner, String name, String branch, Map<String, String> files, String message)
      throws IOException, GitAPIException {
    return commit(owner, name, branch, files, work -> { }, message);
  }

  /** Commits {@code files} and {@code edit} on top of {@code branch} (or as its first commit) and pushes. */
  public String commit(String owner, String name, String branch, Map<String, String> files, Edit edit, String message)
      throws IOException, GitAPIException {
    Path work = Files.createTempDirectory("person-");
    try (Git git = checkout(owner, name, branch, work)) {
      for (var file : files.entrySet()) {
        Path path = work.resolve(file.getKey());
        if (file.getValue() == null) {
          Files.deleteIfExists(path);
        } else {
          Files.createDirectories(path.getParent());
          Files.writeString(path, file.getValue());
          if (file.getKey().endsWith(".sh")) {
            path.toFile().setExecutable(true);
          }
        }
      }
      edit.apply(work);
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      PersonIdent person = new PersonIdent("A Person", "person@example.com");
      var commit = git.commit().setMessage(message).setAuthor(person).setCommitter(person).call();
      git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch)).call();
      return commit.getName();
    } finally {
      delete(work);
    }
  }

  private Git checkout(String owner, String name, String branch, Path work) throws GitAPIException, IOException {
    Git git = Git.cloneRepository().setURI(bare(owner, name).toUri().toString()).setDirectory(work.toFile()).call();
    if (git.getRepository().resolve("HEAD") == null) {
      git.getRepository().updateRef("HEAD").link("refs/heads/" + branch);
    } else if (git.getRepository().resolve("refs/remotes/origin/" + branch) != null) {
      git.checkout().setName(branch).setCreateBranch(!branch.equals(git.getRepository().getBranch()))
          .setStartPoint("origin/" + branch).call();
    }
    return git;
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
