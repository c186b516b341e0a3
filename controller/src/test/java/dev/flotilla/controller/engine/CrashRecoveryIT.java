package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller runs as its own JVM and is killed with SIGKILL in the middle of a campaign, twice,
 * then restarted. The campaign must still converge with exactly one pull request per repository, no
 * changeset lost, and no pull request merged twice.
 */
class CrashRecoveryIT {

  static final int REPOS = 24;

  @TempDir Path tmp;
  Process controller;
  Path log;

  @AfterEach
  void stopController() throws Exception {
    if (controller != null && controller.isAlive()) {
      controller.destroy();
      controller.waitFor();
    }
  }

  @Test
  void convergesAfterKillNineWithNoDuplicateOrLostWork() throws Exception {
    Path forge = Files.createDirectories(tmp.resolve("forge"));
    Path campaigns = Files.createDirectories(tmp.resolve("campaigns"));
    Path data = tmp.resolve("data");
    TestForgeRepos repos = new TestForgeRepos(forge);
    for (int i = 0; i < REPOS; i++) {
      repos.create("acme", String.format("svc-%02d", i), "main",
          Map.of("pom.xml", EngineIT.OLD_POM, "ci.sh", EngineIT.GREEN_CI, ".flotilla.yaml", EngineIT.AUTOMERGE));
    }
    Files.writeString(campaigns.resolve("jackson.yaml"), """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: jackson}
        spec:
          migration: maven-dependency-version
          parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
          automerge: true
          limits: {concurrentRuns: 4}
        """);
    Map<String, String> env = Map.of(
        "FLOTILLA_LOCAL_FORGE_DIR", forge.toString(),
        "FLOTILLA_CAMPAIGNS_DIR", campaigns.toString(),
        "FLOTILLA_POLL_INTERVAL", "300ms",
        "FLOTILLA_DISCOVERY_INTERVAL", "5s",
        "FLOTILLA_DASHBOARD_PORT", "0",
        "FLOTILLA_LOCAL_CONCURRENCY", "2");

    log = tmp.resolve("run-1.log");
    controller = launch(data, env, log);
    killWhen(data, merged -> merged >= 2);
    log = tmp.resolve("run-2.log");
    controller = launch(data, env, log);
    killWhen(data, merged -> merged >= 10);
    log = tmp.resolve("run-3.log");
    controller = launch(data, env, log);

    await().atMost(Duration.ofMinutes(1)).until(() -> Database.attachEmbedded(data, 1).map(d -> {
      d.close();
      return true;
    }).orElse(false));
    try (Database db = Database.attachEmbedded(data, 2).orElseThrow()) {
      Jdbc jdbc = new Jdbc(db.dataSource());
      try {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> {
          if (!controller.isAlive()) {
            throw new AssertionError("the restarted controller exited with " + controller.exitValue() + "; the end of its log:\n"
                + tail(log));
          }
          return jdbc.count("SELECT count(*) FROM changeset WHERE state = 'MERGED'") == REPOS;
        });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("not converged; changesets by state: "
            + jdbc.query("SELECT state, count(*) FROM changeset GROUP BY state", rs -> rs.getString(1) + "=" + rs.getLong(2))
            + "; the end of the restarted controller's log:\n" + tail(log), e);
      }
      assertThat(jdbc.count("SELECT count(*) FROM changeset")).as("lost changesets").isEqualTo(REPOS);
      assertThat(jdbc.query("SELECT repository, count(*) FROM local_pull_request GROUP BY repository HAVING count(*) > 1",
          rs -> rs.getString(1))).as("repositories with more than one pull request").isEmpty();
      assertThat(jdbc.count("SELECT count(*) FROM local_pull_request WHERE state = 'MERGED'")).isEqualTo(REPOS);
    }
    for (int i = 0; i < REPOS; i++) {
      assertThat(mergeCommits(repos.bare("acme", String.format("svc-%02d", i)))).as("merge commits").isOne();
    }
  }

  /** Kills the controller with SIGKILL once the merged count passes the mark. */
  private void killWhen(Path data, java.util.function.LongPredicate mark) throws Exception {
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!controller.isAlive()) {
        throw new AssertionError("the controller exited early with " + controller.exitValue() + "; the end of its log:\n"
            + tail(log));
      }
      var db = Database.attachEmbedded(data, 1);
      if (db.isEmpty()) {
        return false;
      }
      try (Database attached = db.get()) {
        return mark.test(new Jdbc(attached.dataSource()).count("SELECT count(*) FROM changeset WHERE state = 'MERGED'"));
      } catch (RuntimeException e) {
        return false;
      }
    });
    controller.destroyForcibly();
    controller.waitFor();
  }

  private static String tail(Path file) throws java.io.IOException {
    // Discovery's periodic summary says nothing about a stuck run; leave it out of the tail.
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.contains("discovery on local")).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static long mergeCommits(Path bare) throws Exception {
    try (Git git = Git.open(bare.toFile())) {
      long n = 0;
      for (RevCommit c : git.log().add(git.getRepository().resolve("refs/heads/main")).call()) {
        if (c.getFullMessage().contains("Flotilla-Pull-Request:")) {
          n++;
        }
      }
      return n;
    }
  }

  private static Process launch(Path data, Map<String, String> env, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(
        java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.flotilla.controller.cli.FlotillaCli", "controller", "--data-dir", data.toString()));
    Map<String, String> environment = new HashMap<>(env);
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return builder.start();
  }

}
