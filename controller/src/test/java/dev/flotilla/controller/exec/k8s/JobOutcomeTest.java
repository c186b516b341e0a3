package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.runner.RunJson;
import dev.flotilla.runner.RunResult;
import dev.flotilla.runner.RunResult.Phase;
import dev.flotilla.runner.RunResult.Status;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobOutcomeTest {

  private final JobOutcome outcome = new JobOutcome(KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_RUNNER_DEADLINE", "45m")));

  @Test
  void saysNothingWhileTheJobRuns() {
    assertThat(outcome.of(job(null, null), List.of(pod(running())))).isEmpty();
    assertThat(JobOutcome.finished(job(null, null))).isFalse();
  }

  @Test
  void readsTheResultFromTheTerminationMessage() {
    String json = RunJson.writeResult(RunResult.pushed("abc123", 1, 2, 3, "bumped"));

    assertThat(outcome.of(job("Complete", null), List.of(pod(terminated(0, "Completed", json)))))
        .hasValue(RunResult.pushed("abc123", 1, 2, 3, "bumped"));
  }

  @Test
  void failsASucceededJobThatLeftNoResult() {
    RunResult result = outcome.of(job("Complete", null), List.of(pod(terminated(0, "Completed", null)))).orElseThrow();

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.reason()).contains("left no result");
  }

  @Test
  void keepsTheRunnersOwnFailure() {
    String json = RunJson.writeResult(RunResult.failed(Phase.PUSH, "remote rejected the push"));

    assertThat(outcome.of(job("Failed", "BackoffLimitExceeded"), List.of(pod(terminated(1, "Error", json)))))
        .hasValue(RunResult.failed(Phase.PUSH, "remote rejected the push"));
  }

  @Test
  void namesTheDeadlineAndTheSettingToRaise() {
    RunResult result = outcome.of(job("Failed", "DeadlineExceeded"), List.of()).orElseThrow();

    assertThat(result.reason()).isEqualTo("ran longer than 45m; raise FLOTILLA_RUNNER_DEADLINE or look at the log");
  }

  @Test
  void describesAFailedJobWithoutAPod() {
    RunResult result = outcome.of(job("Failed", "BackoffLimitExceeded"), List.of()).orElseThrow();

    assertThat(result.phase()).isEqualTo(Phase.EXECUTOR);
    assertThat(result.reason()).contains("failed (BackoffLimitExceeded)").contains("kubectl describe job");
  }

  @Test
  void recognisesAnImageThatCannotBePulled() {
    Pod pod =
        pod(new ContainerStateBuilder().withNewWaiting().withReason("ErrImagePull").withMessage("manifest unknown").endWaiting().build());

    assertThat(outcome.imagePullFailure(pod)).hasValueSatisfying(result ->
        assertThat(result.reason()).startsWith("cannot pull image registry.example/runner:1: manifest unknown"));
    assertThat(outcome.imagePullFailure(pod(running()))).isEmpty();
  }

  private static Job job(String condition, String reason) {
    JobBuilder job = new JobBuilder().withNewMetadata().withName("flotilla-x-1").endMetadata();
    if (condition != null) {
      job.withNewStatus().addNewCondition().withType(condition).withStatus("True").withReason(reason).endCondition().endStatus();
    }
    return job.build();
  }

  private static Pod pod(ContainerState state) {
    return new PodBuilder()
        .withNewMetadata().withName("flotilla-x-1-abcde").endMetadata()
        .withNewSpec().addNewContainer().withName("runner").withImage("registry.example/runner:1").endContainer().endSpec()
        .withNewStatus().addNewContainerStatus().withName("runner").withState(state).endContainerStatus().endStatus()
        .build();
  }

  private static ContainerState running() {
    return new ContainerStateBuilder().withNewRunning().endRunning().build();
  }

  private static ContainerState terminated(int code, String reason, String message) {
    return new ContainerStateBuilder().withNewTerminated().withExitCode(code).withReason(reason).withMessage(message).endTerminated().build();
  }
}
