package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.campaign.k8s.CampaignResourceOperator;
import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.runtime.FlotillaServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller as it starts on a cluster with FLOTILLA_CAMPAIGN_RESOURCES=on: Campaign resources
 * are applied next to the campaigns folder, and a campaign in both is applied from neither.
 */
@EnableKubernetesMockClient(crud = true)
class CampaignResourceServerIT {

  private static final String NAMESPACE = "flotilla";
  private static final ResourceDefinitionContext CAMPAIGNS = new ResourceDefinitionContext.Builder()
      .withGroup("flotilla.dev").withVersion("v1").withKind("Campaign").withPlural("campaigns").withNamespaced(true).build();
  private static final List<String> PROPERTIES = List.of(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY,
      Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY,
      Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY);

  KubernetesClient client;

  @TempDir Path tmp;

  @AfterEach
  void forgetTheMockServer() {
    PROPERTIES.forEach(System::clearProperty);
  }

  @Test
  void appliesResourcesBesideTheFolderAndRefusesACampaignInBoth() throws Exception {
    await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
        client.apiextensions().v1().customResourceDefinitions().load(Path.of("../k8s/base/campaign-crd.yaml").toFile()).create() != null);
    client.genericKubernetesResources(CAMPAIGNS).inNamespace(NAMESPACE).resource(campaign("jackson-2-18")).create();
    client.genericKubernetesResources(CAMPAIGNS).inNamespace(NAMESPACE).resource(campaign("checkout-cluster")).create();
    Path folder = tmp.resolve("campaigns");
    DemoFleet.writeCampaigns(folder);
    System.setProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, client.getMasterUrl().toString());
    System.setProperty(Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, "true");
    System.setProperty(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
    System.setProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
    Map<String, String> env = new HashMap<>();
    env.put("FLOTILLA_DATA_DIR", tmp.resolve("data").toString());
    env.put("FLOTILLA_LOCAL_FORGE_DIR", Files.createDirectories(tmp.resolve("forge")).toString());
    env.put("FLOTILLA_CAMPAIGNS_DIR", folder.toString());
    env.put("FLOTILLA_DASHBOARD_PORT", "0");
    env.put("FLOTILLA_K8S_NAMESPACE", NAMESPACE);
    env.put("FLOTILLA_CAMPAIGN_RESOURCES", "on");

    try (FlotillaServer server = FlotillaServer.start(env)) {
      var campaigns = server.controller().fleet().campaigns();
      await().atMost(Duration.ofMinutes(1)).until(() -> campaigns.byName("checkout-cluster").isPresent());
      assertThat(campaigns.source("checkout-cluster")).contains(CampaignResourceOperator.sourceOf(NAMESPACE, "checkout-cluster"));
      assertThat(campaigns.byName("checkout-v4")).isPresent();
      assertThat(campaigns.byName("jackson-2-18")).isEmpty();
      await().atMost(Duration.ofMinutes(1)).until(() -> invalidMessage("jackson-2-18") != null);
      assertThat(invalidMessage("jackson-2-18")).isEqualTo("campaign 'jackson-2-18' is defined both in the campaigns folder " + folder
          + " and as Campaign flotilla/jackson-2-18; keep one of the two");
    }
  }

  private static GenericKubernetesResource campaign(String name) {
    return Serialization.unmarshal("""
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: %s}
        spec:
          migration: github-actions-version
          parameters: {action: actions/checkout, ref: v4}
        """.formatted(name), GenericKubernetesResource.class);
  }

  @SuppressWarnings("unchecked")
  private String invalidMessage(String name) {
    GenericKubernetesResource resource = client.genericKubernetesResources(CAMPAIGNS).inNamespace(NAMESPACE).withName(name).get();
    Map<String, Object> status = (Map<String, Object>) resource.getAdditionalProperties().get("status");
    if (status == null) {
      return null;
    }
    return ((List<Map<String, Object>>) status.get("conditions")).stream()
        .filter(c -> "Invalid".equals(c.get("type")) && "True".equals(c.get("status")))
        .map(c -> (String) c.get("message")).findFirst().orElse(null);
  }
}
