package dev.flotilla.controller.forge.github.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * One simulated repository: its settings as GitHub's repository and branch protection pages hold
 * them, its pull requests, and the bare git repository on disk that pushes, merges and branch
 * updates really change.
 */
public final class SimRepo {

  /** Branch protection or a ruleset on the default branch: what GitHub requires before a merge. */
  public static final class Rules {
    /** Checks (check run names or status contexts) that must pass. */
    public final List<String> requiredChecks = new CopyOnWriteArrayList<>();
    /** "Require branches to be up to date before merging". */
    public volatile boolean strict;
    /** Approving reviews required. */
    public volatile int requiredApprovals;
    /** Rulesets only: merges go through the merge queue. */
    public volatile boolean mergeQueue;
    /** Rulesets only: the App is a bypass actor, so GitHub lets its merges through regardless. */
    public volatile boolean appMayBypass;
  }

  /** A check the repository's CI reports on every pushed commit. */
  public record CheckSpec(String name, java.time.Duration delay, boolean commitStatus) {
    /** A check run named {@code name} completing after {@code delay} (null: only on command). */
    public static CheckSpec checkRun(String name, java.time.Duration delay) {
      return new CheckSpec(name, delay, false);
    }

    public static CheckSpec status(String context, java.time.Duration delay) {
      return new CheckSpec(context, delay, true);
    }
  }

  final long id;
  final String owner;
  final String name;
  final Repository git;
  final Instant createdAt;
  volatile Instant pushedAt;
  volatile String defaultBranch = "main";
  public volatile boolean deleteBranchOnMerge = true;
  public volatile boolean allowAutoMerge;
  public volatile boolean archived;
  public volatile boolean allowMergeCommit = true;
  public volatile boolean allowSquashMerge = true;
  public volatile boolean allowRebaseMerge = true;
  /** Classic branch protection on the default branch, or null. */
  public volatile Rules protection;
  /** A ruleset on the default branch, or null. */
  public volatile Rules ruleset;
  /** What CI reports on each pushed commit; by default one check run {@code ci}. */
  public final List<CheckSpec> ci = new CopyOnWriteArrayList<>();
  /** When GitHub's hourly size computation has run: until then {@code size} is 0. */
  volatile Instant sizeKnownAt;
  final Map<Integer, SimPull> pulls = new ConcurrentHashMap<>();

  SimRepo(long id, String owner, String name, Path bare, Instant now) {
    this.id = id;
    this.owner = owner;
    this.name = name;
    this.createdAt = now;
    try {
      Repository created = new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build();
      if (!bare.resolve("HEAD").toFile().exists()) {
        created.create(true);
        RefUpdate head = created.updateRef(Constants.HEAD);
        head.disableRefLog();
        head.link(Constants.R_HEADS + "main");
      }
      this.git = created;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String fullName() {
    return owner + "/" + name;
  }

  public String defaultBranch() {
    return defaultBranch;
  }

  public Path bare() {
    return git.getDirectory().toPath();
  }

  /** The text of {@code path} on {@code branch}, or null. */
  public String fileOn(String branch, String path) {
    return head(branch).map(h -> file(h, path)).orElse(null);
  }

  public boolean hasBranch(String branch) {
    return head(branch).isPresent();
  }

  /** How many pull requests were ever opened here. */
  public int pullRequests() {
    return pulls.size();
  }

  /** Every pull request ever opened here, by number. */
  public java.util.List<SimPull> pulls() {
    return pulls.values().stream().sorted(java.util.Comparator.comparingInt(SimPull::number)).toList();
  }

  boolean empty() {
    return head(defaultBranch).isEmpty();
  }

  /** The rules that apply to merges: the ruleset's and protection's together, as GitHub layers them. */
  boolean strict() {
    return (protection != null && protection.strict) || (ruleset != null && ruleset.strict);
  }

  List<String> requiredChecks() {
    List<String> all = new ArrayList<>();
    if (protection != null) {
      all.addAll(protection.requiredChecks);
    }
    if (ruleset != null) {
      ruleset.requiredChecks.stream().filter(c -> !all.contains(c)).forEach(all::add);
    }
    return all;
  }

  int requiredApprovals() {
    return Math.max(protection == null ? 0 : protection.requiredApprovals, ruleset == null ? 0 : ruleset.requiredApprovals);
  }

  boolean mergeQueue() {
    return ruleset != null && ruleset.mergeQueue;
  }

  // ---- git

  Optional<ObjectId> head(String branch) {
    try {
      Ref ref = git.exactRef(Constants.R_HEADS + branch);
      return Optional.ofNullable(ref).map(Ref::getObjectId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of {@code path} at {@code commit}, or null. */
  String file(ObjectId commit, String path) {
    try (RevWalk walk = new RevWalk(git)) {
      RevCommit c = walk.parseCommit(commit);
      try (TreeWalk tree = TreeWalk.forPath(git, path, c.getTree())) {
        return tree == null ? null : new String(git.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Byte size of the blob at {@code path} at {@code commit} and its id, or null. */
  ObjectId blobId(ObjectId commit, String path) {
    try (RevWalk walk = new RevWalk(git)) {
      RevCommit c = walk.parseCommit(commit);
      try (TreeWalk tree = TreeWalk.forPath(git, path, c.getTree())) {
        return tree == null ? null : tree.getObjectId(0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code files} (null content deletes) over {@code parent}'s tree as one commit; does not move a ref. */
  ObjectId commitFiles(ObjectId parent, Map<String, String> files, String message, PersonIdent who) throws IOException {
    try (ObjectInserter inserter = git.newObjectInserter(); RevWalk walk = new RevWalk(git)) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      if (parent != null) {
        try (TreeWalk tree = new TreeWalk(git)) {
          tree.addTree(walk.parseCommit(parent).getTree());
          tree.setRecursive(true);
          while (tree.next()) {
            if (files.containsKey(tree.getPathString())) {
              continue;
            }
            DirCacheEntry entry = new DirCacheEntry(tree.getPathString());
            entry.setFileMode(tree.getFileMode(0));
            entry.setObjectId(tree.getObjectId(0));
            builder.add(entry);
          }
        }
      }
      for (Map.Entry<String, String> file : files.entrySet()) {
        if (file.getValue() == null) {
          continue;
        }
        DirCacheEntry entry = new DirCacheEntry(file.getKey());
        entry.setFileMode(file.getKey().endsWith(".sh") ? FileMode.EXECUTABLE_FILE : FileMode.REGULAR_FILE);
        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
        builder.add(entry);
      }
      builder.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      if (parent != null) {
        commit.setParentId(parent);
      }
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  /** Moves {@code branch} from {@code expected} (null: whatever it is, zero: absent) to {@code to}; false when it moved meanwhile. */
  boolean moveBranch(String branch, ObjectId expected, ObjectId to) throws IOException {
    RefUpdate update = git.updateRef(Constants.R_HEADS + branch);
    if (expected != null) {
      update.setExpectedOldObjectId(expected);
    }
    update.setForceUpdate(true);
    if (to == null) {
      RefUpdate.Result result = update.delete();
      return result == RefUpdate.Result.FORCED || result == RefUpdate.Result.NO_CHANGE;
    }
    update.setNewObjectId(to);
    RefUpdate.Result result = update.update();
    return switch (result) {
      case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> true;
      default -> false;
    };
  }

  /** The merged tree of {@code ours} and {@code theirs}, or empty on a conflict. */
  Optional<ObjectId> mergedTree(ObjectId ours, ObjectId theirs) throws IOException {
    ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(git, true);
    return merger.merge(ours, theirs) ? Optional.of(merger.getResultTreeId()) : Optional.empty();
  }

  boolean isAncestor(ObjectId maybeAncestor, ObjectId of) throws IOException {
    try (RevWalk walk = new RevWalk(git)) {
      return walk.isMergedInto(walk.parseCommit(maybeAncestor), walk.parseCommit(of));
    }
  }

  /** A commit with {@code tree} and {@code parents}, as GitHub writes merges. */
  ObjectId commitTree(ObjectId tree, String message, PersonIdent author, ObjectId... parents) throws IOException {
    try (ObjectInserter inserter = git.newObjectInserter()) {
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentIds(parents);
      commit.setAuthor(author);
      commit.setCommitter(author);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  /** Replays the commits of {@code head} not on {@code base} onto {@code base}, as a rebase merge does; empty on a conflict. */
  Optional<ObjectId> rebase(ObjectId base, ObjectId head, PersonIdent committer) throws IOException {
    List<RevCommit> commits = new ArrayList<>();
    try (RevWalk walk = new RevWalk(git)) {
      walk.markStart(walk.parseCommit(head));
      walk.markUninteresting(walk.parseCommit(base));
      walk.setRevFilter(RevFilter.NO_MERGES);
      walk.forEach(commits::add);
    }
    Collections.reverse(commits);
    ObjectId current = base;
    for (RevCommit commit : commits) {
      ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(git, true);
      merger.setBase(commit.getParentCount() == 0 ? null : commit.getParent(0));
      if (!merger.merge(current, commit)) {
        return Optional.empty();
      }
      try (ObjectInserter inserter = git.newObjectInserter()) {
        CommitBuilder rebased = new CommitBuilder();
        rebased.setTreeId(merger.getResultTreeId());
        rebased.setParentId(current);
        rebased.setAuthor(commit.getAuthorIdent());
        rebased.setCommitter(committer);
        rebased.setMessage(commit.getFullMessage());
        current = inserter.insert(rebased);
        inserter.flush();
      }
    }
    return Optional.of(current);
  }

  /** Paths under {@code prefix} that the commits new in {@code to} (not reachable from {@code known}) add, change or delete. */
  List<String> changedUnder(String prefix, ObjectId to, List<ObjectId> known) throws IOException {
    List<String> changed = new ArrayList<>();
    try (RevWalk walk = new RevWalk(git)) {
      walk.markStart(walk.parseCommit(to));
      for (ObjectId k : known) {
        walk.markUninteresting(walk.parseCommit(k));
      }
      for (RevCommit commit : walk) {
        try (TreeWalk tree = new TreeWalk(git)) {
          tree.setRecursive(true);
          tree.setFilter(PathFilter.create(prefix));
          if (commit.getParentCount() == 0) {
            tree.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
          } else {
            tree.addTree(walk.parseCommit(commit.getParent(0)).getTree());
          }
          tree.addTree(commit.getTree());
          while (tree.next()) {
            if (!tree.getObjectId(0).equals(tree.getObjectId(1)) && !changed.contains(tree.getPathString())) {
              changed.add(tree.getPathString());
            }
          }
        }
      }
    }
    return changed;
  }

  /** Paths added and modified between two commits, for push payloads. */
  List<List<String>> addedModifiedRemoved(ObjectId from, ObjectId to) throws IOException {
    List<String> added = new ArrayList<>();
    List<String> modified = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    try (RevWalk walk = new RevWalk(git); TreeWalk tree = new TreeWalk(git)) {
      tree.setRecursive(true);
      if (from == null || from.equals(ObjectId.zeroId())) {
        tree.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
      } else {
        tree.addTree(walk.parseCommit(from).getTree());
      }
      tree.addTree(walk.parseCommit(to).getTree());
      while (tree.next()) {
        boolean before = !tree.getObjectId(0).equals(ObjectId.zeroId());
        boolean after = !tree.getObjectId(1).equals(ObjectId.zeroId());
        if (!before && after) {
          added.add(tree.getPathString());
        } else if (before && !after) {
          removed.add(tree.getPathString());
        } else if (!tree.getObjectId(0).equals(tree.getObjectId(1))) {
          modified.add(tree.getPathString());
        }
      }
    }
    return List.of(added, modified, removed);
  }

  long sizeKb() {
    return Math.max(1, git.getDirectory().toPath().getNameCount());
  }
}
