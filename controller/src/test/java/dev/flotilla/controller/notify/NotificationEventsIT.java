package dev.flotilla.controller.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineSettings;
import dev.flotilla.controller.engine.TestEngine;
import dev.flotilla.controller.forge.local.LocalForgeAdmin;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Outbox;
import dev.flotilla.controller.store.StoreFleetView;
import dev.flotilla.migration.Migrations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event messages with the real engine and store: a halted campaign and a pull request a person
 * closed each put one message per owning team in the outbox, and the notifier delivers it to the
 * team's webhook (a local receiver) with the text the team reads.
 */
class NotificationEventsIT {

  static final String OLD_POM = """
      <project>
        <modelVersion>4.0.0</modelVersion>
        <groupId>com.acme</groupId>
        <artifactId>svc</artifactId>
        <version>1.0.0</version>
        <properties>
          <jackson.version>2.15.2</jackson.version>
        </properties>
        <dependencies>
          <dependency>
            <groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-databind</artifactId>
            <version>${jackson.version}</version>
          </dependency>
        </dependencies>
      </project>
      """;
  static final String GREEN_CI = "#!/bin/sh\necho all tests passed\n";
  static final String RED_CI = "#!/bin/sh\necho 'FooTest > parses FAILED'\nexit 1\n";
  static final Set<ChangesetState> MOVING = EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING,
      ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT);

  /** One request the receiver saw. */
  record Received(String path, String idempotencyKey, JsonNode body) {}

  @TempDir Path tmp;
  final Clock clock = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);
  final List<Received> received = new CopyOnWriteArrayList<>();
  TestEngine engine;
  Controller controller;
  Outbox outbox;
  HttpServer receiver;

  @BeforeEach
  void start() throws Exception {
    engine = TestEngine.builder(tmp).clock(clock).ciCommand("sh ci.sh")
        .settings(EngineSettings.defaults().withRecheckInterval(Duration.ZERO)).build();
    controller = engine.controller();
    outbox = new Outbox(engine.jdbc());
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Idempotency-Key"),
          Messages.JSON.readTree(new String(body, StandardCharsets.UTF_8))));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    engine.close();
  }

  @Test
  void aHaltedCampaignSendsOneMessageToEachOwningTeam() throws Exception {
    // Only a-red runs: it fails the first wave, and the other two wait in the second.
    service("a-red", "payments", true, RED_CI);
    service("b-later", "payments", true, GREEN_CI);
    service("c-later", "web", true, GREEN_CI);
    campaign("automerge: true\nrollout: {waves: [\"1\", \"100%\"], haltOnFailureRate: 0.4}");
    settle(EnumSet.of(ChangesetState.RUNNING, ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING));
    await().atMost(Duration.ofMinutes(2)).until(() -> {
      controller.tick();
      return controller.fleet().campaigns().byName("jackson").orElseThrow().status() == CampaignStatus.HALTED;
    });
    controller.tick();
    String reason = controller.fleet().campaigns().byName("jackson").orElseThrow().statusReason();

    assertThat(outbox.rows()).extracting(Outbox.Row::team, Outbox.Row::kind)
        .containsExactlyInAnyOrder(
            tuple("payments", "CAMPAIGN_HALTED"),
            tuple("web", "CAMPAIGN_HALTED"));

    notifier().tick();

    assertThat(received).hasSize(2);
    Received payments = only("/payments");
    assertThat(payments.body().path("text").asText()).isEqualTo("Campaign jackson halted: " + reason
        + ". Its pull requests to team payments wait until the platform team resumes it.");
    Received web = only("/web");
    assertThat(web.body().path("kind").asText()).isEqualTo("CAMPAIGN_HALTED");
    assertThat(web.body().path("team").asText()).isEqualTo("web");
    assertThat(web.body().path("data").path("campaign").asText()).isEqualTo("jackson");
    assertThat(web.body().path("data").path("reason").asText()).isEqualTo(reason);
    assertThat(web.body().path("id").asText()).isEqualTo(web.idempotencyKey());
    assertThat(outbox.rows()).extracting(Outbox.Row::outcome).containsOnly("SENT");

    notifier().tick();
    assertThat(received).as("a delivered message is not sent again").hasSize(2);
  }

  @Test
  void aPullRequestClosedByAPersonSendsOneMessageAndACancellationThroughFlotillaNone() throws Exception {
    service("svc", "payments", false, GREEN_CI);
    service("other", "payments", false, GREEN_CI);
    campaign("automerge: false");
    settle(MOVING);
    Changeset closed = changeset("svc");
    assertThat(closed.state()).isEqualTo(ChangesetState.MERGEABLE);

    new LocalForgeAdmin(engine.localForge()).closeAsPerson("acme/svc", closed.prNumber());
    settle(MOVING);
    for (int i = 0; i < 3; i++) {
      controller.tick();
    }
    assertThat(changeset("svc").state()).isEqualTo(ChangesetState.CLOSED);
    // Closing the other pull request by cancelling the campaign is a person acting through Flotilla:
    // they know already, so the team gets no message for it.
    assertThat(controller.cancel("jackson", true, "alice")).isTrue();
    assertThat(changeset("other").state()).isEqualTo(ChangesetState.CLOSED);

    assertThat(outbox.rows()).extracting(Outbox.Row::team, Outbox.Row::kind)
        .containsExactly(tuple("payments", "PULL_REQUEST_CLOSED"));

    notifier().tick();

    assertThat(received).hasSize(1);
    assertThat(only("/payments").body().path("text").asText()).isEqualTo(
        "A pull request of campaign jackson on acme/svc was closed without merging; Flotilla will not reopen it. "
            + closed.prUrl());
  }

  private Notifier notifier() {
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    NotificationSettings settings = NotificationSettings.parse("""
        digestAt: "23:59"
        teams:
          payments: {webhook: "%s/payments", format: slack}
          web: {webhook: "%s/web", format: json}
        """.formatted(base, base), "notifications.yaml", name -> null);
    return new Notifier(settings, outbox, new StoreFleetView(engine.jdbc(), clock), clock, false, "http://localhost:8080");
  }

  private Received only(String path) {
    List<Received> to = received.stream().filter(r -> r.path().equals(path)).toList();
    assertThat(to).as("requests to " + path).hasSize(1);
    return to.get(0);
  }

  private void service(String name, String team, boolean automerge, String ci) throws Exception {
    Map<String, String> files = new HashMap<>(Map.of("pom.xml", OLD_POM, "ci.sh", ci));
    files.put(".flotilla.yaml", "enabled: true\nautomerge: " + automerge + "\nowner: " + team + "\n");
    engine.repos().create("acme", name, "main", files);
  }

  private void campaign(String extra) {
    String yaml = """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
        """ + extra.indent(2);
    controller.discover();
    controller.applyCampaign(CampaignParser.parse(yaml, "jackson.yaml", Migrations.load()), yaml, "test");
  }

  private void settle(Set<ChangesetState> moving) {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.fleet().changesets().forCampaign("jackson").stream().noneMatch(c -> moving.contains(c.state()));
    });
  }

  private Changeset changeset(String repo) {
    long repoId = controller.fleet().repositories().byName("acme", repo).orElseThrow().id();
    return controller.fleet().changesets().find("jackson", repoId).orElseThrow();
  }
}
