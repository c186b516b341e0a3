package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.forge.github.sim.SimPull;
import dev.flotilla.controller.model.ChangesetState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub's rate limits running out in the middle of a campaign: the engine waits them out and the
 * campaign converges with every pull request opened once and every merge made once, as the
 * simulator's own state shows.
 */
class GitHubLimitsMidRunIT {

  static final int REPOS = 5;
  static final String OPEN_PULL = "POST /repos/{owner}/{repo}/pulls";
  static final String MERGE = "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge";

  @TempDir Path tmp;
  GitHubFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void thePrimaryBudgetRunningOutMidRunIsWaitedOutAndNothingIsDoneTwice() throws Exception {
    fleet = new GitHubFleet(tmp, GitHubFleet.Settings.of(REPOS).scale(60).ci(Duration.ofMinutes(1)));
    fleet.startCampaign();
    untilTheFirstPullRequest();
    fleet.sim.exhaustPrimaryLimit(Duration.ofSeconds(2));
    converge();
    assertThat(fleet.sim.primaryLimitHits()).as("the budget ran out").isPositive();
    everyPullRequestOpenedAndMergedOnce();
  }

  @Test
  void secondaryLimitsMidRunAreWaitedOutAndNothingIsDoneTwice() throws Exception {
    fleet = new GitHubFleet(tmp, GitHubFleet.Settings.of(REPOS).scale(60).ci(Duration.ofMinutes(1)));
    fleet.startCampaign();
    untilTheFirstPullRequest();
    // GitHub answers both ways: 403 for content created too fast, 429 too.
    fleet.sim.limits().retryAfterSeconds = 1;
    fleet.sim.limits().contentMinute = Duration.ofSeconds(1);
    fleet.sim.limits().contentPerMinute = 2;
    fleet.sim.secondaryLimit(MERGE, 429, 2);
    fleet.sim.secondaryLimit(OPEN_PULL, 403, 1);
    converge();
    assertThat(fleet.sim.secondaryLimitHits()).as("secondary limits answered").isGreaterThanOrEqualTo(3);
    everyPullRequestOpenedAndMergedOnce();
  }

  void untilTheFirstPullRequest() {
    assertThat(fleet.tickUntil(() -> fleet.sim.calls(OPEN_PULL) > 0, Duration.ofMillis(50), Duration.ofSeconds(60)))
        .as("a first pull request opened").isTrue();
  }

  void converge() {
    assertThat(fleet.tickUntil(fleet::settled, Duration.ofMillis(100), Duration.ofSeconds(90)))
        .as("the campaign converges; states: %s", fleet.states()).isTrue();
    assertThat(fleet.count(ChangesetState.MERGED)).isEqualTo(fleet.expected(GitHubFleet.Kind.MERGES));
  }

  void everyPullRequestOpenedAndMergedOnce() {
    for (int i = 0; i < REPOS; i++) {
      String name = GitHubFleet.name(i);
      List<SimPull> pulls = fleet.sim.repo(GitHubFleet.OWNER, name).pulls();
      assertThat(pulls).as("%s: one pull request", name).hasSize(1);
      boolean merges = GitHubFleet.Kind.of(i) == GitHubFleet.Kind.MERGES;
      assertThat(pulls.get(0).isMerged()).as("%s merged", name).isEqualTo(merges);
      assertThat(fleet.commitsAfterTheFirst(i)).as("%s: commits on main after the first", name).isEqualTo(merges ? 1 : 0);
    }
  }
}
