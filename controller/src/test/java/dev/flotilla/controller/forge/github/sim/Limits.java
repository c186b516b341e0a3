package dev.flotilla.controller.forge.github.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub's rate limits as the simulator enforces them, each per credential: the primary budget per
 * resource ({@code core}, {@code graphql}) over a window, and the secondary limits on requests in
 * flight and on content creation (80 a minute, 500 an hour). Every number can be turned down so a
 * test sees a limit run out and reset in seconds.
 */
public final class Limits {

  public volatile int coreLimit = 5000;
  public volatile int graphqlLimit = 5000;
  /** How long until a used budget is whole again (GitHub: an hour from the first request). */
  public volatile Duration window = Duration.ofHours(1);
  /** Requests in flight at once for one credential before GitHub answers with a secondary limit. */
  public volatile int concurrency = 100;
  public volatile int contentPerMinute = 80;
  public volatile int contentPerHour = 500;
  /** The {@code Retry-After} a secondary limit answers with, in seconds (GitHub says 60). */
  public volatile int retryAfterSeconds = 60;
  /** The windows of the content-creation limits (GitHub: a minute and an hour). */
  public volatile Duration contentMinute = Duration.ofMinutes(1);
  public volatile Duration contentHour = Duration.ofHours(1);

  /** One credential's budget for one resource. */
  static final class Budget {
    int used;
    Instant reset;
  }

  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
  private final Map<String, Deque<Instant>> creations = new ConcurrentHashMap<>();

  int limit(String resource) {
    return "graphql".equals(resource) ? graphqlLimit : coreLimit;
  }

  /** Takes one request from the budget; the budget after it, or null when none was left. */
  Budget take(String identity, String resource, Instant now) {
    Budget budget = budgets.computeIfAbsent(identity + " " + resource, k -> new Budget());
    synchronized (budget) {
      if (budget.reset == null || !now.isBefore(budget.reset)) {
        budget.used = 0;
        budget.reset = now.plus(window);
      }
      if (budget.used >= limit(resource)) {
        return null;
      }
      budget.used++;
      return snapshot(budget);
    }
  }

  /** Gives back a request that cost nothing, such as a 304. */
  void refund(String identity, String resource) {
    Budget budget = budgets.get(identity + " " + resource);
    if (budget != null) {
      synchronized (budget) {
        budget.used = Math.max(0, budget.used - 1);
      }
    }
  }

  Budget peek(String identity, String resource, Instant now) {
    Budget budget = budgets.computeIfAbsent(identity + " " + resource, k -> new Budget());
    synchronized (budget) {
      if (budget.reset == null || !now.isBefore(budget.reset)) {
        budget.used = 0;
        budget.reset = now.plus(window);
      }
      return snapshot(budget);
    }
  }

  private static Budget snapshot(Budget budget) {
    Budget copy = new Budget();
    copy.used = budget.used;
    copy.reset = budget.reset;
    return copy;
  }

  /** Counts one content-creating request; false when it is over 80 a minute or 500 an hour. */
  boolean create(String identity, Instant now) {
    Deque<Instant> times = creations.computeIfAbsent(identity, k -> new ArrayDeque<>());
    synchronized (times) {
      while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(contentHour))) {
        times.pollFirst();
      }
      long lastMinute = times.stream().filter(t -> t.isAfter(now.minus(contentMinute))).count();
      if (lastMinute >= contentPerMinute || times.size() >= contentPerHour) {
        return false;
      }
      times.addLast(now);
      return true;
    }
  }

  /**
   * Runs GitHub's hour in {@code 1/factor} of the time: the primary window, both content-creation
   * windows and the {@code Retry-After} (at least a second, the header's unit) shrink by the factor;
   * the numbers of requests stay GitHub's. A benchmark compresses hours of limits into minutes so.
   */
  public void compress(double factor) {
    window = scaled(Duration.ofHours(1), factor);
    contentMinute = scaled(Duration.ofMinutes(1), factor);
    contentHour = scaled(Duration.ofHours(1), factor);
    retryAfterSeconds = (int) Math.max(1, Math.round(60 / factor));
  }

  private static Duration scaled(Duration duration, double factor) {
    return Duration.ofNanos(Math.round(duration.toNanos() / factor));
  }

  /** Spends every credential's primary budget now; each is whole again {@code resetIn} from {@code now}. */
  void exhaust(Instant now, Duration resetIn) {
    for (Map.Entry<String, Budget> entry : budgets.entrySet()) {
      Budget budget = entry.getValue();
      synchronized (budget) {
        budget.used = limit(entry.getKey().substring(entry.getKey().lastIndexOf(' ') + 1));
        budget.reset = now.plus(resetIn);
      }
    }
  }

  /** Forgets every budget, as if an hour had passed. */
  public void resetAll() {
    budgets.clear();
    creations.clear();
  }
}
