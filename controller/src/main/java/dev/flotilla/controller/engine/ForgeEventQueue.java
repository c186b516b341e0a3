package dev.flotilla.controller.engine;

import dev.flotilla.Printable;
import dev.flotilla.controller.engine.ForgeEvents.Work;
import dev.flotilla.controller.forge.github.WebhookEvent;
import dev.flotilla.controller.forge.github.WebhookListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook work waiting for the engine: bounded, in memory, one entry per piece of {@link Work} (ten
 * {@code check_run} events for one pull request wait as one reconcile), drained in arrival order by
 * the queue's own threads, never by the HTTP server's. {@link #accept} only hands over and returns.
 * A full queue does not drop a verified event: its changesets are left to polling, marked due, and
 * that is counted and logged (once per minute at most). Work whose key is being done is not started a
 * second time at once; a new event for it waits, since it may say something the running work did not
 * see.
 */
public final class ForgeEventQueue implements WebhookListener, AutoCloseable {

  /** What the queue reports, for metrics. */
  public interface Observer {
    Observer NONE = new Observer() {};

    /** Work from an event of this type was done. */
    default void handled(String event) {}

    /** The queue was full: work from an event of this type was left to polling. */
    default void deferredToPolling(String event) {}

    /** Doing work from an event of this type failed; it was left to polling. */
    default void failed(String event) {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(ForgeEventQueue.class);
  private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

  private final Runnable delivered;
  private final ToIntFunction<Work> handler;
  private final ToIntFunction<Work> fallback;
  private final int capacity;
  private final Observer observer;
  private final Clock clock;
  private final LinkedHashMap<String, Work> waiting = new LinkedHashMap<>();
  private final Set<String> running = new HashSet<>();
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong deferredSinceLog = new AtomicLong();
  private volatile Instant lastDeferredLog = Instant.EPOCH;
  private boolean closed;

  public ForgeEventQueue(ForgeEvents events, int capacity, int threads, Observer observer, Clock clock) {
    this(events::delivered, events::handle, events::deferToPolling, capacity, threads, observer, clock);
  }

  ForgeEventQueue(ToIntFunction<Work> handler, ToIntFunction<Work> fallback, int capacity, int threads, Observer observer, Clock clock) {
    this(() -> { }, handler, fallback, capacity, threads, observer, clock);
  }

  /**
   * @param delivered told of every verified delivery, on the caller's thread: it must be quick
   * @param handler does one piece of work, on a queue thread
   * @param fallback leaves a piece of work to polling, on the caller's thread: it may touch the store,
   *     never the forge
   */
  ForgeEventQueue(
      Runnable delivered, ToIntFunction<Work> handler, ToIntFunction<Work> fallback, int capacity, int threads, Observer observer,
      Clock clock) {
    if (capacity < 1 || threads < 1) {
      throw new IllegalArgumentException("a queue needs room for one event and one thread");
    }
    this.delivered = delivered;
    this.handler = handler;
    this.fallback = fallback;
    this.capacity = capacity;
    this.observer = observer;
    this.clock = clock;
    for (int i = 0; i < threads; i++) {
      Thread worker = new Thread(this::drain, "flotilla-events-" + (i + 1));
      worker.setDaemon(true);
      workers.add(worker);
    }
  }

  /** Starts the threads that drain the queue. */
  public ForgeEventQueue start() {
    workers.forEach(Thread::start);
    return this;
  }

  @Override
  public void onEvent(WebhookEvent event) {
    accept(event);
  }

  @Override
  public Accepted accept(WebhookEvent event) {
    delivered.run();
    List<Work> work = ForgeEvents.workFor(event);
    if (work.isEmpty()) {
      return Accepted.IGNORED;
    }
    Accepted accepted = Accepted.MERGED;
    for (Work w : work) {
      switch (offer(w)) {
        case QUEUED -> accepted = accepted == Accepted.POLLING ? accepted : Accepted.QUEUED;
        case FULL -> {
          deferToPolling(w);
          accepted = Accepted.POLLING;
        }
        case MERGED -> { }
      }
    }
    return accepted;
  }

  private enum Offer { QUEUED, MERGED, FULL }

  private synchronized Offer offer(Work work) {
    if (waiting.containsKey(work.key())) {
      return Offer.MERGED;
    }
    if (waiting.size() >= capacity) {
      return Offer.FULL;
    }
    waiting.put(work.key(), work);
    notifyAll();
    return Offer.QUEUED;
  }

  /** Pieces of work waiting (not counting those being done). */
  public synchronized int depth() {
    return waiting.size();
  }

  private void deferToPolling(Work work) {
    observer.deferredToPolling(work.event());
    fallback.applyAsInt(work);
    long deferred = deferredSinceLog.incrementAndGet();
    Instant now = clock.instant();
    if (Duration.between(lastDeferredLog, now).compareTo(LOG_INTERVAL) >= 0) {
      lastDeferredLog = now;
      deferredSinceLog.set(0);
      LOG.warn("the webhook queue is full ({} waiting): {} events left to polling since the last report;"
          + " raise FLOTILLA_WEBHOOK_QUEUE_SIZE if this lasts", capacity, deferred);
    }
  }

  private void drain() {
    while (true) {
      Work work;
      try {
        work = next();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (work == null) {
        return;
      }
      try {
        int touched = handler.applyAsInt(work);
        observer.handled(work.event());
        LOG.debug("webhook work done: {} ({} touched)", Printable.escape(work.key()), touched);
      } catch (RuntimeException e) {
        observer.failed(work.event());
        LOG.warn("webhook work failed, left to polling: {}: {}", Printable.escape(work.key()), Printable.escape(String.valueOf(e.getMessage())));
        leaveToPolling(work);
      } finally {
        synchronized (this) {
          running.remove(work.key());
          notifyAll();
        }
      }
    }
  }

  private void leaveToPolling(Work work) {
    try {
      fallback.applyAsInt(work);
    } catch (RuntimeException e) {
      LOG.warn("could not mark the changesets of {} due; the next polling round reaches them: {}",
          Printable.escape(work.key()), Printable.escape(String.valueOf(e.getMessage())));
    }
  }

  /** The oldest waiting work not already being done, or null once closed. */
  private synchronized Work next() throws InterruptedException {
    while (!closed) {
      for (Iterator<Map.Entry<String, Work>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Work> entry = it.next();
        if (running.add(entry.getKey())) {
          it.remove();
          return entry.getValue();
        }
      }
      wait();
    }
    return null;
  }

  /** Stops the threads; work still waiting is left to polling, which reaches every changeset anyway. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    for (Thread worker : workers) {
      worker.interrupt();
    }
    for (Thread worker : workers) {
      try {
        worker.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
