package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flotilla.controller.campaign.k8s.CampaignResourceOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Renders each overlay with {@code kubectl kustomize} and checks what a reviewer would check. */
class K8sManifestsIT {

  private static final Path K8S = Path.of("..", "k8s").toAbsolutePath().normalize();

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void grantsTheControllerExactlyWhatTheExecutorAndCampaignResourcesUse(String overlay) throws Exception {
    Role role = only(render(overlay), Role.class);

    Set<String> granted = new TreeSet<>();
    role.getRules().forEach(rule ->
        rule.getApiGroups().forEach(group -> rule.getResources().forEach(resource ->
            granted.add(group + "/" + resource + " " + new TreeSet<>(rule.getVerbs())))));
    Set<String> required =
        Stream.concat(KubernetesExecutor.REQUIRED_PERMISSIONS.stream(), CampaignResourceOperator.REQUIRED_PERMISSIONS.stream())
            .map(p -> p.apiGroup() + "/" + p.resource() + " " + new TreeSet<>(p.verbs()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(granted).isEqualTo(required);
    assertThat(role.getRules()).allSatisfy(rule -> {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void installsTheCampaignResourceWithItsStatusSubresource(String overlay) throws Exception {
    CustomResourceDefinition crd = named(render(overlay), CustomResourceDefinition.class, "campaigns.flotilla.dev");

    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getVersions()).singleElement()
        .satisfies(v -> assertThat(v.getSubresources().getStatus()).isNotNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void hardensTheControllerPod(String overlay) throws Exception {
    PodSpec pod = only(render(overlay), Deployment.class).getSpec().getTemplate().getSpec();

    assertThat(pod.getServiceAccountName()).isEqualTo("flotilla-controller");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).allSatisfy(container -> {
      var security = container.getSecurityContext();
      assertThat(security.getRunAsNonRoot()).isTrue();
      assertThat(security.getReadOnlyRootFilesystem()).isTrue();
      assertThat(security.getAllowPrivilegeEscalation()).isFalse();
      assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(container.getResources().getLimits()).containsKey("memory");
      assertThat(container.getImage()).doesNotEndWith(":latest").contains(":");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void configuresTheExecutorWithSettingsItAccepts(String overlay) throws Exception {
    List<HasMetadata> objects = render(overlay);
    ConfigMap settings = named(objects, ConfigMap.class, "flotilla-settings");

    KubernetesExecutorConfig config = KubernetesExecutorConfig.fromSettings(settings.getData());

    assertThat(settings.getData()).containsEntry("FLOTILLA_EXECUTOR", "kubernetes").containsEntry("FLOTILLA_DASHBOARD_BIND", "0.0.0.0");
    assertThat(config.runnerImage()).doesNotEndWith(":latest");
    ServiceAccount runner = named(objects, ServiceAccount.class, config.serviceAccountName());
    assertThat(runner.getAutomountServiceAccountToken()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void isolatesRunnerPods(String overlay) throws Exception {
    NetworkPolicy policy = named(render(overlay), NetworkPolicy.class, "flotilla-runner");

    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry(JobRenderer.NAME_LABEL, JobRenderer.RUNNER_NAME);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isEmpty();
    Set<Integer> ports = new TreeSet<>();
    policy.getSpec().getEgress().forEach(rule -> rule.getPorts().forEach(p -> ports.add(p.getPort().getIntVal())));
    assertThat(ports).containsExactly(22, 53, 443);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void letsTrafficReachOnlyTheDashboardPort(String overlay) throws Exception {
    List<HasMetadata> objects = render(overlay);
    NetworkPolicy policy = named(objects, NetworkPolicy.class, "flotilla-controller");
    ConfigMap settings = named(objects, ConfigMap.class, "flotilla-settings");
    Container controller = only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);

    int dashboard = Integer.parseInt(settings.getData().get("FLOTILLA_DASHBOARD_PORT"));
    assertThat(policy.getSpec().getIngress())
        .singleElement()
        .satisfies(rule -> assertThat(rule.getPorts()).singleElement()
            .satisfies(port -> assertThat(port.getPort().getIntVal()).isEqualTo(dashboard)));
    assertThat(controller.getPorts()).singleElement()
        .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(dashboard));
  }

  @Test
  void productionReadsTheDatabaseFromASecretAndRunsTwoReplicas() throws Exception {
    Deployment deployment = only(render("production"), Deployment.class);
    Container controller = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, EnvVar> env = controller.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    for (String name : List.of("FLOTILLA_DB_URL", "FLOTILLA_DB_USER", "FLOTILLA_DB_PASSWORD")) {
      assertThat(env.get(name).getValue()).as(name).isNull();
      assertThat(env.get(name).getValueFrom().getSecretKeyRef().getName()).as(name).isEqualTo("flotilla-db");
    }
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("flotilla-github-app"));
  }

  @Test
  void devKeepsTheEmbeddedDatabaseOnAVolumeWithOneReplica() throws Exception {
    Deployment deployment = only(render("dev"), Deployment.class);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("flotilla-data"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .noneMatch(e -> e.getName().startsWith("FLOTILLA_DB_"));
  }

  /** Kinds that belong to no namespace; everything else must land in the controller's. */
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
      "ClusterRoleBinding", "PriorityClass", "StorageClass", "ValidatingWebhookConfiguration",
      "MutatingWebhookConfiguration", "APIService");

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void putsEveryNamespacedObjectInTheControllersNamespace(String overlay) throws Exception {
    assertThat(render(overlay))
        .filteredOn(o -> !CLUSTER_SCOPED.contains(o.getKind()))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
            .as("%s %s", o.getKind(), o.getMetadata().getName()).isEqualTo("flotilla"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void letsOnlyTheIngressControllerAndPrometheusReachTheController(String overlay) throws Exception {
    NetworkPolicy policy = named(render(overlay), NetworkPolicy.class, "flotilla-controller");

    var from = policy.getSpec().getIngress().get(0).getFrom();
    // An empty "from" is anyone, and reads need no token: every source is named by label.
    assertThat(from).isNotEmpty().allSatisfy(peer -> {
      assertThat(peer.getIpBlock()).isNull();
      boolean namespaceNamed = peer.getNamespaceSelector() != null
          && !peer.getNamespaceSelector().getMatchLabels().isEmpty();
      boolean podNamed = peer.getPodSelector() != null && !peer.getPodSelector().getMatchLabels().isEmpty();
      assertThat(namespaceNamed || podNamed).as("peer %s names its source", peer).isTrue();
    });
    assertThat(from).filteredOn(peer -> peer.getNamespaceSelector() != null)
        .anySatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
            .containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
    assertThat(from).filteredOn(peer -> peer.getPodSelector() != null)
        .anySatisfy(peer -> assertThat(peer.getPodSelector().getMatchLabels())
            .containsEntry("app.kubernetes.io/name", "prometheus"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void keepsTheJavaOptionsOfTheImage(String overlay) throws Exception {
    Container controller = only(render(overlay), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    String dockerfile = Files.readString(K8S.resolveSibling("controller").resolve("Dockerfile"), StandardCharsets.UTF_8);
    Matcher image = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(image.find()).as("controller/Dockerfile sets JAVA_TOOL_OPTIONS").isTrue();

    // The pod's variable replaces the image's: it must repeat every option, ExitOnOutOfMemoryError first of all.
    String pod = controller.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .map(EnvVar::getValue).findFirst().orElse(image.group(1));
    assertThat(List.of(pod.split("\\s+"))).contains(image.group(1).split("\\s+")).contains("-XX:+ExitOnOutOfMemoryError");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void neverLetsTheControllerDeleteSecrets(String overlay) throws Exception {
    Role role = only(render(overlay), Role.class);

    // RBAC cannot narrow a delete to the Secrets the controller made; Kubernetes deletes those with their Job.
    assertThat(role.getRules())
        .filteredOn(rule -> rule.getResources().contains("secrets"))
        .allSatisfy(rule -> assertThat(rule.getVerbs()).containsExactly("create"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void monitoringComponentScrapesTheServiceAndShipsRulesAndADashboard() throws Exception {
    List<HasMetadata> objects = render(K8S.resolve("examples").resolve("production-with-monitoring"));
    Service service = named(objects, Service.class, "flotilla");
    GenericKubernetesResource monitor = named(objects, GenericKubernetesResource.class, "flotilla-controller");
    ConfigMap dashboard = named(objects, ConfigMap.class, "flotilla-grafana-dashboard");

    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    Map<String, Object> spec = monitor.get("spec");
    assertThat(((Map<?, ?>) spec.get("selector")).get("matchLabels")).isEqualTo(service.getMetadata().getLabels().entrySet().stream()
        .filter(e -> e.getKey().equals("app.kubernetes.io/name")).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    assertThat((List<Map<String, Object>>) spec.get("endpoints")).singleElement()
        .satisfies(e -> assertThat(e).containsEntry("port", service.getSpec().getPorts().get(0).getName()).containsEntry("path", "/metrics"));
    assertThat(named(objects, GenericKubernetesResource.class, "flotilla").getKind()).isEqualTo("PrometheusRule");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData()).containsKey("flotilla-dashboard.json");
  }

  private static List<HasMetadata> render(String overlay) throws IOException, InterruptedException {
    return render(K8S.resolve("overlays").resolve(overlay));
  }

  private static List<HasMetadata> render(Path kustomization) throws IOException, InterruptedException {
    String overlay = kustomization.getFileName().toString();
    assumeTrue(kubectlAvailable(), "kubectl is not on the PATH: install kubectl (1.32) to check the k8s/ manifests");
    Path output = Files.createTempFile("kustomize-" + overlay, ".yaml");
    Process process =
        new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
    String yaml = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    assertThat(process.exitValue()).as("kubectl kustomize %s: %s", overlay, yaml).isZero();
    List<HasMetadata> objects = Serialization.unmarshal(yaml);
    assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isIn("flotilla", null));
    return objects;
  }

  private static boolean kubectlAvailable() {
    try {
      Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matching = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matching).as("one %s", type.getSimpleName()).hasSize(1);
    return matching.get(0);
  }

  private static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
  }
}
