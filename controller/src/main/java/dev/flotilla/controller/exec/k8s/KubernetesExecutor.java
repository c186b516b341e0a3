package dev.flotilla.controller.exec.k8s;

import dev.flotilla.TokenMask;
import dev.flotilla.controller.exec.Executor;
import dev.flotilla.controller.exec.RunListener;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
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
          new Permission("", "secrets", List.of("create")),
          new Permission("", "configmaps", List.of("create")));

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesExecutor.class);
  private static final long RESYNC_MILLIS = 5 * 60 * 1000L;
  private static final int KEPT_LOG_TAILS = 500;
  private static final int KEPT_DELIVERED = 100_000;

  private final KubernetesClient client;
  private final KubernetesExecutorConfig config;
  private final CredentialSource credentials;
  private final JobRenderer renderer;
  private final JobOutcome outcomes;
  /** Run id → Job name, for runs submitted or adopted and not yet reported. */
  private final Map<String, String> running = new ConcurrentHashMap<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Set<String> delivered = Collections.synchronizedSet(Collections.newSetFromMap(bounded(KEPT_DELIVERED)));
  private final Map<String, String> logTails = Collections.synchronizedMap(bounded(KEPT_LOG_TAILS));
  private volatile RunListener listener;
  private volatile SharedIndexInformer<Job> jobs;
  private volatile SharedIndexInformer<Pod> pods;

  public KubernetesExecutor(
      KubernetesClient client, KubernetesExecutorConfig config, CredentialSource credentials) {
    this.client = client;
    this.config = config;
    this.credentials = credentials;
    this.renderer = new JobRenderer(config);
    this.outcomes = new JobOutcome(config);
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
      jobs =
          client.batch().v1().jobs()
              .inNamespace(config.namespace())
              .withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY)
              .inform(new JobEvents(), RESYNC_MILLIS);
      pods =
          client.pods()
              .inNamespace(config.namespace())
              .withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY)
              .inform(new PodEvents(), RESYNC_MILLIS);
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
   * Creates the run's Job, Secret and request ConfigMap, or adopts the Job when it exists already.
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
      create(runId, renderer.render(runId, request, token));
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

  /** Runs submitted or adopted and not yet reported. */
  @Override
  public int inFlight() {
    return running.size();
  }

  /** The last lines of a finished run's pod log, token masked, while the executor remembers it. */
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
  }

  /** Claims a slot under the global cap, counting unfinished Jobs other replicas started too. */
  private synchronized boolean reserve(String runId, String name) {
    if (running.containsKey(runId)) {
      return false;
    }
    Set<String> active = new HashSet<>(running.values());
    jobs.getStore().list().stream()
        .filter(job -> !JobOutcome.finished(job))
        .forEach(job -> active.add(job.getMetadata().getName()));
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
    try {
      // The pod waits for these volumes, so they may follow the Job; they go when the Job goes.
      objects.credential().ifPresent(secret -> createIfAbsent(JobRenderer.ownedBy(secret, job)));
      createIfAbsent(JobRenderer.ownedBy(objects.request(), job));
    } catch (KubernetesClientException e) {
      // A Job whose volumes never come would wait until its deadline: remove it now.
      deleteJob(job.getMetadata().getName());
      throw new KubernetesExecutorException(
          "cannot create the Secret or ConfigMap of Job " + job.getMetadata().getName() + " for run "
              + runId + ": " + describe(e) + "; check the controller's Role in namespace "
              + config.namespace(),
          e);
    }
  }

  private Job createOrAdopt(Job job) {
    String name = job.getMetadata().getName();
    try {
      Job created = client.batch().v1().jobs().inNamespace(config.namespace()).resource(job).create();
      LOG.info("created Job {}", name);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw new KubernetesExecutorException(
            "cannot create Job " + name + " in namespace " + config.namespace() + ": " + describe(e), e);
      }
    }
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
    if (!JobOutcome.finished(job)) {
      running.putIfAbsent(runId, job.getMetadata().getName());
      return;
    }
    List<Pod> jobPods = podsOf(job.getMetadata().getName());
    outcomes.of(job, jobPods).ifPresent(result -> deliver(runId, job, jobPods, result));
  }

  private void onPod(Pod pod) {
    String runId = runId(pod);
    String jobName = pod.getMetadata().getLabels().get("job-name");
    if (runId == null || jobName == null || delivered.contains(runId)) {
      return;
    }
    Optional<RunResult> pullFailure = outcomes.imagePullFailure(pod);
    if (pullFailure.isEmpty()) {
      return;
    }
    Job job = jobs.getStore().getByKey(config.namespace() + "/" + jobName);
    if (job != null) {
      deliver(runId, job, List.of(), pullFailure.get());
      // Kubernetes would retry the pull until the deadline; the result is known, so stop it now.
      deleteJob(jobName);
    }
  }

  private void onJobDeleted(Job job) {
    String runId = runId(job);
    if (runId != null && running.containsKey(runId) && !delivered.contains(runId)) {
      deliver(
          runId,
          job,
          List.of(),
          RunResult.failed(
              RunResult.Phase.EXECUTOR,
              "Job " + job.getMetadata().getName() + " was deleted before it finished"));
    }
  }

  private void deliver(String runId, Job job, List<Pod> jobPods, RunResult result) {
    if (!delivered.add(runId)) {
      return;
    }
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    Map<String, String> previous = MDC.getCopyOfContextMap();
    putMdc(runId, annotations.get(JobRenderer.CAMPAIGN_ANNOTATION), annotations.get(JobRenderer.REPOSITORY_ANNOTATION));
    try {
      jobPods.stream()
          .map(pod -> pod.getMetadata().getName())
          .max(String::compareTo)
          .ifPresent(pod -> keepLogTail(runId, pod));
      LOG.info("run finished as {} in Job {}", result.status(), job.getMetadata().getName());
      listener.onResult(runId, result);
      running.remove(runId);
      tokens.remove(runId);
    } catch (RuntimeException e) {
      // Not reported after all: the informer's next resync offers the finished Job again.
      delivered.remove(runId);
      LOG.error("recording the result of run {} failed; retrying at the next resync", runId, e);
      throw e;
    } finally {
      restoreMdc(previous);
    }
  }

  private void keepLogTail(String runId, String pod) {
    try {
      String log =
          client.pods().inNamespace(config.namespace()).withName(pod)
              .inContainer(JobRenderer.CONTAINER)
              .tailingLines(config.logTailLines())
              .getLog();
      if (log != null) {
        logTails.put(runId, scrub(runId, log));
      }
    } catch (KubernetesClientException e) {
      // The result matters more than its log: report the run and say why the log is missing.
      LOG.warn("cannot read the log of pod {}: {}", pod, describe(e));
    }
  }

  private void deleteJob(String name) {
    try {
      client.batch().v1().jobs().inNamespace(config.namespace()).withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      // Left alone, the Job ends at its activeDeadlineSeconds; its run is already reported.
      LOG.warn("cannot delete Job {}: {}", name, describe(e));
    }
  }

  private List<Pod> podsOf(String jobName) {
    return client.pods().inNamespace(config.namespace()).withLabel("job-name", jobName).list().getItems();
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
        : e.getClass().getSimpleName();
    return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + message : message;
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
