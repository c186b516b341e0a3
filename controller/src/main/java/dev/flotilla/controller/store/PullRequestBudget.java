package dev.flotilla.controller.store;

import dev.flotilla.controller.model.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code limits.pullRequestsPerHour} as a token bucket per campaign, kept in the store: taking a
 * token locks the campaign's row, so replicas share one budget, and a restart does not refill it.
 */
public final class PullRequestBudget {

  static final Duration PERIOD = Duration.ofHours(1);

  private final Jdbc jdbc;

  public PullRequestBudget(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Takes a token for {@code campaign}; empty if one was taken, else how long until the next. */
  public Optional<Duration> take(String campaign, int perHour, Instant now) {
    return jdbc.inTransaction(() -> {
      jdbc.update(
          "INSERT INTO pull_request_bucket (campaign, tokens, refilled_at) VALUES (?, ?, ?) ON CONFLICT (campaign) DO NOTHING",
          campaign, (double) perHour, now);
      TokenBucket bucket = jdbc.queryOne(
              "SELECT tokens, refilled_at FROM pull_request_bucket WHERE campaign = ? FOR UPDATE",
              rs -> new TokenBucket(perHour, PERIOD, rs.getDouble(1), Jdbc.instant(rs, "refilled_at")),
              campaign)
          .orElseThrow()
          .refill(now);
      if (!bucket.hasToken()) {
        save(campaign, bucket);
        return Optional.of(bucket.untilNextToken());
      }
      save(campaign, bucket.take());
      return Optional.<Duration>empty();
    });
  }

  private void save(String campaign, TokenBucket bucket) {
    jdbc.update("UPDATE pull_request_bucket SET tokens = ?, refilled_at = ? WHERE campaign = ?",
        bucket.tokens(), bucket.refilledAt(), campaign);
  }
}
