package dev.flotilla.controller.exec.k8s;

/**
 * A run was submitted while the namespace already holds as many unfinished Flotilla Jobs as the
 * global cap allows. Nothing was created; the dispatcher should leave the changeset pending and
 * try again once {@code inFlight()} drops.
 */
public final class RunCapacityException extends KubernetesExecutorException {

  private final int cap;

  public RunCapacityException(String runId, int cap) {
    super(
        "run "
            + runId
            + " not started: "
            + cap
            + " Flotilla Jobs are already running, the most FLOTILLA_GLOBAL_CONCURRENT_RUNS allows");
    this.cap = cap;
  }

  public int cap() {
    return cap;
  }
}
