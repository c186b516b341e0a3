package dev.flotilla.controller.forge.github;

import java.time.Duration;

/** Waits; tests pass one that only records, so backoff and rate-limit waits cost them no time. */
@FunctionalInterface
public interface Sleeper {

  Sleeper REAL =
      duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
          Thread.sleep(duration.toMillis());
        }
      };

  void sleep(Duration duration) throws InterruptedException;
}
