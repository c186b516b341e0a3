package dev.flotilla.controller.engine;

/** What the engine reports as it works, for metrics. */
public interface EngineObserver {

  EngineObserver NONE = new EngineObserver() {};

  default void runsStarted(int count) {}

  default void runFinished(ResultRecorder.RunOutcome outcome) {}

  default void pullRequest(ChangesetReconciler.PullRequestEvent event) {}

  /** One round of {@link Controller#tick()} finished. */
  default void ticked() {}
}
