package dev.flotilla.controller.forge.local;

import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.PullRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git work behind the local forge's pull requests: whether a head merges cleanly into its base, and
 * the merge itself as new objects plus one compare-and-set of the base ref. Every merge commit carries
 * the trailer {@code Flotilla-Pull-Request: N}, which is how a merge that happened before a crash is
 * recognised instead of repeated.
 */
final class LocalMerge {

  private static final Logger LOG = LoggerFactory.getLogger(LocalMerge.class);
  static final Duration STALE_LOCK = Duration.ofSeconds(10);

  static final String TRAILER = "Flotilla-Pull-Request";
  /** How far back the base's history is searched for an earlier merge of the same pull request. */
  static final int HISTORY_DEPTH = 100;
  static final PersonIdent COMMITTER = new PersonIdent("Flotilla local forge", "forge@flotilla.local");

  private LocalMerge() {}

  /** The outcome of writing a merge: the new base commit, or why there is none. */
  sealed interface Written {
    record Commit(ObjectId id) implements Written {}

    record Conflicts(List<String> paths) implements Written {}
  }

  /** MERGEABLE when the base head is in the head's history or a three-way merge has no conflicts. */
  static PullRequest.Mergeable mergeable(Repository repo, ObjectId baseHead, ObjectId head) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      if (walk.isMergedInto(walk.parseCommit(baseHead), walk.parseCommit(head))) {
        return PullRequest.Mergeable.MERGEABLE;
      }
    }
    ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
    return merger.merge(baseHead, head) ? PullRequest.Mergeable.MERGEABLE : PullRequest.Mergeable.CONFLICTING;
  }

  /**
   * The newest commit on the base (within {@link #HISTORY_DEPTH}) that merged pull request {@code
   * number}, committed no earlier than the pull request was opened: an older one belongs to a pull
   * request of the same number in a store that was since reset.
   */
  static Optional<ObjectId> findMerged(Repository repo, ObjectId baseHead, int number, Instant openedAt)
      throws IOException {
    String line = TRAILER + ": " + number;
    long openedSecond = openedAt.getEpochSecond();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(baseHead));
      int seen = 0;
      for (RevCommit commit : walk) {
        if (seen++ >= HISTORY_DEPTH) {
          break;
        }
        if (commit.getCommitTime() >= openedSecond
            && commit.getFullMessage().lines().anyMatch(l -> l.strip().equals(line))) {
          return Optional.of(commit.copy());
        }
      }
    }
    return Optional.empty();
  }

  /** Writes the merge objects for {@code method}; nothing is visible until the base ref moves. */
  static Written write(
      Repository repo,
      MergeMethod method,
      ObjectId baseHead,
      ObjectId head,
      int number,
      String title,
      String body,
      Instant now)
      throws IOException {
    return switch (method) {
      case SQUASH -> squash(repo, baseHead, head, number, title, body, now);
      case MERGE -> mergeCommit(repo, baseHead, head, number, title, now);
      case REBASE -> rebase(repo, baseHead, head, number, now);
    };
  }

  private static Written squash(
      Repository repo, ObjectId baseHead, ObjectId head, int number, String title, String body, Instant now)
      throws IOException {
    ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
    if (!merger.merge(baseHead, head)) {
      return new Written.Conflicts(conflicts(merger));
    }
    PersonIdent author;
    try (RevWalk walk = new RevWalk(repo)) {
      author = walk.parseCommit(head).getAuthorIdent();
    }
    String message = title + " (#" + number + ")\n\n" + summary(body) + TRAILER + ": " + number + "\n";
    return new Written.Commit(
        commit(repo, merger.getResultTreeId(), new PersonIdent(author, now), now, message, baseHead));
  }

  private static Written mergeCommit(
      Repository repo, ObjectId baseHead, ObjectId head, int number, String title, Instant now) throws IOException {
    ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
    if (!merger.merge(baseHead, head)) {
      return new Written.Conflicts(conflicts(merger));
    }
    String message = "Merge pull request #" + number + "\n\n" + title + "\n\n" + TRAILER + ": " + number + "\n";
    return new Written.Commit(
        commit(repo, merger.getResultTreeId(), new PersonIdent(COMMITTER, now), now, message, baseHead, head));
  }

  /** Replays the pull request's own commits, oldest first, onto the base; merge commits are skipped. */
  private static Written rebase(Repository repo, ObjectId baseHead, ObjectId head, int number, Instant now)
      throws IOException {
    List<RevCommit> commits = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.sort(RevSort.TOPO);
      walk.sort(RevSort.REVERSE, true);
      walk.markStart(walk.parseCommit(head));
      walk.markUninteresting(walk.parseCommit(baseHead));
      for (RevCommit commit : walk) {
        if (commit.getParentCount() == 1) {
          commits.add(commit);
        }
      }
    }
    ObjectId tip = baseHead;
    for (int i = 0; i < commits.size(); i++) {
      RevCommit commit = commits.get(i);
      ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
      merger.setBase(commit.getParent(0));
      if (!merger.merge(tip, commit)) {
        return new Written.Conflicts(conflicts(merger));
      }
      String message = commit.getFullMessage();
      if (i == commits.size() - 1) {
        message = withTrailer(message, number);
      }
      tip = commit(repo, merger.getResultTreeId(), commit.getAuthorIdent(), now, message, tip);
    }
    return new Written.Commit(tip);
  }

  /** Moves the base from {@code expected} to {@code next}; false if someone else moved it first. */
  static boolean advance(Repository repo, String base, ObjectId expected, ObjectId next, int number, Instant now)
      throws IOException {
    RefUpdate update = repo.updateRef(Constants.R_HEADS + base);
    update.setExpectedOldObjectId(expected);
    update.setNewObjectId(next);
    update.setRefLogIdent(new PersonIdent(COMMITTER, now));
    update.setRefLogMessage("merge pull request #" + number, false);
    RefUpdate.Result result = update.update();
    if (result == RefUpdate.Result.LOCK_FAILURE && removeStaleLock(repo, base, expected)) {
      result = update.update();
    }
    return switch (result) {
      case FAST_FORWARD, NEW, FORCED, NO_CHANGE -> true;
      case LOCK_FAILURE, REJECTED, REJECTED_OTHER_REASON -> false;
      default -> throw new LocalForgeException(
          "could not move " + base + " to the merge of #" + number + ": " + result);
    };
  }

  /**
   * A ref lock holds for milliseconds; one older than {@link #STALE_LOCK} on a base that still points
   * where it did was left by a process killed mid-update, and would refuse every merge for good.
   */
  private static boolean removeStaleLock(Repository repo, String base, ObjectId expected) throws IOException {
    Path lock = repo.getDirectory().toPath().resolve(Constants.R_HEADS + base + ".lock");
    var ref = repo.exactRef(Constants.R_HEADS + base);
    // The lock's age is read on the wall clock, whatever clock stamps the merges.
    if (!Files.exists(lock) || ref == null || !expected.equals(ref.getObjectId())
        || Files.getLastModifiedTime(lock).toInstant().plus(STALE_LOCK).isAfter(Instant.now())) {
      return false;
    }
    LOG.warn("{}: removing {}, a lock left by a process that stopped while moving {}", repo.getDirectory(), lock.getFileName(), base);
    Files.deleteIfExists(lock);
    return true;
  }

  /** Committed at {@code now} by the forge: the same clock that stamps pull requests, see {@link #findMerged}. */
  private static ObjectId commit(
      Repository repo, ObjectId tree, PersonIdent author, Instant now, String message, ObjectId... parents)
      throws IOException {
    CommitBuilder builder = new CommitBuilder();
    builder.setTreeId(tree);
    builder.setParentIds(parents);
    builder.setAuthor(author);
    builder.setCommitter(new PersonIdent(COMMITTER, now));
    builder.setMessage(message);
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      ObjectId id = inserter.insert(builder);
      inserter.flush();
      return id;
    }
  }

  /** The body's first paragraph, short, followed by a blank line; nothing for an empty body. */
  static String summary(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String paragraph = body.strip().split("\\R\\s*\\R", 2)[0].strip();
    if (paragraph.length() > 1000) {
      paragraph = paragraph.substring(0, 1000) + "…";
    }
    return paragraph + "\n\n";
  }

  static String withTrailer(String message, int number) {
    String trimmed = message.stripTrailing();
    return trimmed + "\n\n" + TRAILER + ": " + number + "\n";
  }

  private static List<String> conflicts(ResolveMerger merger) {
    return merger.getUnmergedPaths().isEmpty()
        ? List.of(String.valueOf(merger.getFailingPaths()))
        : List.copyOf(merger.getUnmergedPaths());
  }
}
