package dev.flotilla.controller.forge.github;

import static dev.flotilla.controller.forge.github.GitHubFixtures.WEBHOOK_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.config.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GitHubWebhookHandlerIT {

  private static final int MAX_BODY = 4096;
  private static final String PULL_REQUEST = """
      {"action": "synchronize", "number": 7,
       "pull_request": {"number": 7, "state": "open",
         "head": {"ref": "flotilla/jackson-2-18", "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e"},
         "base": {"ref": "main", "sha": "a10867b14bb761a232cd80139fbd4c0d33264240"}},
       "repository": {"id": 1296269, "name": "payments", "full_name": "acme/payments"},
       "sender": {"login": "octocat"}}
      """;

  private final List<WebhookEvent> events = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer server;
  private URI url;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(GitHubWebhookHandler.PATH, new GitHubWebhookHandler(Secret.of(WEBHOOK_SECRET), events::add, MAX_BODY));
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + GitHubWebhookHandler.PATH);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpResponse<String> deliver(String event, String delivery, String body, String signature) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .header("Content-Type", "application/json")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", delivery)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String sign(String secret, byte[] body) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static String sign(String body) throws GeneralSecurityException {
    return sign(WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSignedPullRequestEventReachesTheListener() throws Exception {
    String delivery = UUID.randomUUID().toString();
    HttpResponse<String> response = deliver("pull_request", delivery, PULL_REQUEST, sign(PULL_REQUEST));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(events).containsExactly(new WebhookEvent(WebhookEvent.Kind.PULL_REQUEST, "synchronize", "acme/payments",
        "flotilla/jackson-2-18", "6dcb09b5b57875f334f61aebed695e2e4193db5e").withDelivery(delivery));
  }

  @Test
  void aWronglySignedEventIsRefused() throws Exception {
    HttpResponse<String> response =
        deliver("pull_request", UUID.randomUUID().toString(), PULL_REQUEST, sign("another-secret", PULL_REQUEST.getBytes(StandardCharsets.UTF_8)));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain(WEBHOOK_SECRET);
    assertThat(events).isEmpty();
  }

  @Test
  void anUnsignedOrBadlyFormattedSignatureIsRefused() throws Exception {
    assertThat(deliver("pull_request", UUID.randomUUID().toString(), PULL_REQUEST, null).statusCode()).isEqualTo(401);
    assertThat(deliver("pull_request", UUID.randomUUID().toString(), PULL_REQUEST, "sha256=zz").statusCode()).isEqualTo(401);
    assertThat(deliver("pull_request", UUID.randomUUID().toString(), PULL_REQUEST, "sha1=abc").statusCode()).isEqualTo(401);
    assertThat(events).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIsRefusedByItsLength() throws Exception {
    String big = "{\"pad\": \"" + "x".repeat(MAX_BODY) + "\"}";

    assertThat(deliver("pull_request", UUID.randomUUID().toString(), big, sign(big)).statusCode()).isEqualTo(413);
    assertThat(events).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIsRefusedWhileReadingWhenItsLengthIsNotDeclared() throws Exception {
    byte[] big = ("{\"pad\": \"" + "x".repeat(MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(url)
        .header("X-GitHub-Event", "pull_request")
        .header("X-GitHub-Delivery", UUID.randomUUID().toString())
        .header("X-Hub-Signature-256", sign(WEBHOOK_SECRET, big))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
        .build();

    assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
    assertThat(events).isEmpty();
  }

  @Test
  void aReplayedDeliveryIsAcknowledgedButIgnored() throws Exception {
    String delivery = UUID.randomUUID().toString();

    assertThat(deliver("pull_request", delivery, PULL_REQUEST, sign(PULL_REQUEST)).statusCode()).isEqualTo(202);
    assertThat(deliver("pull_request", delivery, PULL_REQUEST, sign(PULL_REQUEST)).statusCode()).isEqualTo(200);

    assertThat(events).hasSize(1);
  }

  @Test
  void aPingIsAnswered() throws Exception {
    String ping = "{\"zen\": \"Keep it logically awesome.\", \"hook_id\": 1, \"repository\": {\"full_name\": \"acme/payments\"}}";

    assertThat(deliver("ping", UUID.randomUUID().toString(), ping, sign(ping)).statusCode()).isEqualTo(200);
    assertThat(events).isEmpty();
  }

  @Test
  void checkRunAndStatusEventsNameTheBranchAndCommit() throws Exception {
    String checkRun = """
        {"action": "completed", "check_run": {"id": 4, "head_sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
          "status": "completed", "conclusion": "failure", "name": "build",
          "check_suite": {"id": 5, "head_branch": "flotilla/jackson-2-18", "head_sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e"},
          "pull_requests": []},
         "repository": {"full_name": "acme/payments"}}
        """;
    String status = """
        {"id": 6, "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "name": "acme/payments", "context": "ci/jenkins",
         "state": "success", "branches": [{"name": "main"}, {"name": "flotilla/jackson-2-18"}],
         "repository": {"full_name": "acme/payments"}}
        """;

    deliver("check_run", "d-check-run", checkRun, sign(checkRun));
    deliver("status", "d-status", status, sign(status));

    assertThat(events).containsExactly(
        new WebhookEvent(WebhookEvent.Kind.CHECK_RUN, "completed", "acme/payments", "flotilla/jackson-2-18",
            "6dcb09b5b57875f334f61aebed695e2e4193db5e").withDelivery("d-check-run"),
        new WebhookEvent(WebhookEvent.Kind.STATUS, "success", "acme/payments", "flotilla/jackson-2-18",
            "6dcb09b5b57875f334f61aebed695e2e4193db5e").withDelivery("d-status"));
  }

  @Test
  void withoutASecretEveryDeliveryIsRefused() throws Exception {
    server.removeContext(GitHubWebhookHandler.PATH);
    server.createContext(GitHubWebhookHandler.PATH, new GitHubWebhookHandler(null, events::add));

    assertThat(deliver("pull_request", UUID.randomUUID().toString(), PULL_REQUEST, sign(PULL_REQUEST)).statusCode()).isEqualTo(401);
    assertThat(events).isEmpty();
  }

  /** A trimmed example from {@code @octokit/webhooks-examples}: see {@code src/test/resources/webhooks/README.md}. */
  static String example(String file) throws IOException {
    try (var in = GitHubWebhookHandlerIT.class.getResourceAsStream("/webhooks/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String edit(String json, java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObjectNode node = (ObjectNode) JSON.readTree(json);
    edit.accept(node);
    return JSON.writeValueAsString(node);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpResponse<String> deliverSigned(String event, String delivery, String body) throws Exception {
    return deliver(event, delivery, body, sign(body));
  }

  @Test
  void gitHubsExamplePayloadsBecomeEvents() throws Exception {
    String approved = edit(example("pull_request_review.submitted.json"),
        n -> ((ObjectNode) n.path("review")).put("state", "approved"));
    String optInPush = edit(example("push.json"), n -> ((ArrayNode) n.path("commits").path(0).path("modified")).add(".flotilla.yaml"));

    assertThat(deliverSigned("check_run", "d1", example("check_run.completed.json")).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("pull_request_review", "d2", approved).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("push", "d3", optInPush).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("installation", "d4", example("installation.created.json")).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("installation", "d5", example("installation.suspend.json")).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("installation_repositories", "d6", example("installation_repositories.added.json")).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("installation_repositories", "d7", example("installation_repositories.removed.json")).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("branch_protection_rule", "d8", example("branch_protection_rule.edited.json")).statusCode()).isEqualTo(202);
    assertThat(deliverSigned("repository_ruleset", "d9", example("repository_ruleset.edited.json")).statusCode()).isEqualTo(202);

    assertThat(events).containsExactly(
        new WebhookEvent(WebhookEvent.Kind.CHECK_RUN, "d1", "completed", "Codertocat/Hello-World", "changes",
            "ec26c3e57ca3a959ca5aad62de7213c562f8c821", null, List.of()),
        new WebhookEvent(WebhookEvent.Kind.PULL_REQUEST_REVIEW, "d2", "submitted", "Codertocat/Hello-World", "changes",
            "ec26c3e57ca3a959ca5aad62de7213c562f8c821", null, List.of()),
        new WebhookEvent(WebhookEvent.Kind.PUSH, "d3", null, "Codertocat/Hello-World", "master",
            "6113728f27ae82c7b1a177c8d03f9e96e0adf246", null, List.of()),
        new WebhookEvent(WebhookEvent.Kind.INSTALLATION, "d4", "created", null, null, null, "Codertocat",
            List.of("Codertocat/Hello-World")),
        new WebhookEvent(WebhookEvent.Kind.INSTALLATION, "d5", "suspend", null, null, null, "Codertocat", List.of()),
        new WebhookEvent(WebhookEvent.Kind.INSTALLATION_REPOSITORIES, "d6", "added", null, null, null, "Codertocat",
            List.of("Codertocat/Space")),
        new WebhookEvent(WebhookEvent.Kind.INSTALLATION_REPOSITORIES, "d7", "removed", null, null, null, "octocat",
            List.of("octocat/Hello-World")),
        new WebhookEvent(WebhookEvent.Kind.BRANCH_PROTECTION_RULE, "d8", "edited", "octo-org/octo-repo", null, null, "octo-org",
            List.of()),
        new WebhookEvent(WebhookEvent.Kind.REPOSITORY_RULESET, "d9", "edited", "octo-org/octo-repo", null, null, "octo-org",
            List.of()));
  }

  @Test
  void onlyAPushToTheDefaultBranchThatTouchesTheOptInFileIsUsed() throws Exception {
    String readmeOnly = example("push.json");
    String otherBranch = edit(readmeOnly, n -> {
      n.put("ref", "refs/heads/feature");
      ((ArrayNode) n.path("commits").path(0).path("added")).add(".flotilla.yaml");
    });
    String removed = edit(readmeOnly, n -> ((ArrayNode) n.path("commits").path(0).path("removed")).add(".flotilla.yaml"));

    HttpResponse<String> unused = deliverSigned("push", "p1", readmeOnly);
    deliverSigned("push", "p2", otherBranch);
    deliverSigned("push", "p3", removed);

    assertThat(unused.statusCode()).isEqualTo(200);
    assertThat(unused.body()).contains("not used");
    assertThat(events).extracting(WebhookEvent::delivery).containsExactly("p3");
  }

  @Test
  void aPushOfMoreCommitsThanGitHubListsCountsAsTouchingTheOptInFile() throws Exception {
    String many = edit(example("push.json"), n -> {
      // Small commits, so twenty fit under this handler's body limit.
      ArrayNode commits = (ArrayNode) n.path("commits");
      for (int i = 0; i < 19; i++) {
        commits.addObject().put("id", "c" + i).putArray("added");
      }
    });

    deliverSigned("push", "p1", many);

    assertThat(events).extracting(WebhookEvent::kind).containsExactly(WebhookEvent.Kind.PUSH);
  }
}
