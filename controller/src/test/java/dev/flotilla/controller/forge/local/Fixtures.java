package dev.flotilla.controller.forge.local;

import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Bare repositories and pull request specs for the local forge's tests. */
final class Fixtures {

  static final PersonIdent AUTHOR = new PersonIdent("Ada Author", "ada@example.com");

  private Fixtures() {}

  /** Creates {@code <root>/<owner>/<name>.git} with one commit of {@code files} on {@code branch}. */
  static Path bareRepo(Path root, String owner, String name, String branch, Map<String, String> files)
      throws IOException, GitAPIException {
    Path dir = root.resolve(owner).resolve(name + ".git");
    Git.init().setBare(true).setInitialBranch(branch).setDirectory(dir.toFile()).call().close();
    if (!files.isEmpty()) {
      commit(dir, branch, files, "Initial commit");
    }
    return dir;
  }

  static ObjectId commit(Path bare, String branch, Map<String, String> files, String message) throws IOException {
    return commit(bare, branch, null, files, message);
  }

  /** Commits on {@code branch}, starting it from {@code from} when it does not exist. */
  static ObjectId commit(Path bare, String branch, String from, Map<String, String> files, String message)
      throws IOException {
    Map<String, CommitWriter.FileContent> contents = new LinkedHashMap<>();
    files.forEach((path, text) -> contents.put(
        path, path.endsWith(".sh") ? CommitWriter.FileContent.script(text) : CommitWriter.FileContent.text(text)));
    try (Repository repo = open(bare)) {
      ObjectId start = from == null ? null : repo.resolve("refs/heads/" + from);
      return CommitWriter.commit(repo, branch, start, contents, new PersonIdent(AUTHOR, java.time.Instant.now()), message);
    }
  }

  static Repository open(Path bare) throws IOException {
    return new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
  }

  static String head(Path bare, String branch) throws IOException {
    try (Repository repo = open(bare)) {
      ObjectId id = repo.resolve("refs/heads/" + branch);
      return id == null ? null : id.name();
    }
  }

  static RepositoryRef ref(Path root, String owner, String name, String branch) {
    return new RepositoryRef(
        owner, name, branch, root.resolve(owner).resolve(name + ".git").toUri().toString(), null);
  }

  static PullRequestSpec spec(String branch) {
    return new PullRequestSpec(
        branch, "main", "Bump jackson-databind to 2.18.2", "Bumps the version.\n\nMore details here.",
        List.of("dependencies"), List.of("payments-team"));
  }

  static void clearTables(Database db) throws Exception {
    try (var c = db.dataSource().getConnection()) {
      c.createStatement().execute("TRUNCATE local_pull_request, local_pull_request_comment, local_check");
    }
  }
}
