package dev.flotilla.controller.exec;

import dev.flotilla.runner.RunRequest;

/**
 * Runs the runner for a changeset: as a Kubernetes Job ({@code KubernetesExecutor}) or on a bounded
 * local pool ({@code LocalExecutor}). Both report the same {@link dev.flotilla.runner.RunResult}.
 *
 * <p>Runs are keyed by a run id that the caller derives from the changeset and its attempt, so
 * submitting the same id twice starts one run. Results are delivered to the listener given to {@link
 * #start}; an executor that can outlive the controller (Kubernetes) also reports, on start, the runs
 * that finished while it was down.
 */
public interface Executor extends AutoCloseable {

  /** Begins delivering results; adopts runs already in flight where the executor can. */
  void start(RunListener listener);

  /** Starts a run unless one with this id exists already. */
  void submit(String runId, RunRequest request);

  /**
   * How many {@link #submit} calls the dispatcher may make at once: 1 unless submitting waits on
   * something remote, in which case {@code submit} must be safe to call from several threads.
   */
  default int submitParallelism() {
    return 1;
  }

  /** Runs started and not yet reported. */
  int inFlight();

  @Override
  void close();
}
