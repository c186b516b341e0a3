package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.forge.github.GitHubWebhookHandler;
import dev.flotilla.controller.forge.github.WebhookEvent;
import dev.flotilla.controller.forge.github.WebhookListener;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.WebhookDeliveries;
import dev.flotilla.migration.Migrations;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each webhook event, signed and delivered over HTTP to the handler, reaches the work it asks for on
 * the whole local engine through the queue: payloads are GitHub's examples from
 * {@code src/test/resources/webhooks} (see its README), pointed at this engine's repositories.
 */
class WebhookEventsIT {

  private static final String SECRET = "whsec-events-test";
  private static final String OLD_POM = EngineIT.OLD_POM;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static TestEngine engine;
  static Controller controller;
  static ForgeEventQueue queue;
  static HttpServer server;
  static URI url;
  static final List<String> forgottenChecks = new CopyOnWriteArrayList<>();
  static final List<WebhookListener.Accepted> accepted = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    engine = TestEngine.builder(tmp).forge(WebhookEventsIT::watchingRequiredChecks).build();
    controller = engine.controller();
    for (String name : List.of("api", "gone")) {
      engine.repos().create("acme", name, "main",
          Map.of("pom.xml", OLD_POM, "ci.sh", EngineIT.GREEN_CI, ".flotilla.yaml", EngineIT.AUTOMERGE));
    }
    engine.repos().create("acme", "late", "main", Map.of("pom.xml", OLD_POM, "ci.sh", EngineIT.GREEN_CI));
    String campaign = """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          automerge: true
        """;
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(campaign, "jackson.yaml", Migrations.load()), campaign, "test");
    queue = new ForgeEventQueue(new ForgeEvents(controller), 100, 2, ForgeEventQueue.Observer.NONE, Clock.systemUTC()).start();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serve(new GitHubWebhookHandler(Secret.of(SECRET), counting(queue), GitHubWebhookHandler.DEFAULT_MAX_BODY,
        new WebhookDeliveries(engine.jdbc()), Clock.systemUTC()));
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + GitHubWebhookHandler.PATH);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
    if (queue != null) {
      queue.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  /** The local forge, noting which repositories' required checks the engine told it to forget. */
  static Forge watchingRequiredChecks(Forge local) {
    return (Forge) Proxy.newProxyInstance(Forge.class.getClassLoader(), new Class<?>[] {Forge.class}, (proxy, method, args) -> {
      if (method.getName().equals("forgetBranchRules")) {
        forgottenChecks.add(((RepositoryRef) args[0]).fullName());
      }
      try {
        return method.invoke(local, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  static WebhookListener counting(WebhookListener listener) {
    return new WebhookListener() {
      @Override
      public void onEvent(WebhookEvent event) {
        accept(event);
      }

      @Override
      public Accepted accept(WebhookEvent event) {
        Accepted a = listener.accept(event);
        accepted.add(a);
        return a;
      }
    };
  }

  static void serve(GitHubWebhookHandler handler) {
    try {
      server.removeContext(GitHubWebhookHandler.PATH);
    } catch (IllegalArgumentException none) {
      // first start
    }
    server.createContext(GitHubWebhookHandler.PATH, handler);
  }

  HttpResponse<String> deliver(String event, String delivery, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    return http.send(HttpRequest.newBuilder(url)
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A trimmed example from {@code @octokit/webhooks-examples}, edited to point at this engine. */
  static String example(String file, Consumer<ObjectNode> edit) throws IOException {
    try (var in = WebhookEventsIT.class.getResourceAsStream("/webhooks/" + file)) {
      ObjectNode node = (ObjectNode) JSON.readTree(in);
      edit.accept(node);
      return JSON.writeValueAsString(node);
    }
  }

  static void repository(ObjectNode payload, String name) {
    ((ObjectNode) payload.path("repository")).put("full_name", "acme/" + name).put("name", name).put("default_branch", "main");
  }

  static Optional<Repository> present(String name) {
    return controller.fleet().repositories().present().stream().filter(r -> r.ref().name().equals(name)).findFirst();
  }

  static Optional<Changeset> changeset(String name) {
    return present(name).flatMap(r -> controller.fleet().changesets().find("jackson", r.id()));
  }

  @Test
  void aPushThatChangesTheOptInFileTakesEffectWithoutWaitingForDiscovery() throws Exception {
    assertThat(present("late")).get().extracting(Repository::status).isEqualTo(OptInStatus.NOT_OPTED_IN);
    String sha = engine.repos().commit("acme", "late", "main", Map.of(".flotilla.yaml", EngineIT.AUTOMERGE), "opt in");
    String push = example("push.json", p -> {
      repository(p, "late");
      p.put("ref", "refs/heads/main").put("after", sha);
      ((ArrayNode) p.path("commits").path(0).path("added")).add(".flotilla.yaml");
    });

    assertThat(deliver("push", "push-1", push).statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(60)).until(() -> changeset("late").isPresent());
    assertThat(present("late")).get().extracting(Repository::status).isEqualTo(OptInStatus.OPTED_IN);
    assertThat(changeset("late")).get().extracting(Changeset::state).isEqualTo(ChangesetState.PENDING);
  }

  @Test
  void anInstallationGainingARepositoryDiscoversItNow() throws Exception {
    engine.repos().create("acme", "fresh", "main", Map.of("pom.xml", OLD_POM, ".flotilla.yaml", EngineIT.AUTOMERGE));
    String added = example("installation_repositories.added.json",
        p -> ((ObjectNode) p.path("repositories_added").path(0)).put("full_name", "acme/fresh").put("name", "fresh"));

    assertThat(deliver("installation_repositories", "install-1", added).statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(60)).until(() -> changeset("fresh").isPresent());
    assertThat(present("fresh")).get().extracting(Repository::status).isEqualTo(OptInStatus.OPTED_IN);
  }

  @Test
  void anInstallationLosingARepositoryForgetsIt() throws Exception {
    assertThat(present("gone")).isPresent();
    String removed = example("installation_repositories.removed.json",
        p -> ((ObjectNode) p.path("repositories_removed").path(0)).put("full_name", "acme/gone").put("name", "gone"));

    assertThat(deliver("installation_repositories", "uninstall-1", removed).statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(60)).until(() -> present("gone").isEmpty());
  }

  @Test
  void aProtectionOrRulesetChangeForgetsThatRepositorysRequiredChecks() throws Exception {
    String protection = example("branch_protection_rule.edited.json", p -> repository(p, "api"));
    String ruleset = example("repository_ruleset.edited.json", p -> repository(p, "late"));

    deliver("branch_protection_rule", "protect-1", protection);
    deliver("repository_ruleset", "ruleset-1", ruleset);

    await().atMost(Duration.ofSeconds(60)).until(() -> forgottenChecks.containsAll(List.of("acme/api", "acme/late")));
  }

  @Test
  void anApprovalReconcilesTheWaitingPullRequestAtOnceAndARedeliveryIsDoneOnce() throws Exception {
    // Ticks only until the pull request is open; from then on only the webhook moves it.
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
      controller.tick();
      return changeset("api").map(Changeset::prNumber).isPresent();
    });
    Changeset open = changeset("api").orElseThrow();
    RepositoryRef ref = present("api").orElseThrow().ref();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> engine.localForge().ciStatus(ref, open.lastPushedSha()).state() == CiStatus.State.SUCCESS);
    assertThat(changeset("api").orElseThrow().state()).isNotEqualTo(ChangesetState.MERGED);
    String approval = example("pull_request_review.submitted.json", p -> {
      repository(p, "api");
      ((ObjectNode) p.path("review")).put("state", "approved").put("commit_id", open.lastPushedSha());
      ((ObjectNode) p.path("pull_request").path("head")).put("ref", "flotilla/jackson").put("sha", open.lastPushedSha());
    });

    assertThat(deliver("pull_request_review", "review-1", approval).statusCode()).isEqualTo(202);

    await().atMost(Duration.ofSeconds(60)).until(() -> changeset("api").orElseThrow().state() == ChangesetState.MERGED);
    // GitHub's redelivery, to a controller restarted since: answered, recorded once, not queued again.
    int before = accepted.size();
    serve(new GitHubWebhookHandler(Secret.of(SECRET), counting(queue), GitHubWebhookHandler.DEFAULT_MAX_BODY,
        new WebhookDeliveries(engine.jdbc()), Clock.systemUTC()));
    HttpResponse<String> again = deliver("pull_request_review", "review-1", approval);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("already received");
    assertThat(accepted).hasSize(before);
    assertThat(new WebhookDeliveries(engine.jdbc()).byId("review-1")).get()
        .satisfies(d -> {
          assertThat(d.event()).isEqualTo("pull_request_review");
          assertThat(d.action()).isEqualTo("submitted");
          assertThat(d.repository()).isEqualTo("acme/api");
          assertThat(d.outcome()).isEqualTo("queued");
        });
  }
}
