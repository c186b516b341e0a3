package dev.flotilla.controller.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.RunResult;
import dev.flotilla.runner.RunResult.Phase;
import dev.flotilla.runner.RunResult.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalExecutorTest {

  @TempDir Path work;

  private final Map<String, RunResult> results = new ConcurrentHashMap<>();

  @Test
  void endsARunThatThrowsAnErrorAsFailedAndDeletesItsFolder() {
    LocalExecutor.RunFunction exhausts =
        (request, dir) -> {
          writeInto(dir);
          throw new OutOfMemoryError("Java heap space");
        };

    try (LocalExecutor executor = start(exhausts, Duration.ofMinutes(30))) {
      executor.submit("run-1", request());

      await().atMost(Duration.ofSeconds(10)).until(() -> results.containsKey("run-1"));
      assertThat(results.get("run-1").status()).isEqualTo(Status.FAILED);
      assertThat(results.get("run-1").phase()).isEqualTo(Phase.EXECUTOR);
      assertThat(results.get("run-1").reason()).contains("OutOfMemoryError").contains("Java heap space");
      await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(work.resolve("run-1")));
      assertThat(executor.inFlight()).isZero();
    }
  }

  @Test
  void endsARunPastItsDeadlineAsFailedNamingTheSetting() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    LocalExecutor.RunFunction hangs =
        (request, dir) -> {
          writeInto(dir);
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return RunResult.noChange("too late");
        };

    try (LocalExecutor executor = start(hangs, Duration.ofSeconds(1))) {
      executor.submit("run-2", request());

      await().atMost(Duration.ofSeconds(10)).until(() -> results.containsKey("run-2"));
      RunResult result = results.get("run-2");
      assertThat(result.status()).isEqualTo(Status.FAILED);
      assertThat(result.phase()).isEqualTo(Phase.EXECUTOR);
      assertThat(result.reason()).isEqualTo("ran longer than 1s; raise FLOTILLA_RUNNER_DEADLINE or look at the log");
      await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(work.resolve("run-2")));
      // Interrupted, this run's thread ends; one that ignores interrupts would hold its slot.
      await().atMost(Duration.ofSeconds(10)).until(() -> executor.inFlight() == 0);
      assertThat(results.get("run-2")).isEqualTo(result);
    }
  }

  private LocalExecutor start(LocalExecutor.RunFunction runner, Duration deadline) {
    LocalExecutor executor = new LocalExecutor(runner, work, 2, deadline);
    executor.start(results::put);
    return executor;
  }

  private static void writeInto(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("big.txt"), "a work file\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static RunRequest request() {
    return new RunRequest(
        "bump", "acme/demo", "tidy", Map.of(), "file:///nowhere", "main", "flotilla/bump",
        new RunRequest.Author("Flotilla Bot", "bot@flotilla.test"), RunRequest.Credential.NONE, null);
  }
}
