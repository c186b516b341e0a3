package dev.flotilla.controller.forge.github.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.forge.github.ApiCallCounter;
import dev.flotilla.controller.forge.github.GitHubForge;
import dev.flotilla.controller.forge.github.GitHubWebhookHandler;
import dev.flotilla.controller.forge.github.WebhookEvent;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator behaves like the GitHub it was built from: its answers (GitHub's own examples with
 * its state filled in) go through the real forge and hub4j, mergeability is computed lazily, merges
 * move the base branch, limits run out and reset, webhooks verify with the secret, and pushes of
 * workflow files need the {@code workflows} permission.
 */
class GitHubSimIT {

  static final String PAT = "ghp_simPersonalToken0123456789abcdefABCD";
  static final String POM = "<project><version>1</version></project>\n";

  @TempDir Path tmp;
  GitHubSim sim;
  GitHubForge forge;
  HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    sim = GitHubSim.start(tmp.resolve("github"));
    sim.install("acme");
    sim.addPersonalToken(PAT, "octocat");
    sim.createRepo("acme", "svc", Map.of("pom.xml", POM, ".flotilla.yaml", "enabled: true\n", "ci.sh", "echo ok\n"));
    forge = SimApp.forge(SimApp.config(sim, tmp.resolve("app"), List.of("acme")), ApiCallCounter.NONE);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  RepositoryRef svc() {
    return forge.listRepositories().stream().filter(r -> r.name().equals("svc")).findFirst().orElseThrow();
  }

  /** A branch with one commit on top of main, as the runner pushes it. */
  String branch(String name, Map<String, String> files) {
    return sim.commitOn("acme", "svc", "main", name, files, "change");
  }

  @Test
  void answersParseThroughTheRealForgeAndHub4j() {
    RepositoryRef ref = svc();
    assertThat(ref.cloneUrl()).isEqualTo(sim.apiUrl() + "/git/acme/svc.git");
    assertThat(forge.readOptInFiles(List.of(ref))).containsEntry(ref, "enabled: true\n");
    branch("flotilla/bump", Map.of("pom.xml", POM.replace("1", "2")));
    PullRequest pr = forge.openPullRequest(ref, new PullRequestSpec("flotilla/bump", "main", "Bump", "body", List.of("deps"), List.of("maria")));
    assertThat(pr.number()).isEqualTo(1);
    assertThat(pr.state()).isEqualTo(PullRequest.State.OPEN);
    assertThat(forge.findOpenPullRequest(ref, "flotilla/bump")).map(PullRequest::number).contains(1);
    assertThat(sim.pull("acme", "svc", 1).labels()).containsExactly("deps");
    await().atMost(Duration.ofSeconds(20)).until(() -> forge.ciStatus(ref, pr.headSha()).state() == CiStatus.State.SUCCESS);
    assertThat(sim.calls("GET /repos/{owner}/{repo}/commits/{ref}/check-runs")).isPositive();
  }

  @Test
  void mergeableIsNullOnTheFirstReadAfterAChange() {
    RepositoryRef ref = svc();
    branch("flotilla/bump", Map.of("pom.xml", POM.replace("1", "2")));
    forge.openPullRequest(ref, new PullRequestSpec("flotilla/bump", "main", "Bump", "", List.of(), List.of()));
    // The create's own answer already started the computation; a base change starts another.
    sim.commit("acme", "svc", "main", Map.of("README.md", "hello"), "docs");
    assertThat(forge.getPullRequest(ref, 1).mergeable()).isEqualTo(PullRequest.Mergeable.UNKNOWN);
    assertThat(forge.getPullRequest(ref, 1).mergeable()).isEqualTo(PullRequest.Mergeable.MERGEABLE);
    sim.commit("acme", "svc", "main", Map.of("pom.xml", POM.replace("1", "3")), "conflicting");
    assertThat(forge.getPullRequest(ref, 1).mergeable()).isEqualTo(PullRequest.Mergeable.UNKNOWN);
    assertThat(forge.getPullRequest(ref, 1).mergeable()).isEqualTo(PullRequest.Mergeable.CONFLICTING);
  }

  @Test
  void aMergeMovesTheDefaultBranchAndDeletesTheHead() throws Exception {
    RepositoryRef ref = svc();
    String head = branch("flotilla/bump", Map.of("pom.xml", POM.replace("1", "2")));
    forge.openPullRequest(ref, new PullRequestSpec("flotilla/bump", "main", "Bump", "", List.of(), List.of()));
    assertThat(forge.merge(ref, 1, "0".repeat(40), MergeMethod.SQUASH)).isInstanceOf(MergeResult.HeadMoved.class);
    MergeResult merged = forge.merge(ref, 1, head, MergeMethod.SQUASH);
    assertThat(merged).isInstanceOf(MergeResult.Merged.class);
    SimRepo repo = sim.repo("acme", "svc");
    assertThat(repo.head("main").orElseThrow().name()).isEqualTo(((MergeResult.Merged) merged).sha());
    assertThat(repo.file(repo.head("main").orElseThrow(), "pom.xml")).contains("<version>2</version>");
    assertThat(repo.head("flotilla/bump")).as("deleted on merge").isEmpty();
    assertThat(forge.getPullRequest(ref, 1).state()).isEqualTo(PullRequest.State.MERGED);
    assertThat(forge.merge(ref, 1, head, MergeMethod.SQUASH)).isInstanceOf(MergeResult.NotMergeable.class);
  }

  @Test
  void primaryLimitRunsOutAndResets() throws Exception {
    sim.limits().coreLimit = 2;
    sim.limits().window = Duration.ofSeconds(2);
    HttpResponse<String> first = api("GET", "/repos/acme/svc", null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-RateLimit-Remaining")).contains("1");
    assertThat(first.headers().firstValue("X-RateLimit-Resource")).contains("core");
    assertThat(api("GET", "/repos/acme/svc", null).headers().firstValue("X-RateLimit-Remaining")).contains("0");
    HttpResponse<String> out = api("GET", "/repos/acme/svc", null);
    assertThat(out.statusCode()).isEqualTo(403);
    assertThat(out.body()).contains("API rate limit exceeded");
    assertThat(out.headers().firstValue("X-RateLimit-Remaining")).contains("0");
    long reset = Long.parseLong(out.headers().firstValue("X-RateLimit-Reset").orElseThrow());
    assertThat(reset).isGreaterThan(System.currentTimeMillis() / 1000 - 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> api("GET", "/repos/acme/svc", null).statusCode() == 200);
  }

  @Test
  void contentCreationHasASecondaryLimitWithRetryAfter() throws Exception {
    sim.limits().contentPerMinute = 1;
    sim.limits().retryAfterSeconds = 7;
    branch("a", Map.of("a.txt", "a"));
    branch("b", Map.of("b.txt", "b"));
    assertThat(api("POST", "/repos/acme/svc/pulls", "{\"title\":\"a\",\"head\":\"a\",\"base\":\"main\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> limited = api("POST", "/repos/acme/svc/pulls", "{\"title\":\"b\",\"head\":\"b\",\"base\":\"main\"}");
    assertThat(limited.statusCode()).isEqualTo(403);
    assertThat(limited.body()).contains("secondary rate limit");
    assertThat(limited.headers().firstValue("Retry-After")).contains("7");
    assertThat(sim.contentCreations()).isEqualTo(1);
  }

  @Test
  void webhooksAreSignedWithTheSecretAndVerifyInTheRealHandler() throws Exception {
    List<WebhookEvent> events = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
    receiver.createContext(GitHubWebhookHandler.PATH, new GitHubWebhookHandler(Secret.of(SimApp.WEBHOOK_SECRET), events::add));
    receiver.start();
    try {
      sim.webhooks(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + GitHubWebhookHandler.PATH), SimApp.WEBHOOK_SECRET);
      branch("flotilla/bump", Map.of("pom.xml", POM.replace("1", "2")));
      forge.openPullRequest(svc(), new PullRequestSpec("flotilla/bump", "main", "Bump", "", List.of(), List.of()));
      await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> e.kind() == WebhookEvent.Kind.CHECK_RUN));
      assertThat(events).anyMatch(e -> e.kind() == WebhookEvent.Kind.PULL_REQUEST && "opened".equals(e.action())
          && "flotilla/bump".equals(e.branch()) && "acme/svc".equals(e.repository()));
      assertThat(sim.deliveries()).as("accepted").allMatch(d -> d.status() / 100 == 2);
      sim.webhooks(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + GitHubWebhookHandler.PATH), "another secret");
      sim.commit("acme", "svc", "main", Map.of("x", "y"), "x");
      await().atMost(Duration.ofSeconds(10)).until(() -> sim.deliveries().stream().anyMatch(d -> d.status() == 401));
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void aPushChangingAWorkflowNeedsTheWorkflowsPermission() throws Exception {
    RepositoryRef ref = svc();
    Path work = tmp.resolve("clone");
    String token = forge.mintRunToken(ref).orElseThrow();
    try (Git git = Git.cloneRepository().setURI(ref.cloneUrl()).setDirectory(work.toFile())
        .setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token", token)).call()) {
      java.nio.file.Files.createDirectories(work.resolve(".github/workflows"));
      java.nio.file.Files.writeString(work.resolve(".github/workflows/ci.yml"), "on: push\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("workflow").setAuthor("a", "a@example.com").setCommitter("a", "a@example.com").call();
      RemoteRefUpdate refused = push(git, token, "refs/heads/flotilla/wf");
      assertThat(refused.getStatus()).isEqualTo(RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
      assertThat(refused.getMessage())
          .isEqualTo("refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission");
      String withWorkflows = sim.mintForTest("acme", Map.of("contents", "write", "workflows", "write"));
      assertThat(push(git, withWorkflows, "refs/heads/flotilla/wf").getStatus()).isEqualTo(RemoteRefUpdate.Status.OK);
    }
  }

  @Test
  void strictProtectionRefusesABehindBranchUntilUpdateBranch() throws Exception {
    SimRepo repo = sim.repo("acme", "svc");
    repo.protection = new SimRepo.Rules();
    repo.protection.strict = true;
    repo.protection.requiredChecks.add("ci");
    repo.ci.clear();
    repo.ci.add(SimRepo.CheckSpec.checkRun("ci", null));
    String head = branch("flotilla/bump", Map.of("pom.xml", POM.replace("1", "2")));
    api("POST", "/repos/acme/svc/pulls", "{\"title\":\"a\",\"head\":\"flotilla/bump\",\"base\":\"main\"}");
    sim.commit("acme", "svc", "main", Map.of("README.md", "moved on"), "docs");
    sim.completeCheck("acme", "svc", head, "ci", "success");
    api("GET", "/repos/acme/svc/pulls/1", null);
    assertThat(json(api("GET", "/repos/acme/svc/pulls/1", null)).path("mergeable_state").asText()).isEqualTo("behind");
    HttpResponse<String> refused = api("PUT", "/repos/acme/svc/pulls/1/merge", "{\"sha\":\"" + head + "\"}");
    assertThat(refused.statusCode()).isEqualTo(405);
    assertThat(json(refused).path("message").asText()).isEqualTo("Head branch is not up to date with the base branch");
    assertThat(api("PUT", "/repos/acme/svc/pulls/1/update-branch", "{\"expected_head_sha\":\"" + head + "\"}").statusCode()).isEqualTo(202);
    String updated = sim.pull("acme", "svc", 1).headSha();
    assertThat(updated).isNotEqualTo(head);
    assertThat(json(api("PUT", "/repos/acme/svc/pulls/1/merge", "{\"sha\":\"" + updated + "\"}")).path("message").asText())
        .isEqualTo("Required status check \"ci\" is expected.");
    sim.completeCheck("acme", "svc", updated, "ci", "success");
    assertThat(api("PUT", "/repos/acme/svc/pulls/1/merge", "{\"sha\":\"" + updated + "\"}").statusCode()).isEqualTo(200);
  }

  @Test
  void theMergeQueueMergesGreenAndRemovesRedWithAReason() throws Exception {
    SimRepo repo = sim.repo("acme", "svc");
    repo.ruleset = new SimRepo.Rules();
    repo.ruleset.mergeQueue = true;
    repo.ruleset.requiredChecks.add("ci");
    branch("green", Map.of("a.txt", "a"));
    branch("red", Map.of("ci.sh", "echo 'FooTest FAILED'\nexit 1\n"));
    api("POST", "/repos/acme/svc/pulls", "{\"title\":\"g\",\"head\":\"green\",\"base\":\"main\"}");
    api("POST", "/repos/acme/svc/pulls", "{\"title\":\"r\",\"head\":\"red\",\"base\":\"main\"}");
    assertThat(json(api("PUT", "/repos/acme/svc/pulls/1/merge", "{}")).path("message").asText())
        .isEqualTo("Changes must be made through the merge queue");
    assertThat(json(api("GET", "/repos/acme/svc/rules/branches/main", null)).findValuesAsText("type")).contains("merge_queue", "required_status_checks");
    for (SimPull pull : List.of(sim.pull("acme", "svc", 1), sim.pull("acme", "svc", 2))) {
      JsonNode enqueued = json(api("POST", "/graphql",
          "{\"query\":\"mutation { enqueuePullRequest(input: {pullRequestId: \\\"" + pull.nodeId() + "\\\"}) { mergeQueueEntry { id state } } }\"}"));
      assertThat(enqueued.path("data").path("enqueuePullRequest").path("mergeQueueEntry").path("state").asText()).isEqualTo("AWAITING_CHECKS");
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> sim.pull("acme", "svc", 1).isMerged() && sim.pull("acme", "svc", 2).dequeueReason() != null);
    assertThat(sim.pull("acme", "svc", 2).dequeueReason()).isEqualTo("CI_FAILURE");
    assertThat(sim.pull("acme", "svc", 2).isOpen()).isTrue();
    assertThat(repo.file(repo.head("main").orElseThrow(), "a.txt")).isEqualTo("a");
  }

  @Test
  void injectedFaultsAnswerTheirStatusAndCountsAreKept() throws Exception {
    sim.fault("GET /repos/{owner}/{repo}", 502, 1);
    assertThat(api("GET", "/repos/acme/svc", null).statusCode()).isEqualTo(502);
    assertThat(api("GET", "/repos/acme/svc", null).statusCode()).isEqualTo(200);
    assertThat(sim.calls("GET /repos/{owner}/{repo}")).isEqualTo(2);
  }

  RemoteRefUpdate push(Git git, String token, String ref) throws Exception {
    Iterable<PushResult> results = git.push().setRemote("origin").setRefSpecs(new org.eclipse.jgit.transport.RefSpec("HEAD:" + ref))
        .setCredentialsProvider(new UsernamePasswordCredentialsProvider("x-access-token", token)).call();
    return results.iterator().next().getRemoteUpdate(ref);
  }

  HttpResponse<String> api(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sim.apiUrl() + path)).header("Authorization", "token " + PAT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return Templates.JSON.readTree(response.body());
  }
}
