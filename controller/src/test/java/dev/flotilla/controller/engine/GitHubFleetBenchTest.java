package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GitHubFleetBenchTest {

  static final Duration CI = Duration.ofMinutes(5);

  @Test
  void oneChangesetMergesOneCiRunAfterItsPullRequest() {
    assertThat(GitHubFleetBench.bestTime(1, CI, 80, 500)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void eightyCreationsAMinuteSpreadPullRequestsAndMerges() {
    // Minutes 0-2 open 80, 80, 16; minutes 5-7 merge them.
    assertThat(GitHubFleetBench.bestTime(176, CI, 80, 500)).isEqualTo(Duration.ofMinutes(7));
  }

  @Test
  void fiveHundredAnHourHoldTheRestUntilTheHourHasPassed() {
    // 600 creations: 500 in the first minutes, the last 100 once the first minutes leave the hour.
    Duration best = GitHubFleetBench.bestTime(300, CI, 80, 500);
    assertThat(best).isGreaterThan(Duration.ofMinutes(60)).isLessThan(Duration.ofMinutes(70));
  }
}
