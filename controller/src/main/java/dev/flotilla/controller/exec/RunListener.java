package dev.flotilla.controller.exec;

import dev.flotilla.runner.RunResult;

/** Receives each run's result; may be called from any thread, and again for the same run id. */
@FunctionalInterface
public interface RunListener {
  void onResult(String runId, RunResult result);
}
