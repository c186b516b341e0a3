package dev.flotilla.controller.forge.local;

import static dev.flotilla.controller.forge.local.Fixtures.bareRepo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.TestPostgres;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCiIT {

  @TempDir static Path dataDir;
  static Database db;

  @TempDir Path root;
  @TempDir Path scratch;
  LocalCi ci;
  LocalForge forge;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 4);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void createForge() throws Exception {
    Fixtures.clearTables(db);
    useCi(new LocalCi.Settings("./ci.sh", Duration.ofSeconds(20), 2));
  }

  void useCi(LocalCi.Settings settings) {
    if (ci != null) {
      ci.close();
    }
    ci = new LocalCi(db.dataSource(), settings);
    forge = new LocalForge(root, db.dataSource(), ci, "http://localhost:8080");
  }

  @AfterEach
  void stopCi() {
    ci.close();
  }

  @Test
  void aPassingScriptMakesTheCheckGreenWithItsOutputAndLeavesNoCheckoutBehind() throws Exception {
    RepositoryRef ref = repo("green", """
        #!/bin/sh
        echo "checkout at $(pwd)"
        grep -q '<project>' pom.xml && echo "pom.xml looks fine"
        """);
    String sha = Fixtures.head(root.resolve("acme/green.git"), "main");

    assertThat(forge.ciStatus(ref, sha).state()).isEqualTo(CiStatus.State.PENDING);
    CiStatus done = awaitDone(ref, sha);

    assertThat(done.state()).isEqualTo(CiStatus.State.SUCCESS);
    assertThat(done.checks()).singleElement().satisfies(check -> {
      assertThat(check.name()).isEqualTo("ci");
      assertThat(check.summary()).contains("pom.xml looks fine");
    });
    String checkout = done.checks().get(0).summary().lines().findFirst().orElseThrow().replace("checkout at ", "");
    assertThat(Path.of(checkout)).doesNotExist();
    assertThat(stateInTable(ref, sha)).isEqualTo("SUCCESS");
  }

  @Test
  void aFailingScriptFailsTheCheckWithTheLastLinesOfOutput() throws Exception {
    StringBuilder script = new StringBuilder("#!/bin/sh\n");
    for (int i = 1; i <= 30; i++) {
      script.append("echo line ").append(i).append('\n');
    }
    script.append("echo 'ERROR: tests failed: PaymentServiceTest.refundsTwice' >&2\nexit 1\n");
    RepositoryRef ref = repo("red", script.toString());
    String sha = Fixtures.head(root.resolve("acme/red.git"), "main");

    forge.ciStatus(ref, sha);
    CiStatus done = awaitDone(ref, sha);

    assertThat(done.state()).isEqualTo(CiStatus.State.FAILURE);
    String summary = done.checks().get(0).summary();
    assertThat(summary).startsWith("exited with 1").contains("PaymentServiceTest.refundsTwice").contains("line 30")
        .doesNotContain("line 5\n");
    assertThat(summary.lines()).hasSizeLessThanOrEqualTo(LocalCi.SUMMARY_LINES + 1);
  }

  @Test
  void aScriptThatRunsTooLongIsKilledAndFails() throws Exception {
    useCi(new LocalCi.Settings("./ci.sh", Duration.ofSeconds(1), 1));
    Path marker = scratch.resolve("still-running");
    RepositoryRef ref = repo("slow", """
        #!/bin/sh
        echo started
        (sleep 4; touch %s) &
        sleep 30
        """.formatted(marker));
    String sha = Fixtures.head(root.resolve("acme/slow.git"), "main");

    forge.ciStatus(ref, sha);
    CiStatus done = awaitDone(ref, sha);

    assertThat(done.state()).isEqualTo(CiStatus.State.FAILURE);
    assertThat(done.checks().get(0).summary()).startsWith("timed out after 1s").contains("started");
    // The background child was killed with its parent, so it never gets to leave its mark.
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).untilAsserted(
        () -> assertThat(marker).doesNotExist());
  }

  @Test
  void aRepositoryWithoutTheScriptHasNoChecks() throws Exception {
    bareRepo(root, "acme", "plain", "main", Map.of("pom.xml", "<project/>"));
    RepositoryRef ref = forge.listRepositories().get(0);
    String sha = Fixtures.head(root.resolve("acme/plain.git"), "main");

    assertThat(forge.ciStatus(ref, sha)).isEqualTo(CiStatus.none());
    assertThat(stateInTable(ref, sha)).isNull();
  }

  @Test
  void aShellCommandLineRunsWithTheShell() throws Exception {
    useCi(new LocalCi.Settings("test -f pom.xml && echo found the pom", Duration.ofSeconds(20), 1));
    bareRepo(root, "acme", "plain", "main", Map.of("pom.xml", "<project/>"));
    RepositoryRef ref = forge.listRepositories().get(0);
    String sha = Fixtures.head(root.resolve("acme/plain.git"), "main");

    forge.ciStatus(ref, sha);

    assertThat(awaitDone(ref, sha).checks().get(0).summary()).isEqualTo("found the pom");
  }

  @Test
  void aCommandWithoutASlashIsAShellCommandNotAFile() throws Exception {
    useCi(new LocalCi.Settings("true", Duration.ofSeconds(20), 1));
    bareRepo(root, "acme", "plain", "main", Map.of("pom.xml", "<project/>"));
    RepositoryRef ref = forge.listRepositories().get(0);
    String sha = Fixtures.head(root.resolve("acme/plain.git"), "main");

    forge.ciStatus(ref, sha);

    assertThat(awaitDone(ref, sha).state()).isEqualTo(CiStatus.State.SUCCESS);
  }

  @Test
  void aCheckIsRunOnceNoMatterHowOftenItIsAskedFor() throws Exception {
    Path runs = scratch.resolve("runs");
    RepositoryRef ref = repo("counted", "#!/bin/sh\necho run >> %s\n".formatted(runs));
    String sha = Fixtures.head(root.resolve("acme/counted.git"), "main");

    for (int i = 0; i < 5; i++) {
      forge.ciStatus(ref, sha);
    }
    awaitDone(ref, sha);
    forge.ciStatus(ref, sha);

    assertThat(Files.readAllLines(runs)).hasSize(1);
  }

  @Test
  void aCheckLeftPendingByACrashIsRunAgain() throws Exception {
    RepositoryRef ref = repo("orphan", "#!/bin/sh\necho fine\n");
    String sha = Fixtures.head(root.resolve("acme/orphan.git"), "main");
    try (var c = db.dataSource().getConnection()) {
      c.createStatement().execute(
          "INSERT INTO local_check (repository, sha, name, state, summary, updated_at)"
              + " VALUES ('acme/orphan', '" + sha + "', 'ci', 'PENDING', 'queued', now())");
    }

    assertThat(forge.ciStatus(ref, sha).state()).isEqualTo(CiStatus.State.PENDING);

    assertThat(awaitDone(ref, sha).state()).isEqualTo(CiStatus.State.SUCCESS);
  }

  /**
   * The store is unreachable at the moment CI finishes: that is no verdict on the commit. The check
   * stays pending and runs again once asked; it never becomes "CI could not run: store operation failed".
   */
  @Test
  void aStoreOutageWhenCiFinishesIsNoVerdict() throws Exception {
    Path started = scratch.resolve("started");
    Path gate = scratch.resolve("gate");
    AtomicInteger outages = new AtomicInteger();
    DataSource real = db.dataSource();
    DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && outages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLTransientConnectionException("flotilla - Connection is not available, request timed out after 30000ms");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    ci.close();
    ci = new LocalCi(flaky, new LocalCi.Settings("./ci.sh", Duration.ofSeconds(20), 1));
    forge = new LocalForge(root, real, ci, "http://localhost:8080");
    RepositoryRef ref = repo("outage", """
        #!/bin/sh
        touch %s
        while [ ! -f %s ]; do sleep 0.1; done
        echo fine
        """.formatted(started, gate));
    String sha = Fixtures.head(root.resolve("acme/outage.git"), "main");
    assertThat(forge.ciStatus(ref, sha).state()).isEqualTo(CiStatus.State.PENDING);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(started));

    outages.set(1);
    Files.writeString(gate, "go");
    await().atMost(Duration.ofSeconds(30)).until(() -> outages.get() == 0);

    CiStatus done = awaitDone(ref, sha);
    assertThat(done.state()).isEqualTo(CiStatus.State.SUCCESS);
    assertThat(done.checks().get(0).summary()).doesNotContain("could not run");
  }

  RepositoryRef repo(String name, String script) throws Exception {
    bareRepo(root, "acme", name, "main", Map.of("pom.xml", "<project>\n</project>\n", "ci.sh", script));
    return forge.listRepositories().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  CiStatus awaitDone(RepositoryRef ref, String sha) {
    return await().atMost(Duration.ofSeconds(60)).until(
        () -> forge.ciStatus(ref, sha), status -> status.state() != CiStatus.State.PENDING);
  }

  String stateInTable(RepositoryRef ref, String sha) throws Exception {
    try (var c = db.dataSource().getConnection();
        var ps = c.prepareStatement("SELECT state FROM local_check WHERE repository = ? AND sha = ?")) {
      ps.setString(1, ref.fullName());
      ps.setString(2, sha);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
