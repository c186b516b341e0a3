package dev.flotilla.controller.engine;

import static dev.flotilla.controller.engine.PullRequestRulesTest.NOW;
import static dev.flotilla.controller.engine.PullRequestRulesTest.RECHECK;
import static dev.flotilla.controller.engine.PullRequestRulesTest.RULES;
import static dev.flotilla.controller.engine.PullRequestRulesTest.ci;
import static dev.flotilla.controller.engine.PullRequestRulesTest.merged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.DeploymentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Post-merge health when the campaign watches deployments as well as the default branch's checks. */
class DeploymentHealthTest {

  static Campaign watchingDeployments(String... environments) {
    return new Campaign(new CampaignSpec("bump", "maven-dependency-version", Map.of(), null, true, false, null, null, null,
        false, null, List.of(), new CampaignSpec.PostMerge(Duration.ofMinutes(30), 0.0, List.of(environments)), null),
        CampaignStatus.ACTIVE, null, 0, Instant.EPOCH);
  }

  static DeploymentStatus deployed(String environment, DeploymentStatus.State state) {
    return new DeploymentStatus(environment, state, "rolled back: 5xx above 2%", "https://deploy.example/logs/42");
  }

  static Step health(Campaign campaign, CiStatus ci, Map<String, DeploymentStatus> deployments, Instant healthUntil) {
    return RULES.health(campaign, merged(healthUntil), ci, () -> deployments, NOW);
  }

  @Test
  void aFailedOrErroredDeploymentIsAPostMergeFailureNamingTheEnvironmentAndItsLog() {
    for (DeploymentStatus.State state : List.of(DeploymentStatus.State.FAILURE, DeploymentStatus.State.ERROR)) {
      Step step = health(watchingDeployments("staging", "production"), ci(CiStatus.State.SUCCESS),
          Map.of("staging", deployed("staging", DeploymentStatus.State.SUCCESS), "production", deployed("production", state)),
          NOW.plusSeconds(600));

      assertThat(step).isInstanceOf(Step.MoveTo.class);
      Step.MoveTo move = (Step.MoveTo) step;
      assertThat(move.to()).isEqualTo(ChangesetState.POST_MERGE_FAILED);
      assertThat(move.reason())
          .contains("deployment of bbbbbbb to production ended in " + state.name().toLowerCase())
          .contains("rolled back: 5xx above 2%").contains("https://deploy.example/logs/42")
          .contains("flotilla campaign revert bump --wave 2")
          .doesNotContain("staging");
    }
  }

  @Test
  void greenChecksAndEveryWatchedEnvironmentDeployedEndTheWatch() {
    Step step = health(watchingDeployments("production"), ci(CiStatus.State.SUCCESS),
        Map.of("production", deployed("production", DeploymentStatus.State.SUCCESS)), NOW.plusSeconds(600));

    assertThat(step).isInstanceOf(Step.StopWatching.class);
    assertThat(((Step.StopWatching) step).reason()).contains("deployed to production");
  }

  @Test
  void greenChecksWaitForADeploymentNotReportedOrStillRunningUntilTheWatchEnds() {
    Campaign campaign = watchingDeployments("production");

    assertThat(health(campaign, ci(CiStatus.State.SUCCESS), Map.of(), NOW.plusSeconds(600)))
        .isEqualTo(new Step.Wait(null, NOW.plus(RECHECK)));
    assertThat(health(campaign, ci(CiStatus.State.SUCCESS),
        Map.of("production", deployed("production", DeploymentStatus.State.PENDING)), NOW.plusSeconds(600)))
        .isEqualTo(new Step.Wait(null, NOW.plus(RECHECK)));
    Step timeUp = health(campaign, ci(CiStatus.State.SUCCESS), Map.of(), NOW);
    assertThat(timeUp).isInstanceOf(Step.StopWatching.class);
    assertThat(((Step.StopWatching) timeUp).reason()).contains("no deployment to production failed within postMerge.watch");
  }

  @Test
  void aFailedDeploymentFailsEvenWhileTheChecksAreStillRunning() {
    Step step = health(watchingDeployments("production"), ci(CiStatus.State.PENDING),
        Map.of("production", deployed("production", DeploymentStatus.State.FAILURE)), NOW.plusSeconds(600));

    assertThat(step).extracting(s -> ((Step.MoveTo) s).to()).isEqualTo(ChangesetState.POST_MERGE_FAILED);
  }

  @Test
  void anUnwatchedEnvironmentNeitherFailsNorHoldsTheWatch() {
    Step step = health(watchingDeployments("production"), ci(CiStatus.State.SUCCESS),
        Map.of("production", deployed("production", DeploymentStatus.State.SUCCESS),
            "preview", deployed("preview", DeploymentStatus.State.FAILURE)),
        NOW.plusSeconds(600));

    assertThat(step).isInstanceOf(Step.StopWatching.class);
  }

  @Test
  void aFailedCheckNeedsNoDeploymentReadAndACampaignWithoutDeploymentsNeverAsks() {
    Step failed = RULES.health(watchingDeployments("production"), merged(NOW.plusSeconds(600)), ci(CiStatus.State.FAILURE),
        () -> { throw new AssertionError("deployments read"); }, NOW);
    assertThat(((Step.MoveTo) failed).reason()).contains("the default branch broke after the merge");

    assertThat(RULES.health(PullRequestRulesTest.campaign(), merged(NOW.plusSeconds(600)), ci(CiStatus.State.SUCCESS),
        () -> { throw new AssertionError("deployments read"); }, NOW)).isInstanceOf(Step.StopWatching.class);
  }
}
