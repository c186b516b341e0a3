package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunRequest.Credential;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A run's pod fetches the migration jars by coordinates in an init container, credentials from a Secret. */
class JobRendererMigrationsTest {

  private static final String TOKEN = "ghs_tokenValueThatMustStayInTheSecret42";
  private static final Map<String, String> SETTINGS = Map.of(
      "FLOTILLA_RUNNER_IMAGE", "registry.acme.example/flotilla-runner:0.1.0",
      "FLOTILLA_MIGRATION_ARTIFACTS", "com.acme:acme-migrations:1.2.0",
      "FLOTILLA_MAVEN_REPOSITORY_URL", "https://maven.acme.example/releases",
      "FLOTILLA_MAVEN_REPOSITORY_SECRET", "acme-maven",
      // The controller's own copy of the password: it must never be written into a Job.
      "FLOTILLA_MAVEN_REPOSITORY_PASSWORD", "mavenPassw0rdOfTheController");

  private final RunRequest request = new RunRequest(
      "editorconfig", "acme/orders", "add-editorconfig", Map.of(), "https://github.com/acme/orders.git", "main",
      "flotilla/editorconfig", null, Credential.env("GIT_TOKEN", "x-access-token"), null);

  private PodSpec pod(Map<String, String> settings) {
    JobRenderer renderer = new JobRenderer(KubernetesExecutorConfig.fromSettings(settings), RunnerMigrations.fromSettings(settings));
    return renderer.render("editorconfig/acme/orders#1", request, Optional.of(TOKEN)).job().getSpec().getTemplate().getSpec();
  }

  @Test
  void fetchesTheJarsBeforeTheRunnerWhichReadsThemFromTheSharedFolder() {
    PodSpec pod = pod(SETTINGS);

    Container fetch = pod.getInitContainers().get(0);
    assertThat(fetch.getName()).isEqualTo("fetch-migrations");
    assertThat(fetch.getImage()).isEqualTo("registry.acme.example/flotilla-runner:0.1.0");
    assertThat(fetch.getArgs()).containsExactly("fetch-migrations", "--into", "/migrations");
    assertThat(env(fetch))
        .containsEntry("FLOTILLA_MIGRATION_ARTIFACTS", "com.acme:acme-migrations:1.2.0")
        .containsEntry("FLOTILLA_MAVEN_REPOSITORY_URL", "https://maven.acme.example/releases");
    assertThat(fetch.getEnv()).filteredOn(e -> e.getName().equals("FLOTILLA_MAVEN_REPOSITORY_PASSWORD")).singleElement()
        .satisfies(password -> {
          assertThat(password.getValue()).isNull();
          assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-maven");
          assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        });
    assertThat(fetch.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(fetch.getVolumeMounts()).extracting(VolumeMount::getName).doesNotContain("git-credential");

    Container runner = pod.getContainers().get(0);
    assertThat(env(runner)).containsEntry("FLOTILLA_MIGRATIONS_DIR", "/opt/flotilla/migrations")
        .doesNotContainKeys("FLOTILLA_MAVEN_REPOSITORY_PASSWORD", "FLOTILLA_MAVEN_REPOSITORY_USERNAME");
    assertThat(runner.getVolumeMounts()).filteredOn(m -> m.getName().equals("migrations")).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo("migrations"));
    assertThat(Serialization.asYaml(pod)).doesNotContain("mavenPassw0rdOfTheController");
  }

  @Test
  void leavesThePodAsItWasWithoutArtifacts() {
    PodSpec pod = pod(Map.of());

    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(env(pod.getContainers().get(0))).doesNotContainKey("FLOTILLA_MIGRATIONS_DIR");
  }

  @Test
  void refusesArtifactsWithoutARepository() {
    assertThatThrownBy(() -> RunnerMigrations.fromSettings(Map.of("FLOTILLA_MIGRATION_ARTIFACTS", "com.acme:acme-migrations:1.2.0")))
        .hasMessageContaining("FLOTILLA_MIGRATION_ARTIFACTS needs FLOTILLA_MAVEN_REPOSITORY_URL");
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
