package dev.flotilla.controller.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket that refills continuously: {@code capacity} tokens per {@code period}, never more
 * than {@code capacity} held. Immutable; the store keeps the latest one.
 */
public record TokenBucket(double capacity, Duration period, double tokens, Instant refilledAt) {

  /** A full bucket, as a campaign starts. */
  public static TokenBucket full(double capacity, Duration period, Instant now) {
    return new TokenBucket(capacity, period, capacity, now);
  }

  /** The bucket as it is at {@code now}; a clock that went backwards adds nothing. */
  public TokenBucket refill(Instant now) {
    if (!now.isAfter(refilledAt)) {
      return new TokenBucket(capacity, period, Math.min(tokens, capacity), refilledAt);
    }
    double perNano = capacity / period.toNanos();
    double added = Duration.between(refilledAt, now).toNanos() * perNano;
    return new TokenBucket(capacity, period, Math.min(capacity, tokens + added), now);
  }

  public boolean hasToken() {
    return tokens >= 1;
  }

  /** The bucket after taking one token; only call when {@link #hasToken()}. */
  public TokenBucket take() {
    if (!hasToken()) {
      throw new IllegalStateException("the bucket is empty");
    }
    return new TokenBucket(capacity, period, tokens - 1, refilledAt);
  }

  /** How long until the next token is there. */
  public Duration untilNextToken() {
    if (hasToken()) {
      return Duration.ZERO;
    }
    double nanos = (1 - tokens) * period.toNanos() / capacity;
    return Duration.ofNanos((long) Math.ceil(nanos));
  }
}
