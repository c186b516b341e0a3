package dev.flotilla.controller.engine;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs as soon as a slot frees instead of at the next poll: a recorded result, an applied or
 * resumed campaign wakes one thread, which does a dispatch round. Wake-ups that arrive while a round
 * is under way fold into one more round, so a burst of results costs a round or two, not one each.
 */
final class DispatchLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DispatchLoop.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final Runnable round;
  private final Thread thread;
  private boolean due;
  private boolean closed;

  /** @param round one dispatch round; it must not throw for long (a failure is logged and waits for the next wake) */
  DispatchLoop(Runnable round) {
    this.round = round;
    this.thread = new Thread(this::loop, "flotilla-dispatch-loop");
    this.thread.setDaemon(true);
  }

  DispatchLoop start() {
    thread.start();
    return this;
  }

  /** Asks for a dispatch round soon; never blocks. */
  synchronized void wake() {
    due = true;
    notifyAll();
  }

  private void loop() {
    while (awaitWake()) {
      try {
        round.run();
      } catch (RuntimeException e) {
        // The poll's round dispatches too; this one waits for the next wake.
        LOG.warn("could not start runs after a slot freed: {}", e.getMessage(), e);
      }
    }
  }

  private synchronized boolean awaitWake() {
    while (!due && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        return false;
      }
    }
    due = false;
    return !closed;
  }

  /** Stops waking; waits for a round under way to end so no run is handed to a closed executor. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join(STOP_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
