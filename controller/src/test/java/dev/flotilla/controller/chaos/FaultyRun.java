package dev.flotilla.controller.chaos;

import dev.flotilla.controller.exec.LocalExecutor;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import java.nio.file.Path;

/**
 * A runner that fails some of its runs: half say so in a failed result before doing anything, half
 * do the whole run (clone, commit, push) and then crash, so the controller loses a result whose
 * push already happened.
 */
final class FaultyRun implements LocalExecutor.RunFunction {

  private final LocalExecutor.RunFunction real;
  private final Faults faults;

  FaultyRun(LocalExecutor.RunFunction real, Faults faults) {
    this.real = real;
    this.faults = faults;
  }

  @Override
  public RunResult run(RunRequest request, Path workDir) {
    if (!faults.strikes()) {
      return real.run(request, workDir);
    }
    if (faults.coin()) {
      return RunResult.failed(RunResult.Phase.EXECUTOR, faults.record("run of " + request.repository() + " failed").getMessage());
    }
    real.run(request, workDir);
    throw faults.record("run of " + request.repository() + " crashed after it ran");
  }
}
