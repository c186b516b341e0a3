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
  /** The window {@link #contentPerMinute} counts over; a test shortens it to see the limit pass in seconds. */
  public volatile Duration contentMinute = Duration.ofMinutes(1);
  public volatile int contentPerHour = 500;
  /** The {@code Retry-After} a secondary limit answers with, in seconds (GitHub says 60). */
  public volatile int retryAfterSeconds = 60;

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
      while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(Duration.ofHours(1)))) {
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

  /** Forgets every budget, as if an hour had passed. */
  public void resetAll() {
    budgets.clear();
    creations.clear();
  }
}
