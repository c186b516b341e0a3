package dev.flotilla.controller.exec.k8s;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The client-side limit on the executor's requests to the API server, as client-go's QPS and burst:
 * at most {@code perSecond} requests in any second on average, with up to one second's worth at once
 * after a quiet spell. The fabric8 client has no such limit of its own, and an API server under
 * priority and fairness answers a client that floods it with 429s that slow every controller in the
 * cluster; so each create, get, delete and log read of the executor takes a permit first. Informers'
 * list and watch do not: they are one long request each.
 */
final class ApiRateLimiter {

  private final long intervalNanos;
  private final long burstNanos;
  private final LongSupplier nanoTime;
  private long nextFree;

  ApiRateLimiter(int perSecond) {
    this(perSecond, System::nanoTime);
  }

  ApiRateLimiter(int perSecond, LongSupplier nanoTime) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("requests per second must be at least 1, was " + perSecond);
    }
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    this.burstNanos = TimeUnit.SECONDS.toNanos(1);
    this.nanoTime = nanoTime;
    this.nextFree = nanoTime.getAsLong() - burstNanos;
  }

  /** Waits until a request may go. */
  void acquire() {
    long wait = reserve();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KubernetesExecutorException("interrupted while waiting to call the Kubernetes API");
      }
    }
  }

  /** Takes the next free slot; returns how long to wait for it, 0 when it is free now. */
  synchronized long reserve() {
    long now = nanoTime.getAsLong();
    // A quiet spell earns at most one second's worth of requests at once.
    long slot = Math.max(nextFree, now - burstNanos);
    nextFree = slot + intervalNanos;
    return Math.max(0, slot - now);
  }
}
