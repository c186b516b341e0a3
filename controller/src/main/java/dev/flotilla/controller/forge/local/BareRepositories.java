package dev.flotilla.controller.forge.local;

import dev.flotilla.controller.model.RepositoryRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of bare repositories behind the local forge, laid out {@code <root>/<owner>/<name>.git}.
 * Opens them, reads branch heads and single files without a working tree.
 */
final class BareRepositories {

  private static final Logger LOG = LoggerFactory.getLogger(BareRepositories.class);
  /** Owner and name become folder names: nothing that could climb out of the root. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Path root;
  private final String displayUrlBase;

  BareRepositories(Path root, String displayUrlBase) {
    this.root = root.toAbsolutePath().normalize();
    this.displayUrlBase = displayUrlBase.endsWith("/")
        ? displayUrlBase.substring(0, displayUrlBase.length() - 1)
        : displayUrlBase;
  }

  Path root() {
    return root;
  }

  /** Every non-empty bare repository under the root, sorted by full name. */
  List<RepositoryRef> list() {
    if (!Files.isDirectory(root)) {
      throw new LocalForgeException(
          "the local forge folder " + root + " does not exist; create it or generate a demo fleet into it");
    }
    List<RepositoryRef> refs = new ArrayList<>();
    try (Stream<Path> owners = Files.list(root)) {
      for (Path ownerDir : owners.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> repos = Files.list(ownerDir)) {
          for (Path dir : repos.filter(p -> p.getFileName().toString().endsWith(".git")).sorted().toList()) {
            describeOrSkip(ownerDir.getFileName().toString(), dir).ifPresent(refs::add);
          }
        }
      }
    } catch (IOException e) {
      throw new LocalForgeException("could not list the repositories under " + root + ": " + e.getMessage(), e);
    }
    refs.sort(Comparator.comparing(RepositoryRef::fullName));
    return refs;
  }

  /** A folder that is not a Git repository is left out with a warning; it must not stop discovery. */
  private Optional<RepositoryRef> describeOrSkip(String owner, Path dir) {
    try {
      return describe(owner, dir);
    } catch (IOException e) {
      LOG.warn("skipping {}: not a readable bare Git repository ({}); remove the folder or repair it", dir, e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<RepositoryRef> describe(String owner, Path dir) throws IOException {
    String file = dir.getFileName().toString();
    String name = file.substring(0, file.length() - ".git".length());
    if (!SEGMENT.matcher(owner).matches() || !SEGMENT.matcher(name).matches()) {
      // Someone put it there expecting it to be part of the fleet: say why it is not, every scan.
      LOG.warn("skipping {}: a repository's owner and name may only hold letters A-Z, digits, '.', '-' and '_';"
          + " rename the folder to include it", dir);
      return Optional.empty();
    }
    try (Repository repo = open(dir)) {
      Ref head = repo.exactRef(Constants.HEAD);
      if (head == null || head.getObjectId() == null) {
        LOG.debug("skipping {}/{}: the repository has no commits yet", owner, name);
        return Optional.empty();
      }
      String defaultBranch =
          head.isSymbolic() ? Repository.shortenRefName(head.getTarget().getName()) : Constants.MASTER;
      return Optional.of(
          new RepositoryRef(owner, name, defaultBranch, dir.toUri().toString(), webUrl(owner, name)));
    }
  }

  String webUrl(String owner, String name) {
    return displayUrlBase + "/local/" + owner + "/" + name;
  }

  /** The bare repository folder of a repository; refuses names that would leave the root. */
  Path pathOf(RepositoryRef ref) {
    return pathOf(ref.owner(), ref.name());
  }

  Path pathOf(String owner, String name) {
    if (!SEGMENT.matcher(owner).matches() || !SEGMENT.matcher(name).matches() || owner.startsWith(".")
        || name.startsWith(".")) {
      throw new LocalForgeException("'" + owner + "/" + name + "' is not a valid repository name");
    }
    return root.resolve(owner).resolve(name + ".git");
  }

  Repository open(RepositoryRef ref) {
    Path dir = pathOf(ref);
    if (!Files.isDirectory(dir)) {
      throw new LocalForgeException("repository " + ref.fullName() + " does not exist (no folder " + dir + ")");
    }
    try {
      return open(dir);
    } catch (IOException e) {
      throw new LocalForgeException("could not open " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Repository open(Path dir) throws IOException {
    return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
  }

  /** The commit a branch points at, if the branch exists. */
  static Optional<ObjectId> branchHead(Repository repo, String branch) throws IOException {
    Ref ref = repo.exactRef(Constants.R_HEADS + branch);
    return ref == null ? Optional.empty() : Optional.ofNullable(ref.getObjectId());
  }

  /**
   * The first {@code maxBytes} bytes of a file in a commit's tree, or empty when the commit has no
   * such file. Reads a stream so a huge blob is never loaded whole.
   */
  static Optional<byte[]> readFile(Repository repo, ObjectId commitId, String path, int maxBytes)
      throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(commitId);
      try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
        if (tree == null || tree.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
          return Optional.empty();
        }
        ObjectLoader loader = repo.open(tree.getObjectId(0), Constants.OBJ_BLOB);
        try (InputStream in = loader.openStream()) {
          return Optional.of(in.readNBytes(maxBytes));
        }
      }
    }
  }
}
