package dev.flotilla.controller.exec.k8s;

import dev.flotilla.TokenMask;
import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.net.HttpURLConnection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs each run as one Kubernetes Job and reports its result from the pod's termination message.
 *
 * <p>The Job name is a function of the run id, so creating the Job is the lock: a second replica, or
 * this one after a restart, gets 409 Conflict and adopts the Job instead of starting the run again.
 * An informer on the managed Jobs reports each run once, including runs that finished while the
 * controller was down; a second informer on their pods catches images that cannot be pulled, which
 * would otherwise leave a Job waiting until its deadline.
 *
 * <p>The informers' handlers only decide: results are read and recorded on a small pool, so one slow
 * store write or API call does not hold back every result behind it. Their caches keep the few fields
 * the executor reads (annotations, labels, status), not whole Jobs and pods with their templates.
 * Every request the executor itself sends waits for the {@link ApiRateLimiter}.
 */
public final class KubernetesExecutor implements Executor {

  /** One RBAC rule the executor needs; the Role in {@code k8s/base} grants exactly these. */
  public record Permission(String apiGroup, String resource, List<String> verbs) {
    public Permission {
      verbs = List.copyOf(verbs);
    }
  }

  public static final List<Permission> REQUIRED_PERMISSIONS =
      List.of(
          new Permission("batch", "jobs", List.of("create", "delete", "get", "list", "watch")),
          new Permission("", "pods", List.of("list", "watch")),
          new Permission("", "pods/log", List.of("get")),
          // No delete: RBAC cannot narrow it to the Secrets this executor made, so each run's Secret is
          // owned by its Job and Kubernetes' garbage collector deletes it with the Job.
          new Permission("", "secrets", List.of("create")));

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesExecutor.class);
  private static final long RESYNC_MILLIS = 5 * 60 * 1000L;
  private static final int KEPT_LOG_TAILS = 500;
  private static final int KEPT_DELIVERED = 100_000;
  /** Store writes are short; a few threads keep results flowing while one waits on the store. */
  private static final int RESULT_THREADS = 4;
  /**
   * How long a finished Job's result waits for its pod's end to reach the cache (the pods' watch and
   * the Jobs' watch are two streams) before the pods are listed from the API.
   */
  private static final long POD_WAIT_MILLIS = 3_000;
  /**
   * Submits at once: enough to keep the API's client-side rate busy while each waits on its round
   * trips (50 requests a second with round trips of up to 300 ms need 15 in flight).
   */
  private static final int SUBMIT_THREADS = 16;
  private static final int LOG_THREADS = 2;
  private static final int QUEUED_LOG_READS = 1_000;
  private static final String UNFINISHED_INDEX = "unfinished";
  private static final String JOB_NAME_INDEX = "job-name";

  private final KubernetesClient client;
  private final KubernetesExecutorConfig config;
  private final CredentialSource credentials;
  private final JobRenderer renderer;
  private final JobOutcome outcomes;
  private final ApiRateLimiter api;
  private final ExecutorService results;
  private final ScheduledExecutorService podWaits;
  /** Finished Jobs whose pod's end has not reached the cache yet, by Job name. */
  private final Map<String, AwaitedPod> awaitingPod = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor logReads;
  /** Run id → Job name, for runs submitted or adopted and not yet reported. */
  private final Map<String, String> running = new ConcurrentHashMap<>();
  /** Runs whose Job the informer found unfinished and that no submit has adopted yet. */
  private final Set<String> found = ConcurrentHashMap.newKeySet();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  /** Runs reported, or being reported: a run enters once, so it is reported once. */
  private final Set<String> delivered = Collections.synchronizedSet(Collections.newSetFromMap(bounded(KEPT_DELIVERED)));
  private final Map<String, String> logTails = Collections.synchronizedMap(bounded(KEPT_LOG_TAILS));
  private volatile RunListener listener;
  private volatile SharedIndexInformer<Job> jobs;
  private volatile SharedIndexInformer<Pod> pods;

  public KubernetesExecutor(
      KubernetesClient client, KubernetesExecutorConfig config, CredentialSource credentials) {
    this(client, config, credentials, RunnerMigrations.NONE);
  }

  /** As above, each run's pod fetching {@code migrations} before the runner starts. */
  public KubernetesExecutor(
      KubernetesClient client, KubernetesExecutorConfig config, CredentialSource credentials, RunnerMigrations migrations) {
    this.client = client;
    this.config = config;
    this.credentials = credentials;
    this.renderer = new JobRenderer(config, migrations);
    this.outcomes = new JobOutcome(config);
    this.api = new ApiRateLimiter(config.apiRequestsPerSecond());
    this.results = Executors.newFixedThreadPool(RESULT_THREADS, daemons("flotilla-k8s-result-"));
    this.podWaits = Executors.newSingleThreadScheduledExecutor(daemons("flotilla-k8s-pod-wait-"));
    // A log tail is a convenience: when the reads fall behind, the newest ones are not kept.
    this.logReads =
        new ThreadPoolExecutor(
            LOG_THREADS, LOG_THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_LOG_READS),
            daemons("flotilla-k8s-log-"));
  }

  /**
   * Starts watching managed Jobs and their pods. The first listing adopts what is there: running
   * Jobs are followed, Jobs that finished while the controller was down are reported.
   */
  @Override
  public void start(RunListener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("the Kubernetes executor is already started");
    }
    this.listener = listener;
    try {
      // Pods first: a Job that finished while the controller was down finds its pod in the cache.
      pods =
          client.pods()
              .inNamespace(config.namespace())
              .withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY)
              .runnableInformer(RESYNC_MILLIS);
      pods.itemStore(trimmed(Pod.class, "metadata.labels", "metadata.annotations", "metadata.creationTimestamp", "status"));
      pods.addIndexers(Map.of(JOB_NAME_INDEX, pod -> jobNameOf(pod).map(List::of).orElse(List.of())));
      pods.addEventHandler(new PodEvents());
      pods.run();
      jobs =
          client.batch().v1().jobs()
              .inNamespace(config.namespace())
              .withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY)
              .runnableInformer(RESYNC_MILLIS);
      jobs.itemStore(trimmed(Job.class, "metadata.uid", "metadata.annotations", "status"));
      jobs.addIndexers(Map.of(UNFINISHED_INDEX, job -> JobOutcome.finished(job) ? List.of() : List.of(UNFINISHED_INDEX)));
      jobs.addEventHandler(new JobEvents());
      jobs.run();
    } catch (KubernetesClientException e) {
      close();
      this.listener = null;
      throw new KubernetesExecutorException(
          "cannot watch Jobs in namespace " + config.namespace() + ": " + describe(e)
              + "; check the API is reachable and the controller's Role allows list and watch",
          e);
    }
    LOG.info("watching Flotilla Jobs in namespace {}", config.namespace());
  }

  /**
   * Creates the run's Job and its Secret (request and token), or adopts the Job when it exists already.
   * Safe to call from several threads at once.
   *
   * @throws RunCapacityException when the namespace already runs the most Jobs the cap allows
   * @throws KubernetesExecutorException when the API refuses the objects
   */
  @Override
  public void submit(String runId, RunRequest request) {
    if (listener == null) {
      throw new IllegalStateException("start the executor before submitting runs");
    }
    String name = JobNames.jobName(request.campaign(), request.repository(), runId);
    if (delivered.contains(runId) || !reserve(runId, name)) {
      LOG.debug("run {} is already known as Job {}", runId, name);
      return;
    }
    Map<String, String> previous = MDC.getCopyOfContextMap();
    putMdc(runId, request.campaign(), request.repository());
    try {
      Optional<String> token = credentials.tokenFor(request);
      token.ifPresent(value -> tokens.put(runId, value));
      Job cached = jobs.getStore().getByKey(key(name));
      if (cached == null) {
        create(runId, renderer.render(runId, request, token));
      } else {
        adopt(runId, cached, () -> renderer.render(runId, request, token));
      }
      if (delivered.contains(runId)) {
        // Reported by the informer while this submit adopted the finished Job: nothing is in flight.
        running.remove(runId);
      }
    } catch (RuntimeException e) {
      running.remove(runId);
      tokens.remove(runId);
      throw e;
    } finally {
      restoreMdc(previous);
    }
  }

  /** Each submit is a few API round trips: the dispatcher may overlap this many. */
  @Override
  public int submitParallelism() {
    return SUBMIT_THREADS;
  }

  /** Runs submitted or adopted and not yet reported. */
  @Override
  public int inFlight() {
    return running.size();
  }

  /** The last lines of a failed run's pod log, token masked, while the executor remembers it. */
  public Optional<String> logTail(String runId) {
    return Optional.ofNullable(logTails.get(runId));
  }

  @Override
  public void close() {
    if (jobs != null) {
      jobs.close();
    }
    if (pods != null) {
      pods.close();
    }
    podWaits.shutdownNow();
    results.shutdown();
    logReads.shutdownNow();
    try {
      // Results being recorded finish: cut short, a run would be reported again by the next start.
      if (!results.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("results still being recorded after 10 s; the next start reports them again");
        results.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      results.shutdownNow();
    }
  }

  /** Claims a slot under the global cap, counting unfinished Jobs other replicas started too. */
  private synchronized boolean reserve(String runId, String name) {
    if (running.containsKey(runId)) {
      // A Job the informer found (after a restart) is counted already; its first submit adopts it.
      return found.remove(runId);
    }
    Set<String> active = new HashSet<>(running.values());
    // Keys only: the cache's index says which Jobs are unfinished without rebuilding them.
    for (String key : jobs.getIndexer().indexKeys(UNFINISHED_INDEX, UNFINISHED_INDEX)) {
      active.add(key.substring(key.indexOf('/') + 1));
    }
    if (!active.contains(name) && active.size() >= config.maxRunningJobs()) {
      throw new RunCapacityException(runId, config.maxRunningJobs());
    }
    running.put(runId, name);
    return true;
  }

  private void create(String runId, JobRenderer.RunObjects objects) {
    Job job = createOrAdopt(objects.job());
    if (JobOutcome.finished(job)) {
      // An adopted Job that already ended needs no volumes; the informer reports its result.
      return;
    }
    createVolumes(runId, job, objects);
  }

  /**
   * Follows a Job the informer already knows, with no API call when its pod has started: a started
   * pod has its volumes. A Job whose pod has not started may have lost its volumes to a controller
   * stopped between creating it and them, so they are created when missing.
   */
  private void adopt(String runId, Job job, Supplier<JobRenderer.RunObjects> objects) {
    String name = job.getMetadata().getName();
    if (JobOutcome.finished(job) || cachedPods(name).stream().anyMatch(KubernetesExecutor::started)) {
      LOG.info("adopted existing Job {}", name);
      return;
    }
    createVolumes(runId, job, objects.get());
    LOG.info("adopted existing Job {}", name);
  }

  private void createVolumes(String runId, Job job, JobRenderer.RunObjects objects) {
    try {
      // The pod waits for its Secret's volumes, so it may follow the Job; it goes when the Job goes.
      createIfAbsent(JobRenderer.ownedBy(objects.run(), job));
    } catch (KubernetesClientException e) {
      // A Job whose volumes never come would wait until its deadline: remove it now.
      deleteJob(job.getMetadata().getName());
      throw new KubernetesExecutorException(
          "cannot create the Secret of Job " + job.getMetadata().getName() + " for run "
              + runId + ": " + describe(e) + "; check the controller's Role in namespace "
              + config.namespace(),
          e);
    }
  }

  private Job createOrAdopt(Job job) {
    String name = job.getMetadata().getName();
    try {
      api.acquire();
      Job created = client.batch().v1().jobs().inNamespace(config.namespace()).resource(job).create();
      LOG.info("created Job {}", name);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw new KubernetesExecutorException(
            "cannot create Job " + name + " in namespace " + config.namespace() + ": " + describe(e), e);
      }
    }
    api.acquire();
    Job existing = client.batch().v1().jobs().inNamespace(config.namespace()).withName(name).get();
    if (existing == null) {
      throw new KubernetesExecutorException(
          "Job " + name + " existed a moment ago and is gone now; submit the run again");
    }
    LOG.info("adopted existing Job {}", name);
    return existing;
  }

  private void createIfAbsent(HasMetadata object) {
    try {
      api.acquire();
      client.resource(object).inNamespace(config.namespace()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  private void onJob(Job job) {
    String runId = runId(job);
    if (runId == null || delivered.contains(runId)) {
      return;
    }
    String name = job.getMetadata().getName();
    if (!JobOutcome.finished(job)) {
      if (running.putIfAbsent(runId, name) == null) {
        found.add(runId);
      }
      return;
    }
    if (claim(runId)) {
      awaitPod(runId, job);
    }
  }

  /** A finished Job and its run, waiting for the pod's end to reach the cache. */
  private record AwaitedPod(String runId, Job job) {}

  /**
   * Reports a finished Job once its pod's end is in the cache: at once when it is there already,
   * else when the pods' watch brings it ({@link #onPod}), which is usually a moment after the Job's.
   * Listing its pods at once would cost an API request a run. After {@link #POD_WAIT_MILLIS} the
   * pods are listed anyway (a pod deleted, or a watch behind).
   */
  private void awaitPod(String runId, Job job) {
    String name = job.getMetadata().getName();
    AwaitedPod awaited = new AwaitedPod(runId, job);
    // Registered before the cache is looked at, so a pod's event arriving meanwhile finds it.
    awaitingPod.put(name, awaited);
    List<Pod> cached = cachedPods(name);
    if (cached.stream().anyMatch(KubernetesExecutor::ended) && awaitingPod.remove(name, awaited)) {
      results.execute(() -> report(runId, job, cached));
      return;
    }
    try {
      podWaits.schedule(() -> {
        if (awaitingPod.remove(name, awaited)) {
          results.execute(() -> report(runId, job, cachedPods(name)));
        }
      }, POD_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closing: the next start reports the Job again.
      awaitingPod.remove(name, awaited);
      delivered.remove(runId);
    }
  }

  private void onPod(Pod pod) {
    String runId = runId(pod);
    Optional<String> jobName = jobNameOf(pod);
    if (runId == null || jobName.isEmpty()) {
      return;
    }
    if (ended(pod)) {
      // Its Job may have finished first and be waiting for this: its run is claimed already.
      AwaitedPod awaited = awaitingPod.remove(jobName.get());
      if (awaited != null) {
        List<Pod> cached = cachedPods(jobName.get());
        results.execute(() -> report(awaited.runId(), awaited.job(), cached.isEmpty() ? List.of(pod) : cached));
      }
      return;
    }
    if (delivered.contains(runId)) {
      return;
    }
    Optional<RunResult> pullFailure = outcomes.imagePullFailure(pod);
    if (pullFailure.isEmpty()) {
      return;
    }
    Job job = jobs.getStore().getByKey(key(jobName.get()));
    if (job != null && claim(runId)) {
      results.execute(() -> {
        deliver(runId, job, List.of(), pullFailure.get());
        // Kubernetes would retry the pull until the deadline; the result is known, so stop it now.
        deleteJob(jobName.get());
      });
    }
  }

  private void onJobDeleted(Job job) {
    String runId = runId(job);
    if (runId != null && running.containsKey(runId) && claim(runId)) {
      RunResult deleted = RunResult.failed(
          RunResult.Phase.EXECUTOR, "Job " + job.getMetadata().getName() + " was deleted before it finished");
      results.execute(() -> deliver(runId, job, List.of(), deleted));
    }
  }

  /** Reads a finished Job's result, from the cached pod when its runner's end has reached the cache. */
  private void report(String runId, Job job, List<Pod> cached) {
    try {
      // The Job's last condition may arrive before its pod's: the API has both, and a deleted pod.
      List<Pod> jobPods = cached.stream().anyMatch(KubernetesExecutor::ended) ? cached : podsOf(job.getMetadata().getName());
      Optional<RunResult> result = outcomes.of(job, jobPods);
      if (result.isPresent()) {
        deliver(runId, job, jobPods, result.get());
      } else {
        delivered.remove(runId);
      }
    } catch (KubernetesClientException e) {
      delivered.remove(runId);
      LOG.warn("cannot read the pods of Job {}: {}; trying again at the next resync",
          job.getMetadata().getName(), describe(e));
    }
  }

  /** Records a claimed run's result; when the store refuses, gives the claim back for the next resync. */
  private void deliver(String runId, Job job, List<Pod> jobPods, RunResult result) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    Map<String, String> previous = MDC.getCopyOfContextMap();
    putMdc(runId, annotations.get(JobRenderer.CAMPAIGN_ANNOTATION), annotations.get(JobRenderer.REPOSITORY_ANNOTATION));
    try {
      LOG.info("run finished as {} in Job {}", result.status(), job.getMetadata().getName());
      listener.onResult(runId, result);
      running.remove(runId);
      found.remove(runId);
      // A failed run's log says why; a run that worked says what it did in its result.
      Optional<String> pod = jobPods.stream().map(p -> p.getMetadata().getName()).max(String::compareTo);
      if (result.status() == RunResult.Status.FAILED && pod.isPresent()) {
        readLogTailLater(runId, pod.get());
      } else {
        tokens.remove(runId);
      }
    } catch (RuntimeException e) {
      // Not reported after all: the informer's next resync offers the finished Job again.
      delivered.remove(runId);
      LOG.error("recording the result of run {} failed; retrying at the next resync", runId, e);
    } finally {
      restoreMdc(previous);
    }
  }

  private void readLogTailLater(String runId, String pod) {
    try {
      logReads.execute(() -> {
        try {
          keepLogTail(runId, pod);
        } finally {
          tokens.remove(runId);
        }
      });
    } catch (RejectedExecutionException e) {
      tokens.remove(runId);
      LOG.debug("log reads are behind: the log tail of pod {} is not kept", pod);
    }
  }

  private void keepLogTail(String runId, String pod) {
    try {
      api.acquire();
      String log =
          client.pods().inNamespace(config.namespace()).withName(pod)
              .inContainer(JobRenderer.CONTAINER)
              .tailingLines(config.logTailLines())
              .getLog();
      if (log != null) {
        logTails.put(runId, scrub(runId, log));
      }
    } catch (KubernetesClientException e) {
      // The result is recorded already: say why its log is missing.
      LOG.warn("cannot read the log of pod {}: {}", pod, describe(e));
    }
  }

  private void deleteJob(String name) {
    try {
      api.acquire();
      client.batch().v1().jobs().inNamespace(config.namespace()).withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      // Left alone, the Job ends at its activeDeadlineSeconds; its run is already reported.
      LOG.warn("cannot delete Job {}: {}", name, describe(e));
    }
  }

  private List<Pod> podsOf(String jobName) {
    api.acquire();
    return client.pods().inNamespace(config.namespace()).withLabel("job-name", jobName).list().getItems();
  }

  private List<Pod> cachedPods(String jobName) {
    return pods.getIndexer().byIndex(JOB_NAME_INDEX, jobName);
  }

  private boolean claim(String runId) {
    return delivered.add(runId);
  }

  private String key(String name) {
    return config.namespace() + "/" + name;
  }

  private <T extends HasMetadata> ReducedStateItemStore<T> trimmed(Class<T> type, String... fields) {
    return new ReducedStateItemStore<>(
        ReducedStateItemStore.NAME_KEY_STATE, type, client.getKubernetesSerialization(), fields);
  }

  /** The runner container started, so the pod's volumes were there. */
  private static boolean started(Pod pod) {
    return runner(pod).map(ContainerStatus::getState)
        .filter(state -> state.getRunning() != null || state.getTerminated() != null)
        .isPresent();
  }

  /** The runner container ended: its termination message, if any, is in the pod. */
  private static boolean ended(Pod pod) {
    return runner(pod).map(ContainerStatus::getState).filter(state -> state.getTerminated() != null).isPresent();
  }

  private static Optional<ContainerStatus> runner(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(status -> JobRenderer.CONTAINER.equals(status.getName()))
        .findFirst();
  }

  private static Optional<String> jobNameOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Optional.empty() : Optional.ofNullable(labels.get("job-name"));
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  String scrub(String runId, String text) {
    String token = tokens.get(runId);
    String scrubbed = token == null || token.isEmpty() ? text : text.replace(token, "****");
    // Tokens the runner would never print, but a migration's own output might: masked by shape too.
    return TokenMask.mask(scrubbed);
  }

  private static String runId(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(JobRenderer.RUN_ID_ANNOTATION);
  }

  /** The API's own words, never the request body (which may hold a Secret). */
  private static String describe(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null
        ? e.getStatus().getMessage()
        : transportFailure(e);
    return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + message : message;
  }

  /**
   * What went wrong on the way to the API server when it gave no answer (a timeout, a refused
   * connection): the innermost cause's type and message, which name the failure and never a body.
   */
  private static String transportFailure(KubernetesClientException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root == e) {
      return e.getClass().getSimpleName();
    }
    return "no answer from the API server (" + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
  }

  private static void putMdc(String runId, String campaign, String repository) {
    MDC.put("run", runId);
    if (campaign != null) {
      MDC.put("campaign", campaign);
    }
    if (repository != null) {
      MDC.put("repo", repository);
    }
  }

  private static void restoreMdc(Map<String, String> previous) {
    if (previous == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(previous);
    }
  }

  private static <V> Map<String, V> bounded(int size) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > size;
      }
    };
  }

  private final class JobEvents implements ResourceEventHandler<Job> {
    @Override
    public void onAdd(Job job) {
      onJob(job);
    }

    @Override
    public void onUpdate(Job old, Job job) {
      onJob(job);
    }

    @Override
    public void onDelete(Job job, boolean deletedFinalStateUnknown) {
      onJobDeleted(job);
    }
  }

  private final class PodEvents implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      onPod(pod);
    }

    @Override
    public void onUpdate(Pod old, Pod pod) {
      onPod(pod);
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      // A pod going away says nothing new: the Job's conditions tell how the run ended.
    }
  }
}
