package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesExecutorConfigTest {

  @Test
  void hasDefaultsThatFailARunRatherThanRetryIt() {
    KubernetesExecutorConfig config = KubernetesExecutorConfig.defaults();

    assertThat(config.namespace()).isEqualTo("flotilla");
    assertThat(config.backoffLimit()).isZero();
    assertThat(config.deadline()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.memoryLimit()).isEqualTo("512Mi");
    assertThat(config.deadlineText()).isEqualTo("30m");
  }

  @Test
  void readsTheSettings() {
    KubernetesExecutorConfig config =
        KubernetesExecutorConfig.fromSettings(
            Map.of(
                "FLOTILLA_K8S_NAMESPACE", "fleet",
                "FLOTILLA_RUNNER_IMAGE", "registry.example/runner:1.2.3",
                "FLOTILLA_RUNNER_CPU", "250m",
                "FLOTILLA_RUNNER_MEMORY", "1Gi",
                "FLOTILLA_RUNNER_DEADLINE", "1h30m",
                "FLOTILLA_GLOBAL_CONCURRENT_RUNS", "7"));

    assertThat(config.namespace()).isEqualTo("fleet");
    assertThat(config.runnerImage()).isEqualTo("registry.example/runner:1.2.3");
    assertThat(config.cpuRequest()).isEqualTo("250m");
    assertThat(config.memoryRequest()).isEqualTo("1Gi");
    assertThat(config.memoryLimit()).isEqualTo("1Gi");
    assertThat(config.deadline()).isEqualTo(Duration.ofMinutes(90));
    assertThat(config.deadlineText()).isEqualTo("1h30m");
    assertThat(config.cpuLimit()).isEqualTo("250m");
    assertThat(config.withImagePullPolicy("always").imagePullPolicy()).isEqualTo("Always");
    assertThat(config.maxRunningJobs()).isEqualTo(7);
    assertThat(config.apiRequestsPerSecond()).isEqualTo(KubernetesExecutorConfig.DEFAULT_API_QPS);
  }

  @Test
  void limitsTheApiRequestRateAsSet() {
    assertThat(KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_K8S_API_QPS", "120")).apiRequestsPerSecond())
        .isEqualTo(120);
    assertThat(KubernetesExecutorConfig.from(Settings.from(Map.of("FLOTILLA_K8S_API_QPS", "80"))).apiRequestsPerSecond())
        .isEqualTo(80);
    assertThatThrownBy(() -> KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_K8S_API_QPS", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FLOTILLA_K8S_API_QPS='0'");
  }

  @Test
  void readsTheSameValuesFromTheControllersSettings() {
    Map<String, String> env =
        Map.of(
            "FLOTILLA_EXECUTOR", "kubernetes",
            "FLOTILLA_K8S_NAMESPACE", "fleet",
            "FLOTILLA_RUNNER_IMAGE", "registry.example/runner:1.2.3",
            "FLOTILLA_RUNNER_CPU", "250m",
            "FLOTILLA_RUNNER_MEMORY", "1Gi",
            "FLOTILLA_RUNNER_DEADLINE", "90m",
            "FLOTILLA_GLOBAL_CONCURRENT_RUNS", "7");

    assertThat(KubernetesExecutorConfig.from(Settings.from(env))).isEqualTo(KubernetesExecutorConfig.fromSettings(env));
  }

  @Test
  void acceptsIsoDurations() {
    assertThat(KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_RUNNER_DEADLINE", "PT45S")).deadline())
        .isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void namesTheSettingAndWhatItAcceptsWhenAValueIsBad() {
    assertThatThrownBy(() -> KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_RUNNER_DEADLINE", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FLOTILLA_RUNNER_DEADLINE='soon'")
        .hasMessageContaining("30m");
    assertThatThrownBy(() -> KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_RUNNER_MEMORY", "lots")))
        .hasMessageContaining("FLOTILLA_RUNNER_MEMORY='lots'")
        .hasMessageContaining("512Mi");
    assertThatThrownBy(() -> KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_GLOBAL_CONCURRENT_RUNS", "0")))
        .hasMessageContaining("FLOTILLA_GLOBAL_CONCURRENT_RUNS='0'");
    assertThatThrownBy(() -> KubernetesExecutorConfig.defaults().withImagePullPolicy("Sometimes"))
        .hasMessageContaining("Always, IfNotPresent or Never");
  }
}
