package dev.flotilla.controller.campaign.k8s;

import dev.flotilla.controller.campaign.k8s.CampaignStatusBuilder.Problem;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.exec.k8s.KubernetesExecutor.Permission;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.CampaignStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store in step with the Campaign resources of one namespace, and their status in step
 * with the store. An informer reports every change; every resource is also reconciled again at each
 * status interval, so a missed event or a restart changes nothing. All work happens on one thread.
 *
 * <p>For each resource: a finalizer is added, so that deleting it cancels the campaign (closing its
 * pull requests when {@code spec.cancelPolicy: closePullRequests}); the spec is read by {@link
 * CampaignParser}, exactly as a file, and applied when it differs from the stored one; {@code
 * spec.paused} pauses and resumes; the status subresource is written only when it changed, and
 * again on a 409 conflict from the latest version.
 */
public final class CampaignResourceOperator implements AutoCloseable {

  public static final String FINALIZER = "flotilla.dev/cancel-campaign";

  /**
   * What this class calls: the informer lists and watches, the finalizer is added and removed by
   * get-and-patch, the status is replaced through its subresource (and the latest version read
   * again on a conflict). Setting finalizers also needs {@code campaigns/finalizers} where the API
   * server enforces owner-reference permissions (OpenShift).
   */
  public static final List<Permission> REQUIRED_PERMISSIONS =
      List.of(
          new Permission(CampaignResource.GROUP, "campaigns", List.of("get", "list", "watch", "patch")),
          new Permission(CampaignResource.GROUP, "campaigns/status", List.of("update")),
          new Permission(CampaignResource.GROUP, "campaigns/finalizers", List.of("update")));
  /** The actor in the audit log and the pause reason for what this class does. */
  public static final String ACTOR = "kubernetes";

  static final ResourceDefinitionContext CAMPAIGNS = new ResourceDefinitionContext.Builder()
      .withGroup(CampaignResource.GROUP)
      .withVersion(CampaignResource.VERSION)
      .withKind("Campaign")
      .withPlural("campaigns")
      .withNamespaced(true)
      .build();

  private static final Logger LOG = LoggerFactory.getLogger(CampaignResourceOperator.class);
  private static final Pattern AT_LINE = Pattern.compile(" at line \\d+");
  private static final int CONFLICT_RETRIES = 5;
  private static final long RESYNC_MILLIS = 5 * 60 * 1000L;

  private final KubernetesClient client;
  private final String namespace;
  private final Controller controller;
  private final Map<String, String> definedElsewhere;
  private final Duration interval;
  private final ScheduledExecutorService worker;
  private SharedIndexInformer<GenericKubernetesResource> informer;

  /**
   * @param definedElsewhere campaigns defined outside the cluster (name to where, such as the
   *     campaigns folder): a resource of the same name is refused with a message naming both
   * @param interval how often every resource is reconciled again and its status refreshed
   */
  public CampaignResourceOperator(
      KubernetesClient client, String namespace, Controller controller, Map<String, String> definedElsewhere, Duration interval) {
    this.client = client;
    this.namespace = namespace;
    this.controller = controller;
    this.definedElsewhere = Map.copyOf(definedElsewhere);
    this.interval = interval;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "campaign-resources");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts watching; returns once the informer holds every existing resource. */
  public CampaignResourceOperator start() {
    informer = client.genericKubernetesResources(CAMPAIGNS).inNamespace(namespace)
        .inform(new Events(), RESYNC_MILLIS);
    worker.scheduleWithFixedDelay(this::reconcileAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("watching Campaign resources in namespace {}", namespace);
    return this;
  }

  /** Whether the watch is open, so a change made now reaches this operator as an event. */
  public boolean isWatching() {
    return informer != null && informer.isWatching();
  }

  /** The names of the Campaign resources the informer holds. */
  public Set<String> names() {
    return informer.getStore().list().stream().map(r -> r.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  /** How this class names a resource as the source of a campaign. */
  public static String sourceOf(String namespace, String name) {
    return "Campaign " + namespace + "/" + name;
  }

  private void reconcileAll() {
    try {
      for (GenericKubernetesResource resource : informer.getStore().list()) {
        reconcileSafely(resource);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not reconcile Campaign resources: {}", e.getMessage(), e);
    }
  }

  private void reconcileSafely(GenericKubernetesResource resource) {
    try {
      reconcile(resource);
    } catch (RuntimeException e) {
      // One resource's trouble must not stop the others; the next round tries again.
      LOG.warn("could not reconcile {}: {}", sourceOf(namespace, resource.getMetadata().getName()), e.getMessage(), e);
    }
  }

  private void reconcile(GenericKubernetesResource resource) {
    String name = resource.getMetadata().getName();
    if (resource.getMetadata().getDeletionTimestamp() != null) {
      if (resource.getFinalizers().contains(FINALIZER)) {
        cancel(name, resource);
        removeFinalizer(name);
      }
      return;
    }
    if (!resource.getFinalizers().contains(FINALIZER)) {
      addFinalizer(name);
    }
    Optional<Problem> problem = apply(name, resource);
    writeStatus(name, resource, problem);
  }

  /** Reads the spec as a file would be read and applies it; returns why not, if it was not. */
  private Optional<Problem> apply(String name, GenericKubernetesResource resource) {
    String where = definedElsewhere.get(name);
    String source = sourceOf(namespace, name);
    if (where != null) {
      return Optional.of(new Problem("DefinedTwice", "campaign '" + name + "' is defined both in " + where + " and as "
          + source + "; keep one of the two"));
    }
    CampaignSpec spec;
    try {
      spec = CampaignParser.parse(asFile(name, resource), source, controller.fleet().migrations());
    } catch (ConfigException e) {
      String messages = e.problems().stream().map(p -> AT_LINE.matcher(p.message()).replaceAll(""))
          .collect(Collectors.joining("\n"));
      return Optional.of(new Problem("InvalidSpec", messages));
    }
    Optional<Campaign> stored = controller.fleet().campaigns().byName(name);
    Optional<String> storedSource = controller.fleet().campaigns().source(name);
    if (stored.isEmpty() || !stored.get().spec().equals(spec) || !storedSource.orElse("").equals(source)) {
      boolean created = controller.applyCampaign(spec, source, ACTOR);
      LOG.info("{} {}", source, created ? "created its campaign" : "updated its campaign");
      stored = controller.fleet().campaigns().byName(name);
    }
    followPaused(name, spec, stored.orElseThrow());
    return Optional.empty();
  }

  private void followPaused(String name, CampaignSpec spec, Campaign stored) {
    if (spec.paused() && stored.status() == CampaignStatus.ACTIVE) {
      controller.pause(name, ACTOR);
    } else if (!spec.paused() && stored.status() == CampaignStatus.PAUSED && ("paused by " + ACTOR).equals(stored.statusReason())) {
      // Only a pause this resource asked for is lifted by it; a person's pause stays.
      controller.resume(name, ACTOR);
    }
  }

  /** The resource as the campaign file it stands for, so that it is read by the same parser. */
  private String asFile(String name, GenericKubernetesResource resource) {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("apiVersion", resource.getApiVersion());
    file.put("kind", resource.getKind());
    file.put("metadata", Map.of("name", name));
    file.put("spec", resource.getAdditionalProperties().get("spec"));
    return client.getKubernetesSerialization().asYaml(file);
  }

  private void cancel(String name, GenericKubernetesResource resource) {
    if (!(sourceOf(namespace, name).equals(controller.fleet().campaigns().source(name).orElse(null)))) {
      return;
    }
    boolean close = closesPullRequests(resource);
    // Safe to repeat (the finalizer, a resync and the delete event may each get here): a second
    // cancel moves nothing and finds no pull request left open.
    if (controller.cancel(name, close, ACTOR)) {
      LOG.info("{} deleted: campaign cancelled{}", sourceOf(namespace, name), close ? ", open pull requests closed" : "");
    }
  }

  @SuppressWarnings("unchecked")
  private static boolean closesPullRequests(GenericKubernetesResource resource) {
    Object spec = resource.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> map
        && CampaignSpec.CancelPolicy.CLOSE_PULL_REQUESTS.written().equals(((Map<String, Object>) map).get("cancelPolicy"));
  }

  private void addFinalizer(String name) {
    client.genericKubernetesResources(CAMPAIGNS).inNamespace(namespace).withName(name).edit(r -> {
      if (!r.getFinalizers().contains(FINALIZER)) {
        r.getMetadata().getFinalizers().add(FINALIZER);
      }
      return r;
    });
  }

  private void removeFinalizer(String name) {
    try {
      client.genericKubernetesResources(CAMPAIGNS).inNamespace(namespace).withName(name).edit(r -> {
        r.getMetadata().getFinalizers().remove(FINALIZER);
        return r;
      });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void writeStatus(String name, GenericKubernetesResource resource, Optional<Problem> problem) {
    var store = controller.fleet();
    CampaignResourceStatus current = statusOf(resource);
    CampaignResourceStatus next = CampaignStatusBuilder.build(
        problem.isPresent() && definedElsewhere.containsKey(name) ? Optional.empty() : store.campaigns().byName(name),
        store.changesets().countByState(name), problem, resource.getMetadata().getGeneration(), current, store.clock().instant());
    if (!CampaignStatusBuilder.changes(current, next)) {
      return;
    }
    GenericKubernetesResource target = resource;
    for (int attempt = 1; ; attempt++) {
      try {
        target.getAdditionalProperties().put("status", client.getKubernetesSerialization().convertValue(next, Map.class));
        client.genericKubernetesResources(CAMPAIGNS).inNamespace(namespace).resource(target).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == CONFLICT_RETRIES) {
          throw e;
        }
        // Someone else wrote the resource meanwhile: write the same status over their version.
        target = client.genericKubernetesResources(CAMPAIGNS).inNamespace(namespace).withName(name).get();
        if (target == null) {
          return;
        }
      }
    }
  }

  private CampaignResourceStatus statusOf(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    return status == null ? null : client.getKubernetesSerialization().convertValue(status, CampaignResourceStatus.class);
  }

  @Override
  public void close() {
    worker.shutdownNow();
    if (informer != null) {
      informer.close();
    }
  }

  /** Hands every event to the worker thread, so reconciling never runs twice at once. */
  private final class Events implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource resource) {
      worker.execute(() -> reconcileSafely(resource));
    }

    @Override
    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
      worker.execute(() -> reconcileSafely(after));
    }

    @Override
    public void onDelete(GenericKubernetesResource resource, boolean deletedFinalStateUnknown) {
      // Normally the finalizer has cancelled already; this covers a finalizer removed by hand.
      worker.execute(() -> {
        try {
          cancel(resource.getMetadata().getName(), resource);
        } catch (RuntimeException e) {
          LOG.warn("could not cancel the campaign of deleted {}: {}", sourceOf(namespace, resource.getMetadata().getName()), e.getMessage(), e);
        }
      });
    }
  }
}
