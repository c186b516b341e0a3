package dev.flotilla.controller.exec;

import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import java.io.IOException;
import org.eclipse.jgit.util.FileUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the runner in this JVM on a bounded pool, each run in its own folder under the work root.
 * The same {@link RunRequest} and {@link RunResult} as a Kubernetes Job; nothing survives a restart,
 * so the controller resubmits runs it still thinks are running.
 */
public final class LocalExecutor implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

  /** The runner, as a function (the real one is {@code dev.flotilla.runner.Runner::run}). */
  @FunctionalInterface
  public interface RunFunction {
    RunResult run(RunRequest request, Path workDir);
  }

  private final RunFunction runner;
  private final Path workRoot;
  private final ExecutorService pool;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile RunListener listener;

  public LocalExecutor(RunFunction runner, Path workRoot, int threads) {
    this.runner = runner;
    this.workRoot = workRoot;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "flotilla-run-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start(RunListener listener) {
    this.listener = listener;
  }

  @Override
  public void submit(String runId, RunRequest request) {
    if (listener == null) {
      throw new IllegalStateException("start the executor before submitting runs");
    }
    if (!inFlight.add(runId)) {
      LOG.debug("run {} is already in flight", runId);
      return;
    }
    pool.execute(() -> run(runId, request));
  }

  private void run(String runId, RunRequest request) {
    MDC.put("run", runId);
    MDC.put("campaign", request.campaign());
    MDC.put("repo", request.repository());
    Path dir = workRoot.resolve(runId);
    RunResult result;
    try {
      deleteTree(dir);
      Files.createDirectories(dir.getParent());
      result = runner.run(request, dir);
    } catch (IOException | RuntimeException e) {
      LOG.error("run {} crashed", runId, e);
      result = RunResult.failed(RunResult.Phase.EXECUTOR, "the run crashed: " + e);
    } finally {
      MDC.clear();
    }
    try {
      listener.onResult(runId, result);
    } finally {
      inFlight.remove(runId);
      deleteTree(dir);
    }
  }

  @Override
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    } catch (IOException e) {
      LOG.warn("could not delete the work folder {}: {}", dir, e.getMessage());
    }
  }
}
