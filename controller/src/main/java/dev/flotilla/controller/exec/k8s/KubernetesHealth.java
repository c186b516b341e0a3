package dev.flotilla.controller.exec.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the Kubernetes API answers the executor in its namespace, for {@code /readyz}: a controller
 * that cannot list its Jobs cannot start or follow runs.
 */
public final class KubernetesHealth {

  /** The answer: up, or down with a reason a person can act on. */
  public record Status(boolean up, String detail) {
    static Status up(String detail) {
      return new Status(true, detail);
    }

    static Status down(String detail) {
      return new Status(false, detail);
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final Duration timeout;

  public KubernetesHealth(KubernetesClient client, String namespace, Duration timeout) {
    this.client = client;
    this.namespace = namespace;
    this.timeout = timeout;
  }

  /** Lists the managed Jobs, which needs both a reachable API and the Role's list permission. */
  public Status check() {
    CompletableFuture<Integer> listing =
        CompletableFuture.supplyAsync(
            () ->
                client.batch().v1().jobs()
                    .inNamespace(namespace)
                    .withLabel(JobRenderer.MANAGED_BY_LABEL, JobRenderer.MANAGED_BY)
                    .list()
                    .getItems()
                    .size());
    try {
      int jobs = listing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return Status.up("Kubernetes API answers; " + jobs + " Flotilla Jobs in namespace " + namespace);
    } catch (TimeoutException e) {
      listing.cancel(true);
      return Status.down("Kubernetes API did not answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why =
          cause instanceof KubernetesClientException k && k.getCode() > 0
              ? "HTTP " + k.getCode() + (k.getStatus() != null ? " " + k.getStatus().getMessage() : "")
              : String.valueOf(cause.getMessage());
      return Status.down("cannot list Jobs in namespace " + namespace + ": " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.down("interrupted while asking the Kubernetes API");
    }
  }
}
