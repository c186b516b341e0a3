package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient
class KubernetesHealthIT {

  private static final String JOBS = "/apis/batch/v1/namespaces/flotilla/jobs?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dflotilla";

  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void isUpWhenTheApiListsTheJobs() {
    server.expect().get().withPath(JOBS).andReturn(200, "{\"kind\":\"JobList\",\"apiVersion\":\"batch/v1\",\"items\":[]}").once();

    KubernetesHealth.Status status = new KubernetesHealth(client, "flotilla", Duration.ofSeconds(5)).check();

    assertThat(status.up()).isTrue();
    assertThat(status.detail()).contains("0 Flotilla Jobs in namespace flotilla");
  }

  @Test
  void isDownAndSaysWhyWhenTheRoleForbidsListing() {
    server.expect().get().withPath(JOBS)
        .andReturn(403, new StatusBuilder().withCode(403).withMessage("jobs.batch is forbidden").build())
        .once();

    KubernetesHealth.Status status = new KubernetesHealth(client, "flotilla", Duration.ofSeconds(5)).check();

    assertThat(status.up()).isFalse();
    assertThat(status.detail()).contains("HTTP 403").contains("namespace flotilla");
  }

  @Test
  void isDownWhenTheApiDoesNotAnswerInTime() {
    server.expect().get().delay(3, TimeUnit.SECONDS).withPath(JOBS)
        .andReturn(200, "{\"kind\":\"JobList\",\"apiVersion\":\"batch/v1\",\"items\":[]}")
        .once();

    KubernetesHealth.Status status = new KubernetesHealth(client, "flotilla", Duration.ofMillis(300)).check();

    assertThat(status.up()).isFalse();
    assertThat(status.detail()).contains("did not answer within 300 ms");
  }
}
