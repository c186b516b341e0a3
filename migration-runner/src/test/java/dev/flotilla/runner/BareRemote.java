package dev.flotilla.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/** A bare repository on disk standing in for a forge's remote, with helpers to commit as a person. */
final class BareRemote implements AutoCloseable {

  static final PersonIdent PERSON = new PersonIdent("Pat Person", "pat@example.com");

  private final Path root;
  private final Git bare;
  private int seeds;

  private BareRemote(Path root, Git bare) {
    this.root = root;
    this.bare = bare;
  }

  /** An empty bare repository under {@code dir}. */
  static BareRemote empty(Path dir) throws GitAPIException {
    Path bareDir = dir.resolve("remote.git");
    return new BareRemote(dir, Git.init().setBare(true).setDirectory(bareDir.toFile()).call());
  }

  /** A bare repository whose {@code branch} holds one commit with {@code files}. */
  static BareRemote withFiles(Path dir, String branch, Map<String, String> files) throws Exception {
    BareRemote remote = empty(dir);
    remote.commit(branch, files, "initial commit");
    return remote;
  }

  String url() {
    return bare.getRepository().getDirectory().toURI().toString();
  }

  /** Pushes a commit by {@link #PERSON} onto {@code branch} (created from HEAD of its parent or empty). */
  ObjectId commit(String branch, Map<String, String> files, String message) throws Exception {
    Path seed = root.resolve("seed-" + seeds++);
    try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch(branch).call()) {
      git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(url())).call();
      if (head(branch) != null) {
        git.fetch().setRemote("origin").setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*")).call();
        git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("origin/" + branch).call();
      }
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path path = seed.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue());
      }
      git.add().addFilepattern(".").call();
      RevCommit commit =
          git.commit().setMessage(message).setAuthor(PERSON).setCommitter(PERSON).setSign(false).call();
      git.push()
          .setRemote("origin")
          .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch))
          .call();
      return commit.getId();
    }
  }

  /** Makes {@code target} point at {@code source}'s head, as a person creating a branch would. */
  void branch(String target, String source) throws IOException {
    var update = bare.getRepository().updateRef(Constants.R_HEADS + target);
    update.setNewObjectId(head(source));
    update.forceUpdate();
  }

  ObjectId head(String branch) throws IOException {
    Ref ref = bare.getRepository().exactRef(Constants.R_HEADS + branch);
    return ref == null ? null : ref.getObjectId();
  }

  RevCommit commitAt(String branch) throws IOException {
    return bare.getRepository().parseCommit(head(branch));
  }

  String read(String branch, String path) throws IOException {
    Repository repository = bare.getRepository();
    try (TreeWalk walk = TreeWalk.forPath(repository, path, commitAt(branch).getTree())) {
      if (walk == null) {
        return null;
      }
      return new String(repository.open(walk.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  void configure(String section, String name, boolean value) throws IOException {
    var config = bare.getRepository().getConfig();
    config.setBoolean(section, null, name, value);
    config.save();
  }

  @Override
  public void close() {
    bare.close();
  }
}
