package dev.flotilla.controller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final Duration HOUR = Duration.ofHours(1);

  @Test
  void aFullBucketAllowsABurstOfItsCapacityThenNothing() {
    TokenBucket bucket = TokenBucket.full(3, HOUR, T0);
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.hasToken()).isTrue();
      bucket = bucket.take();
    }
    assertThat(bucket.refill(T0).hasToken()).isFalse();
    assertThatThrownBy(bucket::take).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void tokensComeBackAtTheRatePerPeriod() {
    TokenBucket empty = new TokenBucket(60, HOUR, 0, T0);
    assertThat(empty.refill(T0.plusSeconds(59)).hasToken()).isFalse();
    assertThat(empty.refill(T0.plusSeconds(60)).hasToken()).isTrue();
    assertThat(empty.refill(T0.plusSeconds(600)).tokens()).isEqualTo(10.0);
    assertThat(empty.untilNextToken()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    TokenBucket bucket = new TokenBucket(5, HOUR, 4, T0).refill(T0.plus(Duration.ofDays(2)));
    assertThat(bucket.tokens()).isEqualTo(5.0);
  }

  @Test
  void aClockGoingBackwardsAddsNothing() {
    TokenBucket bucket = new TokenBucket(5, HOUR, 0.5, T0).refill(T0.minusSeconds(3600));
    assertThat(bucket.tokens()).isEqualTo(0.5);
    assertThat(bucket.refilledAt()).isEqualTo(T0);
  }

  @Test
  void aLoweredCapacityCapsTheTokensHeld() {
    TokenBucket bucket = new TokenBucket(2, HOUR, 10, T0).refill(T0.plusSeconds(1));
    assertThat(bucket.tokens()).isEqualTo(2.0);
  }
}
