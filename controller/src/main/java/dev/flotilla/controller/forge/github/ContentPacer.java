package dev.flotilla.controller.forge.github;

import dev.flotilla.controller.forge.ForgeBusy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps content-creating requests (opening a pull request, labels, reviewers, merges, branch
 * deletions, comments, closing) under GitHub's secondary limit, per installation or token: at most
 * {@code perMinute} in any minute and {@code perHour} in any hour. Finishing work comes first: a
 * merge that had to wait is remembered, and opening a pull request only takes tokens while enough
 * are left for the merges waiting. After GitHub answers with a secondary limit anyway, all content
 * creation of that installation pauses until its {@code Retry-After}.
 *
 * <p>A request counts in the window from when its tokens are taken until it was answered, plus the
 * window: GitHub counts it when it arrives, which is later than when it was sent.
 */
final class ContentPacer {

  /** Who goes first when tokens are few. */
  enum Priority {
    /** Merging, deleting the merged branch, updating or closing a pull request: work already started. */
    FINISH,
    /** Opening a new pull request. */
    START
  }

  /** The limits, as GitHub sets them on github.com, or as a GitHub Enterprise Server's admins did. */
  record Limits(int perMinute, int perHour) {
    static final Limits GITHUB_COM = new Limits(80, 500);

    Limits {
      if (perMinute < 1 || perHour < 1) {
        throw new IllegalArgumentException("content limits must be at least 1 a minute and 1 an hour");
      }
    }
  }

  /** Tokens taken for one operation; {@link #close()} when its requests were answered. */
  final class Permit implements AutoCloseable {
    private final Account account;
    private final List<Slot> slots;

    private Permit(Account account, List<Slot> slots) {
      this.account = account;
      this.slots = slots;
    }

    @Override
    public void close() {
      synchronized (account) {
        // Moved to the end with the time of the answer: slots stay in time order.
        Instant now = clock.instant();
        account.slots.removeAll(slots);
        slots.forEach(slot -> {
          slot.at = now;
          account.slots.add(slot);
        });
      }
    }
  }

  /** How many tokens a merge that waits is counted for: the merge and the deletion of its branch. */
  static final int FINISH_RESERVE = 2;
  /** How long a merge that had to wait keeps its reservation without coming back, in hours' sixths. */
  private static final int WAITER_TTL_PER_HOUR = 6;

  private static final class Slot {
    Instant at;

    Slot(Instant at) {
      this.at = at;
    }
  }

  private static final class Account {
    /** Oldest first: a slot is only ever added with the latest time. */
    final List<Slot> slots = new ArrayList<>();
    final Map<String, Instant> waiting = new HashMap<>();
    Instant pausedUntil = Instant.MIN;
  }

  private volatile Limits limits;
  private volatile Duration minute = Duration.ofMinutes(1);
  private volatile Duration hour = Duration.ofHours(1);
  private final Clock clock;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  ContentPacer(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  Limits limits() {
    return limits;
  }

  void limits(Limits limits) {
    this.limits = limits;
  }

  /**
   * The lengths of the two windows GitHub counts in: a minute and an hour, unless a simulation runs
   * GitHub's time faster than the clock's.
   */
  void windows(Duration minute, Duration hour) {
    if (minute.isNegative() || minute.isZero() || hour.compareTo(minute) < 0) {
      throw new IllegalArgumentException("content windows must be positive, the hour no shorter than the minute: " + minute + ", " + hour);
    }
    this.minute = minute;
    this.hour = hour;
  }

  /**
   * Takes {@code tokens} for {@code key}'s next operation, or throws {@link ForgeBusy} saying when
   * to try again. A {@link Priority#FINISH} that must wait holds back {@link Priority#START}s until it
   * got its tokens.
   *
   * @param waiter names the operation (a pull request), so a waiting merge is counted once
   */
  Permit take(String key, int tokens, Priority priority, String waiter) {
    Account account = accounts.computeIfAbsent(key, k -> new Account());
    synchronized (account) {
      Instant now = clock.instant();
      prune(account, now);
      Optional<Instant> retryAt = retryAt(account, tokens, priority, waiter, now);
      if (retryAt.isPresent()) {
        if (priority == Priority.FINISH) {
          account.waiting.put(waiter, now.plus(hour.dividedBy(WAITER_TTL_PER_HOUR)));
        }
        String why = account.pausedUntil.isAfter(now)
            ? "GitHub answered " + key + " with its secondary rate limit; content creation pauses until its Retry-After"
            : priority == Priority.START && free(account, now) >= tokens
                ? "GitHub's content-creation limit (" + limits.perMinute() + " a minute, " + limits.perHour() + " an hour) for " + key
                    + " is kept for " + account.waiting.size() + " merge(s) waiting before new pull requests"
                : "GitHub's content-creation limit (" + limits.perMinute() + " a minute, " + limits.perHour() + " an hour) for " + key
                    + " is used up for now";
        throw new ForgeBusy(why, Duration.between(now, retryAt.get()));
      }
      account.waiting.remove(waiter);
      List<Slot> taken = new ArrayList<>();
      for (int i = 0; i < tokens; i++) {
        Slot slot = new Slot(now);
        account.slots.add(slot);
        taken.add(slot);
      }
      return new Permit(account, taken);
    }
  }

  /** GitHub answered {@code key} with a secondary limit: nothing of it creates content until {@code until}. */
  void pause(String key, Instant until) {
    Account account = accounts.computeIfAbsent(key, k -> new Account());
    synchronized (account) {
      if (until.isAfter(account.pausedUntil)) {
        account.pausedUntil = until;
      }
    }
  }

  /** When {@code tokens} may be taken, or empty for now. */
  private Optional<Instant> retryAt(Account account, int tokens, Priority priority, String waiter, Instant now) {
    if (account.pausedUntil.isAfter(now)) {
      return Optional.of(account.pausedUntil);
    }
    int reserve = 0;
    if (priority == Priority.START) {
      reserve = (int) account.waiting.keySet().stream().filter(w -> !w.equals(waiter)).count() * FINISH_RESERVE;
    }
    int wanted = Math.min(tokens + reserve, Math.min(limits.perMinute(), limits.perHour()));
    wanted = Math.max(wanted, tokens);
    if (free(account, now) >= wanted) {
      return Optional.empty();
    }
    Instant at = now.plusSeconds(1);
    at = max(at, freedAt(account, minute, limits.perMinute(), wanted, now));
    at = max(at, freedAt(account, hour, limits.perHour(), wanted, now));
    return Optional.of(at);
  }

  private int free(Account account, Instant now) {
    return Math.min(limits.perMinute() - inWindow(account, minute, now), limits.perHour() - inWindow(account, hour, now));
  }

  private static int inWindow(Account account, Duration window, Instant now) {
    return account.slots.size() - firstIn(account, now.minus(window));
  }

  /** When enough of the window's slots have left it for {@code wanted} more to fit under {@code limit}. */
  private static Instant freedAt(Account account, Duration window, int limit, int wanted, Instant now) {
    int first = firstIn(account, now.minus(window));
    int in = account.slots.size() - first;
    int mustLeave = in + wanted - limit;
    if (mustLeave <= 0) {
      return now;
    }
    return account.slots.get(first + Math.min(mustLeave, in) - 1).at.plus(window);
  }

  /** The index of the oldest slot after {@code from}. */
  private static int firstIn(Account account, Instant from) {
    int low = 0;
    int high = account.slots.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (account.slots.get(middle).at.isAfter(from)) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  private void prune(Account account, Instant now) {
    int gone = firstIn(account, now.minus(hour));
    if (gone > 0) {
      account.slots.subList(0, gone).clear();
    }
    account.waiting.values().removeIf(expires -> !expires.isAfter(now));
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
