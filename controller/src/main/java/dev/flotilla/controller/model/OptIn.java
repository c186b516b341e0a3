package dev.flotilla.controller.model;

import java.util.List;

/**
 * A repository's {@code .flotilla.yaml}: whether it opted in and the rules its owners set.
 *
 * @param mergeWindow when Flotilla may merge here, or null for any time
 * @param owner the owning team named by {@code owner:}, or null
 */
public record OptIn(
    boolean enabled,
    boolean automerge,
    MergeMethod mergeMethod,
    MergeWindow mergeWindow,
    List<String> exclude,
    List<String> reviewers,
    List<String> labels,
    Wave wave,
    String owner) {

  /** Rollout order: canaries go first, late adopters last. */
  public enum Wave {
    CANARY,
    EARLY,
    DEFAULT,
    LATE
  }

  public OptIn {
    mergeMethod = mergeMethod == null ? MergeMethod.SQUASH : mergeMethod;
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
    labels = labels == null ? List.of() : List.copyOf(labels);
    wave = wave == null ? Wave.DEFAULT : wave;
  }

  public OptIn(
      boolean enabled,
      boolean automerge,
      MergeMethod mergeMethod,
      MergeWindow mergeWindow,
      List<String> exclude,
      List<String> reviewers,
      List<String> labels,
      Wave wave) {
    this(enabled, automerge, mergeMethod, mergeWindow, exclude, reviewers, labels, wave, null);
  }

  public boolean excludes(String migrationId) {
    return exclude.contains(migrationId);
  }
}
