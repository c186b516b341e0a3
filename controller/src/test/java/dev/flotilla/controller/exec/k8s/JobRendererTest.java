package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.runner.RunJson;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunRequest.Credential;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobRendererTest {

  private static final String TOKEN = "ghs_tokenValueThatMustStayInTheSecret42";

  private final KubernetesExecutorConfig config =
      KubernetesExecutorConfig.fromSettings(
          Map.of(
              "FLOTILLA_K8S_NAMESPACE", "fleet",
              "FLOTILLA_RUNNER_IMAGE", "registry.example/runner:1.0.0",
              "FLOTILLA_RUNNER_CPU", "250m",
              "FLOTILLA_RUNNER_MEMORY", "768Mi",
              "FLOTILLA_RUNNER_DEADLINE", "20m"));
  private final JobRenderer renderer = new JobRenderer(config);
  private final RunRequest request =
      new RunRequest(
          "jackson-2.18", "Payments/Ledger.Service", "maven-dependency-version",
          Map.of("version", "2.18.2"), "https://github.com/Payments/Ledger.Service.git", "main",
          "flotilla/jackson-2.18", null, Credential.env("GIT_TOKEN", "x-access-token"), null);

  private final JobRenderer.RunObjects objects = renderer.render("jackson-2.18/Payments/Ledger.Service#3", request, Optional.of(TOKEN));
  private final Job job = objects.job();
  private final PodSpec pod = job.getSpec().getTemplate().getSpec();
  private final Container runner = pod.getContainers().get(0);

  @Test
  void labelsAndAnnotatesTheJobAndItsPods() {
    Map<String, String> labels = job.getMetadata().getLabels();
    assertThat(labels)
        .containsEntry("app.kubernetes.io/managed-by", "flotilla")
        .containsEntry("app.kubernetes.io/name", "flotilla-runner")
        .containsEntry("flotilla.dev/campaign", "jackson-2.18")
        .containsEntry("flotilla.dev/changeset", "jackson-2.18.Payments-Ledger.Service");
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry("flotilla.dev/run-id", "jackson-2.18/Payments/Ledger.Service#3")
        .containsEntry("flotilla.dev/repository", "Payments/Ledger.Service");
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(labels);
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations()).isEqualTo(job.getMetadata().getAnnotations());
    assertThat(job.getMetadata().getNamespace()).isEqualTo("fleet");
  }

  @Test
  void aPlansDryRunCarriesItsFlagIntoTheJobsRequestAndARunDoesNot() {
    JobRenderer.RunObjects dry = renderer.render("plan-1-7", request.asDryRun(), Optional.of(TOKEN));

    assertThat(dev.flotilla.runner.RunJson.readRequest(dry.request(), "test").dryRun()).isTrue();
    assertThat(objects.request()).doesNotContain("dryRun");
  }

  @Test
  void leavesRetriesToTheControllerAndBoundsTheRun() {
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(1200L);
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(6 * 3600);
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
  }

  @Test
  void hardensThePod() {
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getServiceAccountName()).isEqualTo("flotilla-runner");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void hardensTheContainer() {
    var security = runner.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getRunAsUser()).isEqualTo(10001L);
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getPrivileged()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void givesTheRunnerWritableScratchSpaceOnly() {
    Map<String, Volume> volumes = pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get("work").getEmptyDir()).isNotNull();
    assertThat(volumes.get("tmp").getEmptyDir()).isNotNull();
    Map<String, VolumeMount> mounts =
        runner.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getMountPath, m -> m));
    assertThat(mounts.get("/work").getReadOnly()).isFalse();
    assertThat(mounts.get("/tmp").getReadOnly()).isFalse();
    assertThat(mounts.get("/etc/flotilla").getReadOnly()).isTrue();
    assertThat(mounts.get("/var/run/flotilla/git").getReadOnly()).isTrue();
  }

  @Test
  void runsTheRunnerOnTheMountedRequestAndReportsThroughTheTerminationMessage() {
    assertThat(runner.getImage()).isEqualTo("registry.example/runner:1.0.0");
    assertThat(runner.getArgs())
        .containsExactly("run", "--request", "/etc/flotilla/request.json", "--result", "/dev/termination-log", "--work-dir", "/work/repo");
    assertThat(runner.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(runner.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(runner.getResources().getRequests()).containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("768Mi"));
    assertThat(runner.getResources().getLimits()).containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("768Mi"));
    assertThat(objects.run().getStringData()).containsKey("request.json");
    assertThat(volume("request").getSecret().getSecretName()).isEqualTo(job.getMetadata().getName());
    assertThat(volume("request").getSecret().getItems()).singleElement().satisfies(item -> assertThat(item.getKey()).isEqualTo("request.json"));
  }

  @Test
  void pointsTheRunnerAtTheMountedTokenFile() {
    RunRequest mounted = RunJson.readRequest(objects.request(), "test");

    assertThat(mounted.credential()).isEqualTo(Credential.file("/var/run/flotilla/git/token", "x-access-token"));
    assertThat(mounted.cloneUrl()).isEqualTo(request.cloneUrl());
    assertThat(volume("git-credential").getSecret().getSecretName()).isEqualTo(job.getMetadata().getName());
    assertThat(volume("git-credential").getSecret().getItems()).singleElement().satisfies(item -> assertThat(item.getKey()).isEqualTo("token"));
    assertThat(objects.run().getStringData()).containsEntry("token", TOKEN);
  }

  @Test
  void keepsTheTokenOutOfTheJobAndTheRequest() {
    String outside = Serialization.asYaml(job) + objects.request();

    assertThat(outside).doesNotContain(TOKEN);
    assertThat(runner.getEnv()).allSatisfy(env -> assertThat(env.getValueFrom()).isNull());
  }

  @Test
  void redactsTheSecretForPrinting() {
    Secret redacted = JobRenderer.redacted(objects.run());

    assertThat(Serialization.asYaml(redacted)).doesNotContain(TOKEN).contains("<redacted>");
    // The request holds no secret and is what a person previewing the Job wants to read.
    assertThat(redacted.getStringData()).containsEntry("request.json", objects.request()).containsEntry("token", "<redacted>");
  }

  @Test
  void mountsNoTokenWhenTheRunNeedsNone() {
    JobRenderer.RunObjects plain = renderer.render("r", request, Optional.empty());

    assertThat(plain.hasToken()).isFalse();
    assertThat(plain.run().getStringData()).containsOnlyKeys("request.json");
    assertThat(plain.job().getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getName().equals("git-credential"));
    assertThat(RunJson.readRequest(plain.request(), "test").credential())
        .isEqualTo(request.credential());
  }

  @Test
  void makesTheSecretOwnedByTheJob() {
    Job created = new JobBuilder(job).editMetadata().withUid("1234-uid").endMetadata().build();

    var owned = JobRenderer.ownedBy(objects.run(), created);

    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> {
          assertThat(ref.getKind()).isEqualTo("Job");
          assertThat(ref.getUid()).isEqualTo("1234-uid");
          assertThat(ref.getName()).isEqualTo(job.getMetadata().getName());
        });
  }

  private Volume volume(String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }
}
