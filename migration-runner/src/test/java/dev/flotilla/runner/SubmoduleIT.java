package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Workspace;
import dev.flotilla.runner.RunRequest.Credential;
import dev.flotilla.runner.RunResult.Phase;
import dev.flotilla.runner.RunResult.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository with a real submodule: the run changes what the migration changed and nothing else. */
class SubmoduleIT {

  private static final String BRANCH = "flotilla/bump";

  @TempDir Path tmp;

  private Git remote;
  private ObjectId libCommit;
  private final Runner runner =
      new Runner(
          Migrations.of(List.of(new TestMigrations.ReplaceText(), new WriteIntoSubmodule())),
          CredentialResolver.withEnvironment(Map.of()));

  @BeforeEach
  void createRepositoryWithSubmodule() throws Exception {
    try (Git lib = Git.init().setBare(true).setInitialBranch("main").setDirectory(tmp.resolve("lib.git").toFile()).call();
        Git libSeed = Git.init().setDirectory(tmp.resolve("lib-seed").toFile()).setInitialBranch("main").call()) {
      Files.writeString(tmp.resolve("lib-seed/lib.txt"), "library\n");
      libSeed.add().addFilepattern(".").call();
      libCommit = libSeed.commit().setMessage("lib").setAuthor(BareRemote.PERSON).setCommitter(BareRemote.PERSON).setSign(false).call();
      libSeed.push().setRemote(lib.getRepository().getDirectory().toURI().toString())
          .setRefSpecs(new RefSpec("main:main")).call();
    }
    remote = Git.init().setBare(true).setInitialBranch("main").setDirectory(tmp.resolve("app.git").toFile()).call();
    try (Git seed = Git.init().setDirectory(tmp.resolve("app-seed").toFile()).setInitialBranch("main").call()) {
      Files.writeString(tmp.resolve("app-seed/README.md"), "# App\nversion: v1\n");
      seed.add().addFilepattern("README.md").call();
      seed.submoduleAdd()
          .setPath("vendor/lib")
          .setURI(tmp.resolve("lib.git").toUri().toString())
          .call()
          .close();
      seed.commit().setMessage("app with a submodule").setAuthor(BareRemote.PERSON).setCommitter(BareRemote.PERSON).setSign(false).call();
      seed.push().setRemote(url()).setRefSpecs(new RefSpec("main:main")).call();
    }
    assertThat(entry("main", "vendor/lib")).isEqualTo(FileMode.GITLINK);
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  @Test
  void keepsTheSubmoduleWhenTheMigrationEditsAnotherFile() throws Exception {
    RunResult result = run("replace-text", Map.of("from", "v1", "to", "v2"));

    assertThat(result.status()).as(String.valueOf(result.reason())).isEqualTo(Status.PUSHED);
    assertThat(result.filesChanged()).isEqualTo(1);
    assertThat(entry(BRANCH, "vendor/lib")).isEqualTo(FileMode.GITLINK);
    assertThat(objectAt(BRANCH, "vendor/lib")).isEqualTo(libCommit);
    assertThat(entry(BRANCH, ".gitmodules")).isEqualTo(FileMode.REGULAR_FILE);
    assertThat(entry(BRANCH, "README.md")).isEqualTo(FileMode.REGULAR_FILE);
  }

  @Test
  void refusesACommitThatWouldReplaceTheSubmodule() throws Exception {
    RunResult result = run("write-into-submodule", Map.of());

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.COMMIT);
    assertThat(result.reason()).contains("vendor/lib").contains("submodule");
    assertThat(remote.getRepository().exactRef("refs/heads/" + BRANCH)).isNull();
  }

  private RunResult run(String migration, Map<String, Object> parameters) {
    RunRequest request =
        new RunRequest(
            "bump", "acme/app", migration, parameters, url(), "main", BRANCH,
            new RunRequest.Author("Flotilla Bot", "bot@flotilla.test"), Credential.NONE, null);
    return runner.run(request, tmp.resolve("work"));
  }

  private String url() {
    return remote.getRepository().getDirectory().toURI().toString();
  }

  private FileMode entry(String branch, String path) throws IOException {
    try (TreeWalk walk = walk(branch, path)) {
      return walk == null ? null : walk.getFileMode(0);
    }
  }

  private ObjectId objectAt(String branch, String path) throws IOException {
    try (TreeWalk walk = walk(branch, path)) {
      return walk.getObjectId(0);
    }
  }

  private TreeWalk walk(String branch, String path) throws IOException {
    Repository repository = remote.getRepository();
    RevCommit head = repository.parseCommit(repository.resolve("refs/heads/" + branch));
    return TreeWalk.forPath(repository, path, head.getTree());
  }

  /** Writes a file where the submodule's folder is, which a commit can only hold by dropping the gitlink. */
  static final class WriteIntoSubmodule implements Migration {
    @Override
    public String id() {
      return "write-into-submodule";
    }

    @Override
    public String title() {
      return "Write into the submodule";
    }

    @Override
    public String description() {
      return "Writes vendor/lib/extra.txt.";
    }

    @Override
    public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
      workspace.write("vendor/lib/extra.txt", "extra\n");
      return Outcome.changed("wrote vendor/lib/extra.txt");
    }
  }
}
