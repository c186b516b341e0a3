package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import dev.flotilla.controller.model.ChangesetState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the whole engine spends on GitHub for a small fleet, every request counted by the simulator:
 * 20 repositories with webhooks on, two needing a review that never comes and one failing CI, CI
 * taking a minute and GitHub's clock running 60 times faster (the engine's recheck interval alike). Not
 * timed; it fails when a change makes the engine ask GitHub more than a merged changeset is worth
 * (at most 6 requests per merged changeset, polling, discovery and tokens included) or create more
 * content than the repositories' settings require (a pull request for each pushed changeset and a
 * merge for each merged one: no labels or reviewers are configured, and GitHub deletes the head
 * branches itself).
 */
class GitHubFleetCallsIT {

  static final int REPOS = 20;
  static final double CALLS_PER_MERGED_CHANGESET = 6;

  @TempDir static Path tmp;
  static GitHubFleet fleet;

  @BeforeAll
  static void runTheCampaign() throws Exception {
    fleet = new GitHubFleet(tmp, GitHubFleet.Settings.of(REPOS).scale(60).ci(Duration.ofMinutes(1)));
    fleet.startCampaign();
    boolean settled = fleet.tickUntil(fleet::settled, Duration.ofMillis(100), Duration.ofSeconds(150));
    assertThat(settled).as("the campaign settles; states: %s", fleet.states()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void everyRepositoryEndsWhereItsSettingsLeadIt() {
    assertThat(fleet.states()).containsExactlyInAnyOrderEntriesOf(Map.of(
        ChangesetState.MERGED, (long) fleet.expected(GitHubFleet.Kind.MERGES),
        ChangesetState.MERGEABLE, (long) fleet.expected(GitHubFleet.Kind.AWAITS_REVIEW),
        ChangesetState.CI_FAILED, (long) fleet.expected(GitHubFleet.Kind.FAILS_CI)));
    assertThat(fleet.sim.secondaryLimitHits()).isZero();
  }

  @Test
  void aMergedChangesetCostsAtMostSixRequestsAndOnlyTheContentItNeeds() {
    long merged = fleet.count(ChangesetState.MERGED);
    int calls = fleet.sim.totalCalls();
    int content = fleet.contentRequestCount();
    long minimum = fleet.minimumContentRequests();
    String figures = String.format(Locale.ROOT, "%d requests, %d creating content (fewest possible %d), %d merged; by endpoint: %s",
        calls, content, minimum, merged, fleet.sim.calls());
    assertSoftly(soft -> {
      soft.assertThat((double) calls / merged).as("requests per merged changeset; " + figures).isLessThanOrEqualTo(CALLS_PER_MERGED_CHANGESET);
      soft.assertThat((long) content).as("content requests; " + figures).isEqualTo(minimum);
      soft.assertThat(fleet.sim.calls("DELETE /repos/{owner}/{repo}/git/refs/{ref}"))
          .as("no branch deleted where the repository deletes head branches itself; " + figures).isZero();
    });
  }
}
