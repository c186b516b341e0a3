package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.campaign.k8s.CampaignResourceOperator;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineObserver;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.EngineContext;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.Runner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Campaign resource on the mock API server drives a campaign through the real executor and a
 * test kubelet: apply, runs, live status and printer columns, pause by edit, delete to cancel with
 * pull requests closed; and an invalid resource reports what the file loader would.
 */
@EnableKubernetesMockClient(crud = true)
class CampaignResourceIT {

  private static final AtomicInteger TESTS = new AtomicInteger();
  private static final Path CRD = Path.of("../k8s/base/campaign-crd.yaml");
  private static final ResourceDefinitionContext CAMPAIGNS = new ResourceDefinitionContext.Builder()
      .withGroup("flotilla.dev").withVersion("v1").withKind("Campaign").withPlural("campaigns").withNamespaced(true).build();

  /** One API server for the class; each test works in a namespace of its own. */
  static KubernetesClient client;

  private final String namespace = "flotilla-" + TESTS.incrementAndGet();

  @TempDir Path tmp;

  private Database db;
  private LocalCi ci;
  private TestKubelet kubelet;
  private Controller controller;
  private EngineContext fleet;
  private Jdbc jdbc;
  private CampaignResourceOperator operator;

  @BeforeEach
  void startController() throws Exception {
    // The first request also sets up TLS to the mock server, which can take a while on a loaded machine.
    await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() ->
        client.apiextensions().v1().customResourceDefinitions().load(CRD.toFile()).createOr(NonDeletingOperation::update) != null);
    Path forgeRoot = tmp.resolve("forge");
    DemoFleet.create(forgeRoot, 8);
    Migrations migrations = Migrations.load();
    Runner runner = new Runner(migrations, CredentialResolver.withEnvironment(Map.of()));
    db = TestPostgres.open(tmp.resolve("data"), 8);
    ci = new LocalCi(db.dataSource(), new LocalCi.Settings("./ci.sh", Duration.ofSeconds(60), 2));
    kubelet = new TestKubelet(client, namespace, runner::run, Files.createDirectories(tmp.resolve("pods"))).start();
    KubernetesExecutor executor = new KubernetesExecutor(
        client, KubernetesExecutorConfig.fromSettings(Map.of("FLOTILLA_K8S_NAMESPACE", namespace)), CredentialSource.NONE);
    jdbc = new Jdbc(db.dataSource());
    fleet = EngineContext.create(jdbc, new LocalForge(forgeRoot, db.dataSource(), ci, "http://localhost:8080"),
        migrations, Clock.systemUTC(), EngineSettings.defaults().withRecheckInterval(Duration.ZERO));
    controller = new Controller(fleet, executor, EngineObserver.NONE);
    controller.start();
    controller.discover();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable part : new AutoCloseable[] {operator, controller, kubelet, ci, db}) {
      if (part != null) {
        part.close();
      }
    }
  }

  @Test
  void campaignResourceRunsPausesAndCancels() {
    // Every pod waits until the test lets it finish, so what is running when the pause lands is known.
    kubelet.otherwise(TestKubelet.Behaviour.HOLD);
    operator = new CampaignResourceOperator(client, namespace, controller, Map.of(), Duration.ofMillis(200)).start();
    awaitWatching();
    campaigns().resource(campaign("""
        migration: maven-dependency-version
        parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: "2.18.2"}
        limits: {concurrentRuns: 2}
        cancelPolicy: closePullRequests
        """)).create();

    Set<String> released = new HashSet<>();
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
      controller.tick();
      return held(released).size() == 2;
    });
    releaseHeld(released);
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
      controller.tick();
      Map<String, Object> status = status();
      return status != null && ((Number) status.getOrDefault("open", 0)).intValue() >= 1 && held(released).size() == 2;
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> ((Map<?, ?>) status().get("counts")).containsKey("PENDING"));
    assertThat(fleet.campaigns().byName("jackson-2-18")).hasValueSatisfying(c -> assertThat(c.status()).isEqualTo(CampaignStatus.ACTIVE));
    assertThat(condition("Ready")).containsEntry("status", "True").containsEntry("reason", "Applied");

    Map<String, String> columns = printerColumns(campaigns().withName("jackson-2-18").get());
    int total = fleet.changesets().forCampaign("jackson-2-18").size();
    assertThat(columns).containsEntry("Migration", "maven-dependency-version").containsEntry("Phase", "Active");
    assertThat(columns.get("Merged")).isEqualTo("0/" + total);
    assertThat(Integer.parseInt(columns.get("Open"))).isPositive();
    assertThat(columns.get("Failed")).isEqualTo("0");
    assertThat(columns.get("Age")).isNotBlank();

    // As kubectl patch does: a merge patch, which does not conflict with the controller's status writes.
    campaigns().withName("jackson-2-18").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":true}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> "Paused".equals(status().get("phase")));
    // The runs under way when the pause landed finish; no new one starts.
    releaseHeld(released);
    await().atMost(Duration.ofMinutes(1)).until(() -> runningJobs() == 0);
    int jobs = jobs();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
      controller.tick();
      return jobs() == jobs;
    });
    assertThat(jobs).isEqualTo(4);
    assertThat(fleet.changesets().countByState("jackson-2-18")).containsKey(ChangesetState.PENDING);

    long open = openPullRequests();
    assertThat(open).isPositive();
    campaigns().withName("jackson-2-18").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> campaigns().withName("jackson-2-18").get() == null);
    assertThat(fleet.campaigns().byName("jackson-2-18"))
        .hasValueSatisfying(c -> assertThat(c.status()).isEqualTo(CampaignStatus.CANCELLED));
    assertThat(openPullRequests()).isZero();
    assertThat(jdbc.count("SELECT count(*) FROM local_pull_request WHERE state = 'CLOSED'")).isEqualTo(open);
  }

  @Test
  void invalidResourceGetsTheFileLoadersMessages() {
    operator = new CampaignResourceOperator(client, namespace, controller, Map.of(), Duration.ofMillis(200)).start();
    awaitWatching();
    String spec = """
        migration: maven-dependency-versoin
        rollout: {waves: ["50%", "10%"]}
        """;
    campaigns().resource(campaign(spec)).create();

    await().atMost(Duration.ofSeconds(30)).until(() -> status() != null && "True".equals(condition("Invalid").get("status")));
    String expected;
    try {
      CampaignParser.parse(asFile(spec), "campaign.yaml", fleet.migrations());
      throw new AssertionError("the file loader accepted the broken campaign");
    } catch (ConfigException e) {
      expected = e.problems().stream().map(p -> p.message().replaceAll(" at line \\d+", "")).collect(Collectors.joining("\n"));
    }
    assertThat(expected).contains("maven-dependency-version", "increasing order");
    assertThat(condition("Invalid")).containsEntry("status", "True").containsEntry("reason", "InvalidSpec").containsEntry("message", expected);
    assertThat(condition("Ready")).containsEntry("status", "False");
    assertThat(fleet.campaigns().byName("jackson-2-18")).isEmpty();
  }

  @Test
  void campaignInTheFolderAndOnTheClusterIsRefusedNamingBoth() {
    operator = new CampaignResourceOperator(
        client, namespace, controller, Map.of("jackson-2-18", "the campaigns folder /etc/flotilla/campaigns"), Duration.ofMillis(200)).start();
    awaitWatching();
    campaigns().resource(campaign("migration: maven-dependency-version\n")).create();

    await().atMost(Duration.ofSeconds(30)).until(() -> status() != null && "True".equals(condition("Invalid").get("status")));
    assertThat(condition("Invalid")).containsEntry("reason", "DefinedTwice").containsEntry("message",
        "campaign 'jackson-2-18' is defined both in the campaigns folder /etc/flotilla/campaigns and as Campaign " + namespace
            + "/jackson-2-18; keep one of the two");
    assertThat(fleet.campaigns().byName("jackson-2-18")).isEmpty();
  }

  private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> campaigns() {
    return client.genericKubernetesResources(CAMPAIGNS).inNamespace(namespace);
  }

  private static String asFile(String spec) {
    return "apiVersion: flotilla.dev/v1\nkind: Campaign\nmetadata:\n  name: jackson-2-18\nspec:\n" + spec.indent(2);
  }

  private static GenericKubernetesResource campaign(String spec) {
    return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(asFile(spec), GenericKubernetesResource.class);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status() {
    GenericKubernetesResource resource = campaigns().withName("jackson-2-18").get();
    return resource == null ? null : (Map<String, Object>) resource.getAdditionalProperties().get("status");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> condition(String type) {
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status().get("conditions");
    return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst().orElse(null);
  }

  /** What {@code kubectl get campaigns} shows: each printer column's jsonPath read from the object. */
  private Map<String, String> printerColumns(GenericKubernetesResource resource) {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName("campaigns.flotilla.dev").get();
    Map<String, Object> object = client.getKubernetesSerialization().convertValue(resource, Map.class);
    Map<String, String> columns = new LinkedHashMap<>();
    for (CustomResourceColumnDefinition column : crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()) {
      Object value = object;
      for (String key : column.getJsonPath().substring(1).split("\\.")) {
        value = value instanceof Map<?, ?> map ? map.get(key) : null;
      }
      columns.put(column.getName(), value == null ? "" : value.toString());
    }
    return columns;
  }

  /**
   * The mock API server sends a watch only what happens after the watch is opened, so a resource
   * created between the informer's list and its watch would never reach it (a real API server
   * replays from the list's resource version).
   */
  private void awaitWatching() {
    await().atMost(Duration.ofSeconds(30)).until(operator::isWatching);
  }

  /** Jobs whose pods the kubelet holds and the test has not released. */
  private Set<String> held(Set<String> released) {
    Set<String> held = new LinkedHashSet<>(kubelet.jobsSeen());
    held.removeAll(released);
    return held;
  }

  private void releaseHeld(Set<String> released) {
    for (String job : held(released)) {
      released.add(job);
      kubelet.release(job);
    }
  }

  private int jobs() {
    return client.batch().v1().jobs().inNamespace(namespace).withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY).list().getItems().size();
  }

  private long runningJobs() {
    return fleet.changesets().countByState("jackson-2-18").getOrDefault(ChangesetState.RUNNING, 0L);
  }

  private long openPullRequests() {
    return jdbc.count("SELECT count(*) FROM local_pull_request WHERE state = 'OPEN'");
  }
}
