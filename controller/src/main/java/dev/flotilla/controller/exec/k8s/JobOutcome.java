package dev.flotilla.controller.exec.k8s;

import dev.flotilla.FlotillaException;
import dev.flotilla.runner.RunJson;
import dev.flotilla.runner.RunResult;
import dev.flotilla.runner.RunResult.Phase;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what a Job and its pods say about a run. Pure: given the objects, the same answer, so each
 * way a run ends has a plain unit test.
 */
public final class JobOutcome {

  private static final Set<String> PULL_FAILURES =
      Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull");

  private final KubernetesExecutorConfig config;

  public JobOutcome(KubernetesExecutorConfig config) {
    this.config = config;
  }

  /** True once the Job will start no more pods: it succeeded or failed. */
  public static boolean finished(Job job) {
    return condition(job, "Complete").isPresent() || condition(job, "Failed").isPresent();
  }

  /** The run's result once its Job finished; empty while it runs. */
  public Optional<RunResult> of(Job job, List<Pod> pods) {
    Optional<ContainerStatus> runner = runnerStatus(latest(pods));
    Optional<ContainerStateTerminated> terminated = runner.map(ContainerStatus::getState).map(ContainerState::getTerminated);
    if (condition(job, "Complete").isPresent()) {
      return Optional.of(succeeded(job, terminated));
    }
    Optional<JobCondition> failed = condition(job, "Failed");
    if (failed.isPresent()) {
      return Optional.of(failed(job, failed.get(), runner, terminated));
    }
    return Optional.empty();
  }

  /** A failed result when the pod cannot start because its image cannot be pulled. */
  public Optional<RunResult> imagePullFailure(Pod pod) {
    return runnerStatus(Optional.of(pod))
        .flatMap(status -> Optional.ofNullable(status.getState()).map(ContainerState::getWaiting))
        .filter(waiting -> PULL_FAILURES.contains(waiting.getReason()))
        .map(waiting -> RunResult.failed(Phase.EXECUTOR, cannotPull(pod, waiting)));
  }

  private RunResult succeeded(Job job, Optional<ContainerStateTerminated> terminated) {
    String message = terminated.map(ContainerStateTerminated::getMessage).orElse(null);
    if (message == null || message.isBlank()) {
      return RunResult.failed(
          Phase.EXECUTOR,
          "Job " + name(job) + " succeeded but left no result in its termination message; look at the log");
    }
    return parse(message)
        .orElseGet(
            () ->
                RunResult.failed(
                    Phase.EXECUTOR,
                    "Job " + name(job) + " succeeded but its result is not run result JSON: " + message.strip()));
  }

  private RunResult failed(
      Job job,
      JobCondition condition,
      Optional<ContainerStatus> runner,
      Optional<ContainerStateTerminated> terminated) {
    if (terminated.map(ContainerStateTerminated::getReason).filter("OOMKilled"::equals).isPresent()) {
      return RunResult.failed(
          Phase.EXECUTOR,
          "ran out of memory (limit " + config.memoryLimit() + "); raise FLOTILLA_RUNNER_MEMORY");
    }
    if ("DeadlineExceeded".equals(condition.getReason())) {
      return RunResult.failed(
          Phase.EXECUTOR,
          "ran longer than " + config.deadlineText() + "; raise FLOTILLA_RUNNER_DEADLINE or look at the log");
    }
    Optional<ContainerStateWaiting> waiting =
        runner.map(ContainerStatus::getState).map(ContainerState::getWaiting);
    if (waiting.filter(w -> PULL_FAILURES.contains(w.getReason())).isPresent()) {
      return RunResult.failed(Phase.EXECUTOR, cannotPull(runner.get().getImage(), waiting.get()));
    }
    // The runner reports its own failures (clone, apply, push) as JSON and exits 1: keep its words.
    Optional<RunResult> reported =
        terminated.map(ContainerStateTerminated::getMessage).flatMap(JobOutcome::parse);
    if (reported.isPresent()) {
      return reported.get();
    }
    return RunResult.failed(Phase.EXECUTOR, jobFailure(job, condition, terminated));
  }

  private static String jobFailure(
      Job job, JobCondition condition, Optional<ContainerStateTerminated> terminated) {
    StringBuilder reason = new StringBuilder("Job ").append(name(job)).append(" failed");
    if (condition.getReason() != null) {
      reason.append(" (").append(condition.getReason()).append(')');
    }
    if (terminated.isPresent()) {
      reason.append(": the runner exited with code ").append(terminated.get().getExitCode());
      String message = terminated.get().getMessage();
      if (message != null && !message.isBlank()) {
        reason.append(": ").append(message.strip());
      } else if (terminated.get().getReason() != null) {
        reason.append(" (").append(terminated.get().getReason()).append(')');
      }
    } else if (condition.getMessage() != null) {
      reason.append(": ").append(condition.getMessage());
    } else {
      reason.append(" before its pod ran; run kubectl describe job ").append(name(job));
    }
    return reason.append("; look at the log").toString();
  }

  private static String cannotPull(Pod pod, ContainerStateWaiting waiting) {
    String image =
        pod.getSpec() == null
            ? "?"
            : pod.getSpec().getContainers().stream()
                .filter(c -> JobRenderer.CONTAINER.equals(c.getName()))
                .map(c -> c.getImage())
                .findFirst()
                .orElse("?");
    return cannotPull(image, waiting);
  }

  private static String cannotPull(String image, ContainerStateWaiting waiting) {
    String message = waiting.getMessage() == null ? waiting.getReason() : waiting.getMessage();
    return "cannot pull image " + image + ": " + message + "; check FLOTILLA_RUNNER_IMAGE and the registry credentials";
  }

  private static Optional<RunResult> parse(String message) {
    try {
      return Optional.of(RunJson.readResult(message.strip()));
    } catch (FlotillaException e) {
      return Optional.empty();
    }
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  /** With backoffLimit above 0 a Job has several pods: the newest one tells how it ended. */
  private static Optional<Pod> latest(List<Pod> pods) {
    return pods.stream()
        .max(
            Comparator.comparing(
                    (Pod pod) ->
                        pod.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : pod.getMetadata().getCreationTimestamp())
                .thenComparing(pod -> pod.getMetadata().getName()));
  }

  private static Optional<ContainerStatus> runnerStatus(Optional<Pod> pod) {
    return pod.map(Pod::getStatus)
        .flatMap(
            status ->
                status.getContainerStatuses() == null
                    ? Optional.empty()
                    : status.getContainerStatuses().stream()
                        .filter(c -> JobRenderer.CONTAINER.equals(c.getName()))
                        .findFirst());
  }

  private static String name(Job job) {
    return job.getMetadata().getName();
  }
}
