package dev.flotilla.controller.exec.k8s;

import dev.flotilla.runner.RunJson;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunRequest.Credential;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import dev.flotilla.runner.jars.MigrationJars;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a run into the Kubernetes objects that carry it out: a Job with a hardened pod, and one
 * Secret holding the run's request and, when the run needs one, its git token. One Secret rather
 * than a ConfigMap beside it: each run costs two API requests, whatever it needs. Pure: the executor
 * creates what this returns, and {@code flotilla k8s render-job} prints it.
 */
public final class JobRenderer {

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "flotilla";
  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String RUNNER_NAME = "flotilla-runner";
  public static final String CAMPAIGN_LABEL = "flotilla.dev/campaign";
  public static final String CHANGESET_LABEL = "flotilla.dev/changeset";
  public static final String RUN_ID_ANNOTATION = "flotilla.dev/run-id";
  public static final String REPOSITORY_ANNOTATION = "flotilla.dev/repository";
  public static final String CAMPAIGN_ANNOTATION = "flotilla.dev/campaign";

  public static final String CONTAINER = "runner";
  public static final String REQUEST_FILE = "/etc/flotilla/request.json";
  public static final String TOKEN_FILE = "/var/run/flotilla/git/token";
  public static final String TERMINATION_LOG = "/dev/termination-log";
  public static final String WORK_DIR = "/work/repo";
  public static final long RUNNER_UID = 10001L;

  static final String REQUEST_KEY = "request.json";
  static final String TOKEN_KEY = "token";
  public static final String REDACTED = "<redacted>";

  /** Where the init container puts the fetched migration jars, and where the runner reads them. */
  static final String MIGRATIONS_DIR = "/opt/flotilla/migrations";

  private final KubernetesExecutorConfig config;
  private final RunnerMigrations migrations;

  public JobRenderer(KubernetesExecutorConfig config) {
    this(config, RunnerMigrations.NONE);
  }

  public JobRenderer(KubernetesExecutorConfig config, RunnerMigrations migrations) {
    this.config = config;
    this.migrations = migrations;
  }

  /**
   * The objects of one run: its Job and its Secret, which holds the request under {@value
   * #REQUEST_KEY} and the git token under {@value #TOKEN_KEY} when the run needs one.
   */
  public record RunObjects(Job job, Secret run) {

    /** The objects in the order to create them: the Job first, so the Secret can name it owner. */
    public List<HasMetadata> all() {
      return List.of(job, run);
    }

    /** The request the pod reads, as JSON. */
    public String request() {
      return run.getStringData().get(REQUEST_KEY);
    }

    /** Whether the run's Secret holds a git token. */
    public boolean hasToken() {
      return run.getStringData().containsKey(TOKEN_KEY);
    }
  }

  /**
   * The objects for {@code runId}. The request the pod reads points its credential at the mounted
   * Secret file; the token itself is only in the Secret.
   */
  public RunObjects render(String runId, RunRequest request, Optional<String> token) {
    String name = JobNames.jobName(request.campaign(), request.repository(), runId);
    Map<String, String> labels = labels(request);
    Map<String, String> annotations = annotations(runId, request);
    RunRequest mounted = token.isPresent() ? withMountedCredential(request) : request;
    SecretBuilder secret =
        new SecretBuilder()
            .withMetadata(meta(name, labels, annotations))
            .withType("Opaque")
            .withImmutable(true)
            .addToStringData(REQUEST_KEY, RunJson.writeRequest(mounted));
    token.ifPresent(value -> secret.addToStringData(TOKEN_KEY, value));
    String image = request.runnerImage() == null ? config.runnerImage() : request.runnerImage();
    return new RunObjects(job(name, labels, annotations, token.isPresent(), image), secret.build());
  }

  /** {@code object} owned by {@code job}, so Kubernetes deletes it with the Job. */
  public static <T extends HasMetadata> T ownedBy(T object, Job job) {
    object
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(false)
                    .build()));
    return object;
  }

  /**
   * A copy of {@code secret} for printing: every value replaced by {@code <redacted>} but the run's
   * request, which holds no secret (its credential names the token file, never the token).
   */
  public static Secret redacted(Secret secret) {
    Map<String, String> redacted = new LinkedHashMap<>();
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((key, value) -> redacted.put(key, REQUEST_KEY.equals(key) ? value : REDACTED));
    }
    if (secret.getData() != null) {
      secret.getData().keySet().forEach(key -> redacted.put(key, REDACTED));
    }
    return new SecretBuilder(secret).withData(null).withStringData(redacted).build();
  }

  private Map<String, String> labels(RunRequest request) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(NAME_LABEL, RUNNER_NAME);
    labels.put(CAMPAIGN_LABEL, JobNames.labelValue(request.campaign()));
    labels.put(CHANGESET_LABEL, JobNames.labelValue(request.campaign() + "." + request.repository()));
    return labels;
  }

  private static Map<String, String> annotations(String runId, RunRequest request) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(RUN_ID_ANNOTATION, runId);
    annotations.put(CAMPAIGN_ANNOTATION, request.campaign());
    annotations.put(REPOSITORY_ANNOTATION, request.repository());
    return annotations;
  }

  private ObjectMeta meta(String name, Map<String, String> labels, Map<String, String> annotations) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(config.namespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .build();
  }

  private static RunRequest withMountedCredential(RunRequest request) {
    return request.withCredential(Credential.file(TOKEN_FILE, request.credential().username()));
  }

  private Job job(String name, Map<String, String> labels, Map<String, String> annotations, boolean withToken, String image) {
    return new JobBuilder()
        .withMetadata(meta(name, labels, annotations))
        .withNewSpec()
        .withBackoffLimit(config.backoffLimit())
        .withActiveDeadlineSeconds(config.deadline().toSeconds())
        .withTtlSecondsAfterFinished((int) config.ttlAfterFinished().toSeconds())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(config.serviceAccountName())
        // The runner talks to git only; a Kubernetes API token would be a credential it never needs.
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withSecurityContext(
            new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUNNER_UID)
                .withRunAsGroup(RUNNER_UID)
                .withFsGroup(RUNNER_UID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .withInitContainers(migrations.any() ? List.of(fetchMigrations(image)) : null)
        .withContainers(container(name, withToken, image))
        .withVolumes(volumes(name, withToken))
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Container container(String name, boolean withToken, String image) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(mount("work", "/work", false));
    mounts.add(mount("tmp", "/tmp", false));
    mounts.add(mount("request", "/etc/flotilla", true));
    if (withToken) {
      mounts.add(mount("git-credential", "/var/run/flotilla/git", true));
    }
    List<EnvVar> env = new ArrayList<>();
    // The root filesystem is read-only: git and the JVM look for a home and a temp dir.
    env.add(new EnvVarBuilder().withName("HOME").withValue("/tmp").build());
    if (migrations.any()) {
      mounts.add(mount("migrations", MIGRATIONS_DIR, true));
      env.add(new EnvVarBuilder().withName(MigrationJars.DIR_ENV).withValue(MIGRATIONS_DIR).build());
    }
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy(config.imagePullPolicy())
        .withArgs("run", "--request", REQUEST_FILE, "--result", TERMINATION_LOG, "--work-dir", WORK_DIR)
        .withEnv(env)
        .withNewResources()
        .addToRequests("cpu", new Quantity(config.cpuRequest()))
        .addToRequests("memory", new Quantity(config.memoryRequest()))
        .addToLimits("cpu", new Quantity(config.cpuLimit()))
        .addToLimits("memory", new Quantity(config.memoryLimit()))
        .endResources()
        .withSecurityContext(
            new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUNNER_UID)
                .withRunAsGroup(RUNNER_UID)
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withVolumeMounts(mounts)
        .build();
  }

  /**
   * The init container that fetches {@link RunnerMigrations#artifacts()} into the {@code migrations}
   * volume. It holds the Maven repository's credentials (from their Secret) and no git token; the
   * runner holds the git token and no repository credentials.
   */
  private Container fetchMigrations(String image) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVarBuilder().withName("HOME").withValue("/tmp").build());
    env.add(new EnvVarBuilder().withName(MigrationJars.ARTIFACTS_ENV).withValue(String.join(",", migrations.artifacts())).build());
    env.add(new EnvVarBuilder().withName(MigrationJars.REPOSITORY_URL_ENV).withValue(migrations.repositoryUrl()).build());
    env.add(new EnvVarBuilder().withName(MigrationJars.CACHE_ENV).withValue("/tmp/maven").build());
    if (migrations.credentialsSecret() != null) {
      env.add(fromSecret(MigrationJars.REPOSITORY_USERNAME_ENV, migrations.credentialsSecret(), "username"));
      env.add(fromSecret(MigrationJars.REPOSITORY_PASSWORD_ENV, migrations.credentialsSecret(), "password"));
    }
    Container runner = container("fetch", false, image);
    return new ContainerBuilder(runner)
        .withName("fetch-migrations")
        .withArgs("fetch-migrations", "--into", "/migrations")
        .withEnv(env)
        .withVolumeMounts(mount("tmp", "/tmp", false), mount("migrations", "/migrations", false))
        .withTerminationMessagePath(null)
        .withTerminationMessagePolicy(null)
        .build();
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly).build();
  }

  private List<Volume> volumes(String name, boolean withToken) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("work").withNewEmptyDir().endEmptyDir().build());
    if (migrations.any()) {
      volumes.add(new VolumeBuilder().withName("migrations").withNewEmptyDir().endEmptyDir().build());
    }
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    volumes.add(
        new VolumeBuilder()
            .withName("request")
            .withNewSecret()
            .withSecretName(name)
            .addNewItem()
            .withKey(REQUEST_KEY)
            .withPath(REQUEST_KEY)
            .endItem()
            // Readable by the runner's group only, like the token beside it in the Secret.
            .withDefaultMode(0440)
            .endSecret()
            .build());
    if (withToken) {
      volumes.add(
          new VolumeBuilder()
              .withName("git-credential")
              .withNewSecret()
              .withSecretName(name)
              .addNewItem()
              .withKey(TOKEN_KEY)
              .withPath(TOKEN_KEY)
              .endItem()
              // Owner and group read only; the pod's fsGroup makes the group the runner's.
              .withDefaultMode(0440)
              .endSecret()
              .build());
    }
    return volumes;
  }
}
