package dev.flotilla.controller.exec.k8s;

import dev.flotilla.runner.RunJson;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunRequest.Credential;
import dev.flotilla.runner.RunResult;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Stands in for the Job controller and the kubelet, which the mock API server does not run: when a
 * run's Secret appears (the executor creates it after the Job), it reads the request and the token
 * from it as a pod would see them mounted, runs the runner in this JVM or plays out a failure, then
 * writes the pod with its termination message and the Job's final conditions.
 */
final class TestKubelet implements AutoCloseable {

  /** What happens to a repository's pod. */
  enum Behaviour {
    RUN,
    OOM_KILLED,
    DEADLINE_EXCEEDED,
    IMAGE_PULL_BACK_OFF,
    CRASH,
    HOLD
  }

  private final KubernetesClient client;
  private final String namespace;
  private final BiFunction<RunRequest, Path, RunResult> runner;
  private final Path workRoot;
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final List<String> jobsSeen = new CopyOnWriteArrayList<>();
  private final Map<String, String> tokensMounted = new ConcurrentHashMap<>();
  private SharedIndexInformer<Secret> informer;
  private volatile Duration podLag = Duration.ZERO;
  private volatile Behaviour otherwise = Behaviour.RUN;

  TestKubelet(KubernetesClient client, String namespace, BiFunction<RunRequest, Path, RunResult> runner, Path workRoot) {
    this.client = client;
    this.namespace = namespace;
    this.runner = runner;
    this.workRoot = workRoot;
  }

  TestKubelet behave(String repository, Behaviour behaviour) {
    behaviours.put(repository, behaviour);
    return this;
  }

  /** What happens to the pods of repositories given no behaviour of their own. */
  TestKubelet otherwise(Behaviour behaviour) {
    otherwise = behaviour;
    return this;
  }

  TestKubelet start() {
    informer =
        client.secrets().inNamespace(namespace)
            .withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Secret secret) {
                    pool.execute(() -> runPod(secret));
                  }

                  @Override
                  public void onUpdate(Secret old, Secret secret) {}

                  @Override
                  public void onDelete(Secret secret, boolean unknown) {}
                });
    return this;
  }

  /**
   * Writes a run's finished pod {@code lag} after its Job's conditions instead of before them, as a
   * controller sees it when its pods' watch is behind its Jobs' watch.
   */
  TestKubelet podLag(Duration lag) {
    podLag = lag;
    return this;
  }

  /** Job names in the order their pods were started. */
  List<String> jobsSeen() {
    return jobsSeen;
  }

  /** The token each Job's pod found in its mounted Secret. */
  Map<String, String> tokensMounted() {
    return tokensMounted;
  }

  /** Finishes a held Job the way {@link Behaviour#RUN} would have. */
  void release(String jobName) {
    Secret secret = client.secrets().inNamespace(namespace).withName(jobName).get();
    runPod(secret, Behaviour.RUN);
  }

  private void runPod(Secret secret) {
    RunRequest request = RunJson.readRequest(value(secret, "request.json"), "Secret " + secret.getMetadata().getName());
    runPod(secret, behaviours.getOrDefault(request.repository(), otherwise));
  }

  private void runPod(Secret secret, Behaviour behaviour) {
    String jobName = secret.getMetadata().getName();
    jobsSeen.add(jobName);
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    if (job == null) {
      // The executor removed the Job when its volumes could not be created: no pod ever starts.
      return;
    }
    RunRequest request = mounted(secret, RunJson.readRequest(value(secret, "request.json"), jobName));
    String image = job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    switch (behaviour) {
      case RUN -> {
        RunResult result = runner.apply(request, workRoot.resolve(jobName));
        boolean failed = result.status() == RunResult.Status.FAILED;
        Runnable pod = () -> pod(job, terminated(failed ? 1 : 0, failed ? "Error" : "Completed", RunJson.writeResult(result)));
        if (podLag.isZero()) {
          pod.run();
        }
        finish(job, failed ? "Failed" : "Complete", failed ? "BackoffLimitExceeded" : null);
        if (!podLag.isZero()) {
          sleep(podLag);
          pod.run();
        }
      }
      case OOM_KILLED -> {
        pod(job, terminated(137, "OOMKilled", null));
        finish(job, "Failed", "BackoffLimitExceeded");
      }
      case DEADLINE_EXCEEDED -> {
        pod(job, terminated(143, "Error", null));
        finish(job, "Failed", "DeadlineExceeded");
      }
      case CRASH -> {
        pod(job, terminated(1, "Error", "Error: Could not find or load main class dev.flotilla.runner.RunnerCli"));
        finish(job, "Failed", "BackoffLimitExceeded");
      }
      case IMAGE_PULL_BACK_OFF ->
          pod(
              job,
              new ContainerStateBuilder()
                  .withNewWaiting()
                  .withReason("ImagePullBackOff")
                  .withMessage("Back-off pulling image \"" + image + "\": not found")
                  .endWaiting()
                  .build());
      case HOLD -> pod(job, new ContainerStateBuilder().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().build());
    }
  }

  /** The request as the pod sees it: the token file lives where this test can write it. */
  private RunRequest mounted(Secret secret, RunRequest request) {
    if (request.credential().source() != Credential.Source.FILE) {
      return request;
    }
    String token = value(secret, "token");
    tokensMounted.put(secret.getMetadata().getName(), token);
    try {
      Path file = Files.createTempFile(workRoot, "token-", "");
      Files.writeString(file, token);
      return new RunRequest(
          request.campaign(), request.repository(), request.migration(), request.parameters(),
          request.cloneUrl(), request.defaultBranch(), request.branch(), request.author(),
          Credential.file(file.toString(), request.credential().username()), request.lastPushedSha());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static io.fabric8.kubernetes.api.model.ContainerState terminated(int exitCode, String reason, String message) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withMessage(message)
        .endTerminated()
        .build();
  }

  private void pod(Job job, io.fabric8.kubernetes.api.model.ContainerState state) {
    String jobName = job.getMetadata().getName();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(jobName + "-x7k2p")
            .withNamespace(namespace)
            .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
            .addToLabels("job-name", jobName)
            .addToLabels("batch.kubernetes.io/job-name", jobName)
            .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase(state.getTerminated() != null ? "Failed" : "Pending")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(JobRenderer.CONTAINER)
                    .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .withState(state)
                    .build())
            .endStatus()
            .build();
    // A held pod that is released later already exists: its status changes, as a real one's would.
    client.pods().inNamespace(namespace).resource(pod).createOr(NonDeletingOperation::update);
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  private void finish(Job job, String type, String reason) {
    Job current = client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).get();
    Job finished =
        new JobBuilder(current)
            .editOrNewStatus()
            .withSucceeded("Complete".equals(type) ? 1 : 0)
            .withFailed("Failed".equals(type) ? 1 : 0)
            .withActive(0)
            .addToConditions(
                new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).build())
            .endStatus()
            .build();
    client.batch().v1().jobs().inNamespace(namespace).resource(finished).updateStatus();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the test kubelet's pod lagged", e);
    }
  }

  /** A Secret's value as its mounted file holds it: the API server keeps what was sent as stringData in data. */
  static String value(Secret secret, String key) {
    return secret.getStringData() != null && secret.getStringData().containsKey(key)
        ? secret.getStringData().get(key)
        : new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    // Pods being written finish first: an interrupted write would fail the next await.
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test kubelet's pods did not finish within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the test kubelet finished its pods", e);
    }
  }
}
