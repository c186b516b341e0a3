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

/** Bare repositories laid out as the local forge expects, with commits made the way a person would. */
final class TestForgeRepos {

  private final Path root;

  TestForgeRepos(Path root) {
    this.root = root;
  }

  Path bare(String owner, String name) {
    return root.resolve(owner).resolve(name + ".git");
  }

  /** Creates {@code owner/name} with one commit on {@code branch} holding {@code files}. */
  void create(String owner, String name, String branch, Map<String, String> files) throws IOException, GitAPIException {
    Path bare = bare(owner, name);
    Files.createDirectories(bare);
    try (Git git = Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch(branch).call()) {
      // an empty bare repository, filled by the push below
    }
    commit(owner, name, branch, files, "initial commit");
  }

  /** Commits {@code files} (null content deletes) on top of {@code branch} and pushes, as a person. */
  String commit(String owner, String name, String branch, Map<String, String> files, String message)
      throws IOException, GitAPIException {
    Path work = Files.createTempDirectory("person-");
    try {
      try (Git git =
          Git.cloneRepository().setURI(bare(owner, name).toUri().toString()).setDirectory(work.toFile()).setBranch(branch).call()) {
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
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        PersonIdent person = new PersonIdent("A Person", "person@example.com");
        var commit = git.commit().setMessage(message).setAuthor(person).setCommitter(person).call();
        git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch)).setForce(false).call();
        return commit.getName();
      }
    } finally {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
