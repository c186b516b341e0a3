package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.controller.exec.k8s.TestKubelet.Behaviour;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import dev.flotilla.runner.RunResult.Phase;
import dev.flotilla.runner.RunResult.Status;
import dev.flotilla.runner.Runner;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.TimeUnit;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorIT {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final String TOKEN = "ghs_s3cretInstallationToken0123456789";

  // One server per test: the mock server's event loop stalls for seconds when a watch closes with
  // events queued, which would slow the next test's requests.
  KubernetesClient client;
  KubernetesMockServer server;

  @TempDir Path temp;

  private String namespace;
  private TestKubelet kubelet;
  private final List<KubernetesExecutor> executors = new ArrayList<>();
  private final Map<String, List<RunResult>> results = new ConcurrentHashMap<>();
  private final RunListener listener =
      (runId, result) -> results.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(result);

  @BeforeEach
  void startKubelet() throws Exception {
    namespace = "flotilla-" + NAMESPACES.incrementAndGet();
    Runner runner = new Runner(Migrations.of(List.of(new ReplaceText())), CredentialResolver.withEnvironment(Map.of()));
    kubelet = new TestKubelet(client, namespace, runner::run, Files.createDirectories(temp.resolve("pods"))).start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    awaitQuietServer();
    executors.forEach(KubernetesExecutor::close);
  }

  /**
   * The mock server's event loop stalls when a watch closes while it still has events to send, so
   * watches are closed only once no request has arrived for a while.
   */
  private void awaitQuietServer() {
    AtomicInteger seen = new AtomicInteger(-1);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
        .until(() -> seen.getAndSet(server.getRequestCount()) == server.getRequestCount());
  }

  @Test
  void reportsPushedWithTheShaTheRunnerPushed() throws Exception {
    Path remote = bareRepository("payments-ledger", "version v1\n");
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", remote));

    RunResult result = awaitResult("run-1");
    assertThat(result.status()).isEqualTo(Status.PUSHED);
    assertThat(result.headSha()).isEqualTo(head(remote, "refs/heads/flotilla/bump").name());
    assertThat(kubelet.tokensMounted()).containsValue(TOKEN);
    assertThat(executor.inFlight()).isZero();
  }

  @Test
  void reportsNoChangeWhenTheRepositoryConverged() throws Exception {
    Path remote = bareRepository("payments-ledger", "version v2\n");
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", remote));

    assertThat(awaitResult("run-1").status()).isEqualTo(Status.NO_CHANGE);
  }

  @Test
  void keepsTheRunnersOwnFailureReason() throws Exception {
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", temp.resolve("missing.git")));

    RunResult result = awaitResult("run-1");
    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.CLONE);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "OOM_KILLED          | ran out of memory (limit 384Mi); raise FLOTILLA_RUNNER_MEMORY",
        "DEADLINE_EXCEEDED   | ran longer than 30m; raise FLOTILLA_RUNNER_DEADLINE or look at the log",
        "IMAGE_PULL_BACK_OFF | cannot pull image registry.example/flotilla-runner:9.9: Back-off pulling image",
        "CRASH               | failed (BackoffLimitExceeded): the runner exited with code 1: Error: Could not find or load main class"
      })
  void reportsEachWayAJobFailsInWords(Behaviour behaviour, String reason) throws Exception {
    Path remote = bareRepository("payments-ledger", "version v1\n");
    kubelet.behave("payments/ledger", behaviour);
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", remote));

    RunResult result = awaitResult("run-1");
    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.EXECUTOR);
    assertThat(result.reason()).contains(reason);
    assertThat(executor.inFlight()).isZero();
  }

  @Test
  void deletesTheJobWhoseImageCannotBePulled() throws Exception {
    kubelet.behave("payments/ledger", Behaviour.IMAGE_PULL_BACK_OFF);
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", bareRepository("l", "v1")));

    awaitResult("run-1");
    await().untilAsserted(() -> assertThat(managedJobs()).isEmpty());
  }

  @Test
  void leavesTheTokenSecretToGoWithItsJob() throws Exception {
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", bareRepository("l", "version v1\n")));

    awaitResult("run-1");
    // The Role grants no delete on Secrets: Kubernetes' garbage collector removes it with its Job.
    assertThat(managedJobs()).singleElement().satisfies(job ->
        assertThat(client.secrets().inNamespace(namespace).list().getItems()).singleElement()
            .satisfies(secret -> assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> {
                  assertThat(owner.getKind()).isEqualTo("Job");
                  assertThat(owner.getName()).isEqualTo(job.getMetadata().getName());
                  assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
                })));
  }

  @Test
  void neverPutsTheTokenInTheJobOrTheRequest() throws Exception {
    kubelet.behave("payments/ledger", Behaviour.HOLD);
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", bareRepository("l", "v1")));

    await().until(() -> kubelet.jobsSeen().size() == 1);
    String job = Serialization.asYaml(managedJobs().get(0));
    Secret secret = client.secrets().inNamespace(namespace).withName(managedJobs().get(0).getMetadata().getName()).get();
    String request = TestKubelet.value(secret, "request.json");
    String pods = Serialization.asYaml(client.pods().inNamespace(namespace).list());
    assertThat(job + request + pods).doesNotContain(TOKEN).contains("/var/run/flotilla/git/token");
    assertThat(client.configMaps().inNamespace(namespace).list().getItems()).as("a run's request travels in its Secret").isEmpty();
    assertThat(kubelet.tokensMounted()).containsValue(TOKEN);
  }

  @Test
  void aRunCostsTwoRequestsAndItsResultComesFromThePodsWatchEvenWhenItLags() throws Exception {
    // The Job's end arrives a while before its pod's: the result waits for the pods' watch.
    kubelet.podLag(Duration.ofMillis(400));
    KubernetesExecutor executor = started(config(10));
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // The informers' start is not a run's cost.
    }
    for (int i = 1; i <= 3; i++) {
      executor.submit("run-" + i, request("bump", "payments/ledger-" + i, bareRepository("l" + i, "version v2\n")));
    }

    for (int i = 1; i <= 3; i++) {
      assertThat(awaitResult("run-" + i).status()).isEqualTo(Status.NO_CHANGE);
    }
    List<String> sent = new ArrayList<>();
    for (RecordedRequest request = server.takeRequest(10, TimeUnit.MILLISECONDS); request != null;
        request = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
      sent.add(request.getMethod() + " " + request.getPath());
    }
    assertThat(sent).noneMatch(request -> request.contains("job-name"));
    assertThat(sent).filteredOn(request -> request.startsWith("POST") && request.contains("/jobs")).hasSize(3);
    assertThat(sent).filteredOn(request -> request.startsWith("POST") && request.contains("/secrets")).hasSize(3);
    assertThat(sent).noneMatch(request -> request.contains("/configmaps"));
  }

  @Test
  void reportsEachRunOnceEvenWhenItsJobChangesAgain() throws Exception {
    KubernetesExecutor executor = started(config(10));
    executor.submit("run-1", request("bump", "payments/ledger", bareRepository("l", "version v1\n")));
    awaitResult("run-1");

    Job job = managedJobs().get(0);
    client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName())
        .edit(j -> { j.getMetadata().getLabels().put("touched", "yes"); return j; });
    executor.submit("run-1", request("bump", "payments/ledger", bareRepository("l2", "version v1\n")));

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(results.get("run-1")).hasSize(1));
    assertThat(kubelet.jobsSeen()).hasSize(1);
  }

  @Test
  void afterARestartReportsRunsThatFinishedWhileDownAndAdoptsTheRest() throws Exception {
    Path remote = bareRepository("ledger", "version v1\n");
    kubelet.behave("payments/ledger", Behaviour.HOLD).behave("payments/billing", Behaviour.HOLD);
    KubernetesExecutor before = started(config(10));
    before.submit("run-ledger", request("bump", "payments/ledger", remote));
    before.submit("run-billing", request("bump", "payments/billing", bareRepository("billing", "version v1\n")));
    await().until(() -> client.pods().inNamespace(namespace).list().getItems().size() == 2);
    await().until(() -> before.inFlight() == 2);
    awaitQuietServer();
    before.close();

    String ledgerJob = JobNames.jobName("bump", "payments/ledger", "run-ledger");
    kubelet.release(ledgerJob);
    KubernetesExecutor after = started(config(10));

    assertThat(awaitResult("run-ledger").status()).isEqualTo(Status.PUSHED);
    await().untilAsserted(() -> assertThat(after.inFlight()).isEqualTo(1));
    after.submit("run-billing", request("bump", "payments/billing", bareRepository("billing2", "version v1\n")));
    assertThat(managedJobs()).hasSize(2);
    assertThat(kubelet.jobsSeen()).hasSize(3);
    assertThat(results).doesNotContainKey("run-billing");

    kubelet.release(JobNames.jobName("bump", "payments/billing", "run-billing"));
    assertThat(awaitResult("run-billing").status()).isEqualTo(Status.PUSHED);
    assertThat(after.inFlight()).isZero();
  }

  @Test
  void twoReplicasSubmittingTheSameRunCreateOneJob() throws Exception {
    kubelet.behave("payments/ledger", Behaviour.HOLD);
    KubernetesExecutor first = started(config(10));
    KubernetesExecutor second = started(config(10));
    RunRequest request = request("bump", "payments/ledger", bareRepository("l", "v1"));

    first.submit("run-1", request);
    second.submit("run-1", request);

    assertThat(managedJobs()).hasSize(1);
    assertThat(first.inFlight()).isEqualTo(1);
    assertThat(second.inFlight()).isEqualTo(1);
  }

  @Test
  void neverRunsMoreJobsThanTheGlobalCap() throws Exception {
    Path remote = bareRepository("l", "v1");
    for (int i = 0; i < 10; i++) {
      kubelet.behave("team/repo-" + i, Behaviour.HOLD);
    }
    KubernetesExecutor executor = started(config(3));
    ExecutorService threads = Executors.newFixedThreadPool(10);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> submitted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int n = i;
      submitted.add(
          threads.submit(
              () -> {
                go.await();
                try {
                  executor.submit("run-" + n, request("bump", "team/repo-" + n, remote));
                  return true;
                } catch (RunCapacityException e) {
                  return false;
                }
              }));
    }
    go.countDown();
    int accepted = 0;
    for (Future<Boolean> f : submitted) {
      accepted += f.get() ? 1 : 0;
    }
    threads.shutdown();

    assertThat(accepted).isEqualTo(3);
    assertThat(managedJobs()).hasSize(3);
    assertThat(executor.inFlight()).isEqualTo(3);
  }

  @Test
  void countsJobsOfOtherReplicasAgainstTheCap() throws Exception {
    kubelet.behave("team/a", Behaviour.HOLD).behave("team/b", Behaviour.HOLD);
    KubernetesExecutor other = started(config(1));
    other.submit("run-a", request("bump", "team/a", bareRepository("a", "v1")));
    KubernetesExecutor executor = started(config(1));
    await().until(() -> executor.inFlight() == 1);

    assertThatThrownBy(() -> executor.submit("run-b", request("bump", "team/b", bareRepository("b", "v1"))))
        .isInstanceOf(RunCapacityException.class)
        .hasMessageContaining("FLOTILLA_GLOBAL_CONCURRENT_RUNS");
  }

  @Test
  void keepsTheLogTailOfAFailedRunWithTheTokenMasked() throws Exception {
    kubelet.behave("payments/ledger", Behaviour.CRASH);
    answerLog("run-1", 200, "cloning https://x-access-token:" + TOKEN + "@github.com/payments/ledger.git\nfailed\n");
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", bareRepository("l", "version v1\n")));

    assertThat(awaitResult("run-1").status()).isEqualTo(Status.FAILED);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(executor.logTail("run-1")).hasValueSatisfying(log ->
            assertThat(log).contains("failed").doesNotContain(TOKEN)));
  }

  @Test
  void recordsAFailedRunBeforeReadingItsLog() throws Exception {
    kubelet.behave("payments/ledger", Behaviour.CRASH);
    answerLog("run-1", 200, "failed\n");
    AtomicReference<KubernetesExecutor> executor = new AtomicReference<>();
    Map<String, Boolean> logKeptAtResult = new ConcurrentHashMap<>();
    executor.set(started(config(10), (runId, result) -> {
      logKeptAtResult.put(runId, executor.get().logTail(runId).isPresent());
      listener.onResult(runId, result);
    }));

    executor.get().submit("run-1", request("bump", "payments/ledger", bareRepository("l", "version v1\n")));

    awaitResult("run-1");
    assertThat(logKeptAtResult).containsEntry("run-1", false);
    await().atMost(Duration.ofSeconds(30)).until(() -> executor.get().logTail("run-1").isPresent());
  }

  @Test
  void reportsAFailedRunOnceWhenItsLogCannotBeRead() throws Exception {
    kubelet.behave("payments/ledger", Behaviour.CRASH);
    answerLog("run-1", 500, "log unavailable");
    KubernetesExecutor executor = started(config(10));

    executor.submit("run-1", request("bump", "payments/ledger", bareRepository("l", "version v1\n")));

    assertThat(awaitResult("run-1").status()).isEqualTo(Status.FAILED);
    awaitQuietServer();
    assertThat(results.get("run-1")).hasSize(1);
    assertThat(executor.logTail("run-1")).isEmpty();
    assertThat(executor.inFlight()).isZero();
  }

  @Test
  void adoptsARunningJobFromTheCacheWithoutAskingTheApi() throws Exception {
    kubelet.behave("payments/ledger", Behaviour.HOLD);
    KubernetesExecutor before = started(config(10));
    before.submit("run-1", request("bump", "payments/ledger", bareRepository("l", "version v1\n")));
    await().until(() -> client.pods().inNamespace(namespace).list().getItems().size() == 1);
    awaitQuietServer();
    before.close();
    KubernetesExecutor after = started(config(10));
    await().until(() -> after.inFlight() == 1);
    awaitQuietServer();

    int requests = server.getRequestCount();
    after.submit("run-1", request("bump", "payments/ledger", bareRepository("l2", "version v1\n")));

    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(after.inFlight()).isEqualTo(1);
    kubelet.release(JobNames.jobName("bump", "payments/ledger", "run-1"));
    await().atMost(Duration.ofSeconds(30)).until(() -> after.inFlight() == 0);
    assertThat(results.get("run-1")).hasSize(1);
  }

  @Test
  void adoptingAJobWhosePodNeverStartedCreatesItsMissingVolumes() throws Exception {
    // As a controller stopped between creating a Job and its Secret leaves it.
    RunRequest request = request("bump", "payments/ledger", bareRepository("l", "version v2\n"));
    Job orphan = new JobRenderer(config(10)).render("run-1", request, Optional.empty()).job();
    client.batch().v1().jobs().inNamespace(namespace).resource(orphan).create();
    KubernetesExecutor executor = started(config(10));
    await().until(() -> executor.inFlight() == 1);

    executor.submit("run-1", request);

    assertThat(awaitResult("run-1").status()).isEqualTo(Status.NO_CHANGE);
    assertThat(managedJobs()).hasSize(1);
  }

  private void answerLog(String runId, int code, String body) {
    String pod = JobNames.jobName("bump", "payments/ledger", runId) + "-x7k2p";
    server.expect().get()
        .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log?pretty=false&container=runner&tailLines=200")
        .andReturn(code, body)
        .always();
  }

  private KubernetesExecutor started(KubernetesExecutorConfig config, RunListener listener) {
    KubernetesExecutor executor = new KubernetesExecutor(client, config, request -> Optional.of(TOKEN));
    executors.add(executor);
    executor.start(listener);
    return executor;
  }

  private KubernetesExecutor started(KubernetesExecutorConfig config) {
    KubernetesExecutor executor = new KubernetesExecutor(client, config, request -> Optional.of(TOKEN));
    executors.add(executor);
    executor.start(listener);
    return executor;
  }

  private KubernetesExecutorConfig config(int cap) {
    return KubernetesExecutorConfig.fromSettings(
        Map.of(
            "FLOTILLA_K8S_NAMESPACE", namespace,
            "FLOTILLA_RUNNER_IMAGE", "registry.example/flotilla-runner:9.9",
            "FLOTILLA_RUNNER_MEMORY", "384Mi",
            "FLOTILLA_GLOBAL_CONCURRENT_RUNS", String.valueOf(cap)));
  }

  private RunResult awaitResult(String runId) {
    await().atMost(Duration.ofSeconds(30)).until(() -> results.containsKey(runId));
    return results.get(runId).get(0);
  }

  private List<Job> managedJobs() {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  private static RunRequest request(String campaign, String repository, Path remote) {
    return new RunRequest(
        campaign, repository, "replace-text", Map.of("from", "v1", "to", "v2"),
        remote.toUri().toString(), "main", RunRequest.branchFor(campaign), null,
        RunRequest.Credential.env("UNUSED", "x-access-token"), null);
  }

  private Path bareRepository(String name, String readme) throws Exception {
    Path work = temp.resolve("src-" + name);
    try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
      Files.writeString(work.resolve("README.md"), readme);
      git.add().addFilepattern("README.md").call();
      git.commit().setMessage("first").setAuthor("Dev", "dev@example.com").setCommitter("Dev", "dev@example.com").call();
    }
    Path bare = temp.resolve(name + ".git");
    Git.cloneRepository().setBare(true).setURI(work.toUri().toString()).setDirectory(bare.toFile()).call().close();
    return bare;
  }

  private static ObjectId head(Path bare, String ref) throws Exception {
    try (Git git = Git.open(bare.toFile())) {
      return git.getRepository().resolve(ref);
    }
  }
}
