package dev.flotilla.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.engine.ForgeEventQueue;
import dev.flotilla.controller.engine.ForgeEvents;
import dev.flotilla.controller.engine.TestEngine;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.forge.github.GitHubWebhookHandler;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.ChangesetStore;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.WebhookDeliveries;
import dev.flotilla.controller.view.DashboardWiring;
import dev.flotilla.controller.view.EngineMetrics;
import dev.flotilla.controller.view.WebhookMetrics;
import dev.flotilla.dashboard.DashboardConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of {@code check_run} deliveries while the forge does not answer (as during a long
 * rate-limit wait): every delivery is answered 202 at once and {@code /healthz} keeps answering on the
 * dashboard's request threads, because the reconciles wait on the queue's threads instead.
 */
class HealthDuringWebhookBurstIT {

  private static final String SECRET = "whsec-burst-test";
  /** More deliveries than the dashboard has request threads. */
  private static final int BURST = 24;

  @TempDir Path tmp;
  private final CountDownLatch forgeAnswers = new CountDownLatch(1);
  private final AtomicInteger stuckCalls = new AtomicInteger();

  /** The local forge, except that reading a pull request hangs until the test lets it answer. */
  private Forge stuck(Forge local) {
    return (Forge) Proxy.newProxyInstance(Forge.class.getClassLoader(), new Class<?>[] {Forge.class}, (proxy, method, args) -> {
      if (method.getName().equals("getPullRequest")) {
        stuckCalls.incrementAndGet();
        forgeAnswers.await(120, TimeUnit.SECONDS);
      }
      try {
        return method.invoke(local, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  @Test
  void healthzAnswersWhileTheForgeIsStuckDuringABurstOfCheckRuns() throws Exception {
    try (TestEngine engine = TestEngine.builder(tmp).forge(this::stuck).build()) {
      List<String> repositories = openPullRequests(engine, 4);
      EngineMetrics metrics = DashboardWiring.metrics(engine.jdbc());
      WebhookMetrics webhookMetrics = new WebhookMetrics(metrics.metrics().registry());
      Supplier<HealthHandler.Check> alive = () -> new HealthHandler.Check(true, "ok");
      try (ForgeEventQueue queue = webhookMetrics.watch(new ForgeEventQueue(
              new ForgeEvents(engine.controller()), 100, 2, webhookMetrics, Clock.systemUTC())).start();
          var dashboard = DashboardWiring.start(engine.controller(), metrics, DashboardConfig.defaults(), Map.of(
              "/healthz", new HealthHandler(Map.of("store", alive), Map.of("store", alive)),
              GitHubWebhookHandler.PATH, new GitHubWebhookHandler(Secret.of(SECRET), queue, GitHubWebhookHandler.DEFAULT_MAX_BODY,
                  new WebhookDeliveries(engine.jdbc()), Clock.systemUTC())))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI hooks = dashboard.url().resolve(GitHubWebhookHandler.PATH);

        List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
          deliveries.add(http.sendAsync(checkRun(hooks, "burst-" + i, repositories.get(i % repositories.size())),
              HttpResponse.BodyHandlers.ofString()));
        }

        for (CompletableFuture<HttpResponse<String>> delivery : deliveries) {
          assertThat(delivery.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> stuckCalls.get() >= 2);
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(dashboard.url().resolve("/healthz"))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(forgeAnswers.getCount()).as("the forge was still stuck").isEqualTo(1);
        assertThat(queue.depth()).isPositive();

        forgeAnswers.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.depth() == 0);
        String scraped = http.send(HttpRequest.newBuilder(dashboard.url().resolve("/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scraped).contains("flotilla_webhook_queue_depth").contains("flotilla_webhook_events_handled_total{event=\"check_run\"");
      } finally {
        forgeAnswers.countDown();
      }
    }
  }

  /** {@code count} changesets of campaign {@code bump} with an open pull request each, put there through the store; returns their repositories. */
  private static List<String> openPullRequests(TestEngine engine, int count) {
    Instant now = Instant.now();
    var fleet = engine.controller().fleet();
    fleet.campaigns().apply(new CampaignSpec("bump", "m", Map.of(), null, true, false, null, null, null), "test", now);
    ChangesetStore changesets = fleet.changesets();
    List<String> repositories = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long repo = fleet.repositories().upsert(new RepositoryRef("acme", "svc-" + i, "main", "file:///svc-" + i, null),
          OptInStatus.OPTED_IN, null, "enabled: true", null, now);
      long id = changesets.createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "test", now).orElseThrow();
      changesets.transition(id, ChangesetState.RUNNING, By.ENGINE, Changes.none(), "test", "run", now);
      changesets.transition(id, ChangesetState.PUSHED, By.RUNNER, Changes.none().pushed("sha" + i, 1, 1, 1), "test", "pushed", now);
      changesets.transition(id, ChangesetState.PR_OPEN, By.ENGINE, Changes.none().pullRequest(1, "http://pr/" + i), "test", "opened", now);
      repositories.add("acme/svc-" + i);
    }
    return repositories;
  }

  private static HttpRequest checkRun(URI hooks, String delivery, String repository) throws Exception {
    String body = """
        {"action": "completed",
         "check_run": {"id": 4, "head_sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "status": "completed",
           "conclusion": "success", "name": "build",
           "check_suite": {"id": 5, "head_branch": "flotilla/bump", "head_sha": "ec26c3e57ca3a959ca5aad62de7213c562f8c821"},
           "pull_requests": []},
         "repository": {"full_name": "%s"}}
        """.formatted(repository);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HttpRequest.newBuilder(hooks)
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", "check_run")
        .header("X-GitHub-Delivery", delivery)
        .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
