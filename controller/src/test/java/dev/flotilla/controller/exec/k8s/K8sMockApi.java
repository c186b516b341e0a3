package dev.flotilla.controller.exec.k8s;

import dev.flotilla.runner.RunResult;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The fabric8 mock API server (CRUD mode) and the test kubelet in a JVM of their own, so that a
 * benchmark's controller JVM holds only the controller's objects. Prints its URL after
 * {@link #URL_PREFIX} on standard output and stops when standard input closes (its parent is gone).
 *
 * <p>{@code K8sMockApi NAMESPACE TIMES_FILE HOLD_FROM HOLD_COUNT}: repositories named
 * {@code bench/repo-NNNNN} with NNNNN from HOLD_FROM, HOLD_COUNT of them, are held running; every other run ends at once with NO_CHANGE, and
 * the kubelet appends {@code repository epochMillis} to TIMES_FILE when it finishes the run.
 */
public final class K8sMockApi {

  /** Starts the line that carries the URL: logging may print other lines first. */
  static final String URL_PREFIX = "k8s-mock-api: ";

  private K8sMockApi() {}

  public static void main(String[] args) throws Exception {
    String namespace = args[0];
    Path times = Path.of(args[1]);
    int holdFrom = Integer.parseInt(args[2]);
    int holdCount = Integer.parseInt(args[3]);
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    java.util.logging.LogManager.getLogManager().reset();
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    // On a loaded machine the default 10 s request timeout loses a kubelet write, and its run with it.
    try (KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(server.createClient().getConfiguration()).withRequestTimeout(120_000).build())
            .build();
        BufferedWriter out = Files.newBufferedWriter(times, StandardCharsets.UTF_8)) {
      TestKubelet kubelet = new TestKubelet(client, namespace, (request, dir) -> {
        finished(out, request.repository());
        return RunResult.noChange("bench: nothing to change");
      }, Files.createTempDirectory("k8s-mock-api-pods"));
      kubelet.start();
      for (int i = holdFrom; i < holdFrom + holdCount; i++) {
        kubelet.behave(String.format("bench/repo-%05d", i), TestKubelet.Behaviour.HOLD);
      }
      System.out.println(URL_PREFIX + client.getMasterUrl());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Runs until the parent closes the pipe.
      }
      kubelet.close();
    } finally {
      server.destroy();
    }
    System.exit(0);
  }

  private static void finished(BufferedWriter out, String repository) {
    synchronized (out) {
      try {
        out.write(repository + " " + System.currentTimeMillis() + "\n");
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
