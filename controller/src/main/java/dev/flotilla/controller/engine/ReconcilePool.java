package dev.flotilla.controller.engine;

import dev.flotilla.controller.model.Changeset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A bounded set of threads that reconcile changesets, so the forge's latency does not serialise the
 * fleet: with 16 threads and 100 ms a call, 16 pull requests are followed at once. Changesets of one
 * repository go one after the other on one thread, since the rules for opening a pull request count
 * what is already open in that repository.
 */
public final class ReconcilePool implements AutoCloseable {

  public static final int DEFAULT_PARALLELISM = 16;

  private final int parallelism;
  private final ExecutorService threads;

  /** Reconciles on the caller's thread, one changeset after the other. */
  public static ReconcilePool onCallerThread() {
    return new ReconcilePool();
  }

  private ReconcilePool() {
    this.parallelism = 1;
    this.threads = null;
  }

  public ReconcilePool(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("reconcile parallelism must be at least 1, was " + parallelism);
    }
    this.parallelism = parallelism;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(parallelism, runnable -> {
      Thread thread = new Thread(runnable, "flotilla-reconcile-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * Reconciles every one of {@code changesets} with {@code reconcile} and returns when all are done.
   * A failure that escapes {@code reconcile} (the store is unreachable) is thrown once all are done,
   * so no claim is left held by a reconcile still running.
   */
  public void reconcileAll(List<Changeset> changesets, Consumer<Changeset> reconcile) {
    if (changesets.isEmpty()) {
      return;
    }
    if (threads == null) {
      changesets.forEach(reconcile);
      return;
    }
    Map<Long, List<Changeset>> byRepository = new LinkedHashMap<>();
    for (Changeset changeset : changesets) {
      byRepository.computeIfAbsent(changeset.repositoryId(), id -> new ArrayList<>()).add(changeset);
    }
    List<Future<?>> running = new ArrayList<>();
    for (List<Changeset> group : byRepository.values()) {
      running.add(threads.submit(() -> {
        RuntimeException first = null;
        for (Changeset changeset : group) {
          try {
            reconcile.accept(changeset);
          } catch (RuntimeException e) {
            first = first == null ? e : first;
          }
        }
        if (first != null) {
          throw first;
        }
      }));
    }
    RuntimeException failure = null;
    for (Future<?> future : running) {
      try {
        future.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reconciling changesets", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    if (threads != null) {
      threads.shutdownNow();
    }
  }
}
