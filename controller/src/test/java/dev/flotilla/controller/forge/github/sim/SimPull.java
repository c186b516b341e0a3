package dev.flotilla.controller.forge.github.sim;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** One simulated pull request, as GitHub keeps it. */
public final class SimPull {

  final int number;
  final long id;
  final String headRef;
  final String baseRef;
  final Instant createdAt;
  volatile String title;
  volatile String body;
  volatile String headSha;
  volatile boolean open = true;
  volatile boolean merged;
  volatile Instant mergedAt;
  volatile Instant closedAt;
  volatile Instant updatedAt;
  volatile String mergeCommitSha;
  final List<String> labels = new CopyOnWriteArrayList<>();
  final List<String> reviewers = new CopyOnWriteArrayList<>();
  final List<String> comments = new CopyOnWriteArrayList<>();
  /** The latest review state per reviewer: APPROVED, CHANGES_REQUESTED, COMMENTED. */
  final Map<String, String> reviews = new ConcurrentHashMap<>();
  /**
   * The head and base commits GitHub last computed mergeability for, and the answer; until a read
   * after a change has started the computation, reads say {@code mergeable: null}.
   */
  volatile String computedFor;
  volatile Boolean conflictFree;
  /** In the merge queue: the commit the queue builds and tests, or null. */
  volatile String queueCommit;
  /** Why the merge queue removed it last, or null. */
  volatile String dequeueReason;
  volatile Instant dequeuedAt;

  SimPull(int number, long id, String title, String body, String headRef, String headSha, String baseRef, Instant now) {
    this.number = number;
    this.id = id;
    this.title = title;
    this.body = body;
    this.headRef = headRef;
    this.headSha = headSha;
    this.baseRef = baseRef;
    this.createdAt = now;
    this.updatedAt = now;
  }

  public int number() {
    return number;
  }

  public String headSha() {
    return headSha;
  }

  public boolean isOpen() {
    return open;
  }

  public boolean isMerged() {
    return merged;
  }

  public String mergeCommitSha() {
    return mergeCommitSha;
  }

  public boolean queued() {
    return queueCommit != null;
  }

  /** The merge group commit the queue is testing, or null. */
  public String queueCommit() {
    return queueCommit;
  }

  public String dequeueReason() {
    return dequeueReason;
  }

  public List<String> labels() {
    return List.copyOf(labels);
  }

  public List<String> comments() {
    return List.copyOf(comments);
  }

  String nodeId() {
    return "PR_sim" + id;
  }

  long approvals() {
    return reviews.values().stream().filter("APPROVED"::equals).count();
  }
}
