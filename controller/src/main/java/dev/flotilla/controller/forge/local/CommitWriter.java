package dev.flotilla.controller.forge.local;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Commits files straight into a bare repository: blobs and trees written with one inserter, the
 * branch moved with a compare-and-set. No clone and no working tree, so a fleet of hundreds of
 * repositories is written in seconds.
 */
public final class CommitWriter {

  /** One file's content and whether it is executable. */
  public record FileContent(byte[] bytes, boolean executable) {

    public static FileContent text(String text) {
      return new FileContent(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    }

    public static FileContent script(String text) {
      return new FileContent(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }
  }

  private CommitWriter() {}

  /**
   * Commits {@code files} (added or replaced; every other file kept) on top of {@code branch}, or as
   * its first commit when the branch does not exist yet.
   *
   * @return the new commit
   * @throws LocalForgeException when the branch moved while the commit was written
   */
  public static ObjectId commit(
      Repository repo, String branch, Map<String, FileContent> files, PersonIdent author, String message)
      throws IOException {
    return commit(repo, branch, null, files, author, message);
  }

  /** As {@link #commit(Repository, String, Map, PersonIdent, String)}, a new branch starting at {@code startPoint}. */
  public static ObjectId commit(
      Repository repo,
      String branch,
      ObjectId startPoint,
      Map<String, FileContent> files,
      PersonIdent author,
      String message)
      throws IOException {
    Optional<ObjectId> current = BareRepositories.branchHead(repo, branch);
    Optional<ObjectId> parent = current.isPresent() ? current : Optional.ofNullable(startPoint);
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      DirCache index = DirCache.newInCore();
      if (parent.isPresent()) {
        DirCacheBuilder builder = index.builder();
        try (RevWalk walk = new RevWalk(reader)) {
          builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, walk.parseCommit(parent.get()).getTree());
        }
        builder.finish();
      }
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, FileContent> file : files.entrySet()) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, file.getValue().bytes());
        FileMode mode = file.getValue().executable() ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE;
        editor.add(new DirCacheEditor.PathEdit(file.getKey()) {
          @Override
          public void apply(DirCacheEntry entry) {
            entry.setFileMode(mode);
            entry.setObjectId(blob);
          }
        });
      }
      editor.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      parent.ifPresent(commit::setParentId);
      commit.setAuthor(author);
      commit.setCommitter(author);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      moveBranch(repo, branch, current.orElse(ObjectId.zeroId()), id);
      return id;
    }
  }

  private static void moveBranch(Repository repo, String branch, ObjectId expected, ObjectId next) throws IOException {
    RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
    update.setExpectedOldObjectId(expected);
    update.setNewObjectId(next);
    RefUpdate.Result result = update.update();
    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
      throw new LocalForgeException(
          "could not move " + branch + " in " + repo.getDirectory() + " (" + result + "); someone pushed at the same time, try again");
    }
  }
}
