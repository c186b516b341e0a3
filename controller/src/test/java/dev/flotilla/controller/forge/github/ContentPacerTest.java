package dev.flotilla.controller.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.engine.MutableClock;
import dev.flotilla.controller.forge.ForgeBusy;
import dev.flotilla.controller.forge.github.ContentPacer.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentPacerTest {

  static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

  final MutableClock clock = new MutableClock(START);

  @Test
  void neverMoreThan80AMinuteNor500AnHourHoweverHardItIsAsked() {
    ContentPacer pacer = new ContentPacer(ContentPacer.Limits.GITHUB_COM, clock);
    List<Instant> sent = new ArrayList<>();
    int refused = 0;
    // Two hours of asking every 0.7 seconds, for operations of 1 to 3 requests, starting and finishing.
    for (int tick = 0; tick < 2 * 3600 * 10 / 7; tick++) {
      clock.set(START.plusMillis(tick * 700L));
      int requests = 1 + tick % 3;
      Priority priority = tick % 2 == 0 ? Priority.START : Priority.FINISH;
      try (ContentPacer.Permit permit = pacer.take("installation 1", requests, priority, "pr " + tick % 40)) {
        for (int i = 0; i < requests; i++) {
          sent.add(clock.instant());
        }
      } catch (ForgeBusy e) {
        refused++;
        assertThat(e.retryIn()).isPositive();
      }
    }
    assertThat(refused).isPositive();
    assertThat(maxIn(sent, Duration.ofMinutes(1))).isLessThanOrEqualTo(80);
    assertThat(maxIn(sent, Duration.ofHours(1))).isLessThanOrEqualTo(500);
    // And the limits are reached, not just kept under: two hours give two hours' worth.
    assertThat(sent).hasSizeGreaterThanOrEqualTo(2 * 500 - 3);
  }

  @Test
  void shorterWindowsCountAMinuteAndAnHourOfASimulatedGitHubThatRunsFaster() {
    ContentPacer pacer = new ContentPacer(new ContentPacer.Limits(4, 10), clock);
    // GitHub's time sixty times faster: its minute is a second, its hour a minute.
    pacer.windows(Duration.ofSeconds(1), Duration.ofMinutes(1));
    for (int i = 0; i < 4; i++) {
      pacer.take("installation 1", 1, Priority.START, "open " + i).close();
    }
    assertThatThrownBy(() -> pacer.take("installation 1", 1, Priority.START, "open 4"))
        .isInstanceOfSatisfying(ForgeBusy.class, e -> assertThat(e.retryIn()).isLessThanOrEqualTo(Duration.ofSeconds(1)));
    clock.set(START.plusMillis(1_001));
    for (int i = 4; i < 10; i++) {
      clock.set(clock.instant().plusMillis(300));
      pacer.take("installation 1", 1, Priority.START, "open " + i).close();
    }
    // Ten in the simulated hour: the eleventh waits until the first leaves it, a minute of the clock.
    assertThatThrownBy(() -> pacer.take("installation 1", 1, Priority.START, "open 10"))
        .isInstanceOfSatisfying(ForgeBusy.class, e -> assertThat(e.retryIn()).isLessThanOrEqualTo(Duration.ofMinutes(1)));
    clock.set(START.plusSeconds(61));
    pacer.take("installation 1", 1, Priority.START, "open 10").close();
  }

  @Test
  void aMergeThatHadToWaitGoesBeforeNewPullRequests() {
    ContentPacer pacer = new ContentPacer(new ContentPacer.Limits(5, 100), clock);
    for (int i = 0; i < 5; i++) {
      pacer.take("installation 1", 1, Priority.START, "open " + i).close();
    }
    assertThatThrownBy(() -> pacer.take("installation 1", 2, Priority.FINISH, "merge #7"))
        .isInstanceOf(ForgeBusy.class)
        .hasMessageContaining("content-creation limit (5 a minute, 100 an hour) for installation 1 is used up");

    clock.set(START.plusSeconds(61));
    int opened = 0;
    for (int i = 5; i < 10; i++) {
      try {
        pacer.take("installation 1", 1, Priority.START, "open " + i).close();
        opened++;
      } catch (ForgeBusy e) {
        assertThat(e).hasMessageContaining("kept for 1 merge(s) waiting before new pull requests");
      }
    }
    assertThat(opened).isEqualTo(3);
    pacer.take("installation 1", 2, Priority.FINISH, "merge #7").close();
  }

  @Test
  void installationsHaveTheirOwnLimits() {
    ContentPacer pacer = new ContentPacer(new ContentPacer.Limits(2, 100), clock);
    pacer.take("installation 1", 2, Priority.START, "a").close();
    assertThatThrownBy(() -> pacer.take("installation 1", 1, Priority.START, "b")).isInstanceOf(ForgeBusy.class);
    pacer.take("installation 2", 2, Priority.START, "c").close();
  }

  @Test
  void aSecondaryLimitAnswerPausesEveryContentRequestOfThatInstallationUntilRetryAfter() {
    ContentPacer pacer = new ContentPacer(ContentPacer.Limits.GITHUB_COM, clock);
    pacer.pause("installation 1", START.plusSeconds(60));

    assertThatThrownBy(() -> pacer.take("installation 1", 1, Priority.FINISH, "merge #1"))
        .isInstanceOfSatisfying(ForgeBusy.class, e -> assertThat(e.retryIn()).isEqualTo(Duration.ofSeconds(60)))
        .hasMessageContaining("secondary rate limit");
    pacer.take("installation 2", 1, Priority.START, "open").close();
    clock.set(START.plusSeconds(60));
    pacer.take("installation 1", 1, Priority.FINISH, "merge #1").close();
  }

  @Test
  void aRequestCountsFromWhenItWasAnsweredNotWhenItWasSent() {
    ContentPacer pacer = new ContentPacer(new ContentPacer.Limits(1, 100), clock);
    ContentPacer.Permit slow = pacer.take("installation 1", 1, Priority.FINISH, "merge #1");
    clock.set(START.plusSeconds(30));
    slow.close();
    clock.set(START.plusSeconds(61));
    assertThatThrownBy(() -> pacer.take("installation 1", 1, Priority.FINISH, "merge #2"))
        .isInstanceOfSatisfying(ForgeBusy.class, e -> assertThat(e.retryIn()).isEqualTo(Duration.ofSeconds(29)));
  }

  /** The most instants of {@code sent} in any window of {@code width} (open at its start). */
  static int maxIn(List<Instant> sent, Duration width) {
    int max = 0;
    int from = 0;
    for (int to = 0; to < sent.size(); to++) {
      while (!sent.get(from).isAfter(sent.get(to).minus(width))) {
        from++;
      }
      max = Math.max(max, to - from + 1);
    }
    return max;
  }
}
