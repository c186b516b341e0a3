package dev.flotilla.controller.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Asks the store for a connection every {@code every} on a thread of its own, so that {@code
 * /healthz} can say how long the store has been gone without waiting on it: the process is not well
 * once the store has been unreachable for longer than the limit ({@code FLOTILLA_STORE_OUTAGE_LIMIT}).
 */
public final class StoreWatch implements AutoCloseable {

  /** Whether the store counts as up, and what a probe reader should be told. */
  public record Verdict(boolean up, String detail) {}

  private final DataSource dataSource;
  private final Clock clock;
  private final Duration limit;
  private final ScheduledExecutorService probes;
  private volatile Instant lastAnswer;

  public StoreWatch(DataSource dataSource, Clock clock, Duration limit, Duration every) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.limit = limit;
    this.lastAnswer = clock.instant();
    this.probes = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "store-watch");
      t.setDaemon(true);
      return t;
    });
    probes.scheduleWithFixedDelay(this::probe, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One probe: the store answered if a connection from the pool is valid. */
  void probe() {
    // The time of asking, not of the answer: a probe that returns late never moves the answer forward
    // past a probe that has since failed.
    Instant asked = clock.instant();
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(5)) {
        answeredAt(asked);
      }
    } catch (SQLException | RuntimeException e) {
      // Unreachable: lastAnswer stays where it was, and the outage grows.
    }
  }

  private synchronized void answeredAt(Instant asked) {
    if (asked.isAfter(lastAnswer)) {
      lastAnswer = asked;
    }
  }

  /** The liveness check: down once the store has not answered for longer than the limit. */
  public Verdict check() {
    Duration silent = Duration.between(lastAnswer, clock.instant());
    if (silent.compareTo(limit) > 0) {
      return new Verdict(false, "unreachable for " + silent.toSeconds() + "s, longer than FLOTILLA_STORE_OUTAGE_LIMIT ("
          + limit.toSeconds() + "s)");
    }
    return new Verdict(true, "last answered " + silent.toSeconds() + "s ago");
  }

  @Override
  public void close() {
    probes.shutdownNow();
  }
}
