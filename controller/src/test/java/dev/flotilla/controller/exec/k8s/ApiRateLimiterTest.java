package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ApiRateLimiterTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final AtomicLong now = new AtomicLong(1_000 * SECOND);
  private final ApiRateLimiter limiter = new ApiRateLimiter(50, now::get);

  @Test
  void letsOneSecondsWorthGoAtOnceAfterAQuietSpell() {
    long waited = LongStream.range(0, 50).map(i -> limiter.reserve()).sum();

    assertThat(waited).isZero();
  }

  @Test
  void spacesRequestsBeyondTheBurstAtTheRate() {
    LongStream.range(0, 51).forEach(i -> limiter.reserve());

    assertThat(limiter.reserve()).isEqualTo(SECOND / 50);
    assertThat(limiter.reserve()).isEqualTo(2 * SECOND / 50);
  }

  @Test
  void neverExceedsTheRateOverAnyLongerStretch() {
    long requests = 0;
    // Ten seconds of requests as fast as the limiter lets them go, the clock following each wait.
    long end = now.get() + 10 * SECOND;
    while (now.get() < end) {
      now.addAndGet(limiter.reserve());
      requests++;
    }

    assertThat(requests).isBetween(500L, 50L + 500L + 1);
  }

  @Test
  void aQuietSpellEarnsNoMoreThanOneSecondsWorth() {
    now.addAndGet(60 * SECOND);

    long free = LongStream.range(0, 200).filter(i -> limiter.reserve() == 0).count();

    assertThat(free).isBetween(50L, 51L);
  }

  @Test
  void refusesARateBelowOne() {
    assertThatThrownBy(() -> new ApiRateLimiter(0)).hasMessageContaining("at least 1");
  }
}
