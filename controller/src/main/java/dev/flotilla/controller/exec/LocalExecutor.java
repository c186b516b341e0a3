package dev.flotilla.controller.exec;

import dev.flotilla.controller.config.Durations;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import java.io.IOException;
import org.eclipse.jgit.util.FileUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the runner in this JVM on a bounded pool, each run in its own folder under the work root.
 * The same {@link RunRequest} and {@link RunResult} as a Kubernetes Job; nothing survives a restart,
 * so the controller resubmits runs it still thinks are running.
 *
 * <p>A run ends as FAILED, with its folder deleted, when it throws anything (an {@code Error} such
 * as {@code OutOfMemoryError} included) or when it outlives its deadline, which is {@code
 * FLOTILLA_RUNNER_DEADLINE} as for a Kubernetes Job's {@code activeDeadlineSeconds}. A thread cannot
 * be killed: a run past its deadline is interrupted and its late result, if it ever comes, dropped.
 */
public final class LocalExecutor implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

  /** The runner, as a function (the real one is {@code dev.flotilla.runner.Runner::run}). */
  @FunctionalInterface
  public interface RunFunction {
    RunResult run(RunRequest request, Path workDir);
  }

  /** The default of {@code FLOTILLA_RUNNER_DEADLINE}. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(30);

  private final RunFunction runner;
  private final Path workRoot;
  private final Duration deadline;
  private final ExecutorService pool;
  private final ScheduledExecutorService watchdog;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile RunListener listener;

  public LocalExecutor(RunFunction runner, Path workRoot, int threads) {
    this(runner, workRoot, threads, DEFAULT_DEADLINE);
  }

  public LocalExecutor(RunFunction runner, Path workRoot, int threads, Duration deadline) {
    this.runner = runner;
    this.workRoot = workRoot;
    this.deadline = deadline;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "flotilla-run-deadline");
              t.setDaemon(true);
              return t;
            });
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
    AtomicBoolean reported = new AtomicBoolean();
    Thread thread = Thread.currentThread();
    ScheduledFuture<?> timer =
        watchdog.schedule(() -> expire(runId, dir, thread, reported), deadline.toMillis(), TimeUnit.MILLISECONDS);
    RunResult result;
    try {
      deleteTree(dir);
      Files.createDirectories(dir.getParent());
      result = runner.run(request, dir);
    } catch (IOException | RuntimeException | Error e) {
      // An Error too: a run that ran out of memory has let go of it by now, and must not stay RUNNING.
      LOG.error("run {} crashed", runId, e);
      result = RunResult.failed(RunResult.Phase.EXECUTOR, "the run crashed: " + e);
    } finally {
      timer.cancel(false);
      MDC.clear();
    }
    try {
      if (reported.compareAndSet(false, true)) {
        listener.onResult(runId, result);
      } else {
        LOG.warn("run {} finished after its deadline; its result ({}) is dropped", runId, result.status());
      }
    } finally {
      inFlight.remove(runId);
      deleteTree(dir);
    }
  }

  /** Ends a run past its deadline the way Kubernetes ends a Job past activeDeadlineSeconds. */
  private void expire(String runId, Path dir, Thread thread, AtomicBoolean reported) {
    if (!reported.compareAndSet(false, true)) {
      return;
    }
    String limit = Durations.format(deadline);
    LOG.warn("run {} ran longer than {}; ending it", runId, limit);
    thread.interrupt();
    try {
      listener.onResult(
          runId,
          RunResult.failed(
              RunResult.Phase.EXECUTOR,
              "ran longer than " + limit + "; raise FLOTILLA_RUNNER_DEADLINE or look at the log"));
    } finally {
      deleteTree(dir);
    }
  }

  @Override
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
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
