package dev.flotilla.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.engine.CampaignReport;
import dev.flotilla.controller.runtime.FlotillaServer;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.migration.Migration;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The five minutes of docs/write-a-migration.md, as a newcomer types them: a new migration project,
 * its Maven build (offline, from the local repository the Flotilla build filled), the jar in
 * FLOTILLA_MIGRATIONS_DIR, the local engine on the demo fleet, a campaign applied with the CLI, and
 * merged pull requests.
 */
class NewMigrationProjectIT {

  private static final Path FLOTILLA_ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String VERSION = "0.1.0-SNAPSHOT";

  @TempDir Path tmp;

  /** The private local repository: links into the build's own, removed (never followed) afterwards. */
  private Path repository;

  @org.junit.jupiter.api.AfterEach
  void removeRepository() throws IOException {
    if (repository == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(repository)) {
      // Files.walk does not follow the links: only the links themselves and the copies go.
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Test
  void takesANewProjectFromItsBuildToMergedPullRequestsInTheDemoFleet() throws Exception {
    // 1. flotilla new-migration-project
    Path project = tmp.resolve("acme-migrations");
    assertThat(cli("new-migration-project", project.toString(), "--group-id", "com.acme.platform")).isZero();
    assertThat(project.resolve("src/main/java/com/acme/platform/AddEditorConfig.java")).exists();

    // 2. mvn -B verify, offline: its tests run with the test kit, and it builds the jar.
    String build = maven(project, "-o", "-B", "verify", "-Dmaven.repo.local=" + localRepositoryWithFlotillaApi());
    assertThat(build).contains("Tests run: 4, Failures: 0, Errors: 0");
    Path jar = project.resolve("target/acme-migrations-1.0.0-SNAPSHOT.jar");
    assertThat(jar).exists();

    // 3. the jar in FLOTILLA_MIGRATIONS_DIR, the local engine on a demo fleet
    Path migrations = Files.createDirectories(tmp.resolve("flotilla-migrations"));
    Files.copy(jar, migrations.resolve(jar.getFileName()));
    Path home = tmp.resolve("flotilla-demo");
    DemoFleet.create(home.resolve("forge"), 3);
    try (FlotillaServer server = FlotillaServer.start(Map.of(
        "FLOTILLA_DATA_DIR", home.resolve("data").toString(),
        "FLOTILLA_LOCAL_FORGE_DIR", home.resolve("forge").toString(),
        "FLOTILLA_CAMPAIGNS_DIR", home.resolve("campaigns").toString(),
        "FLOTILLA_MIGRATIONS_DIR", migrations.toString(),
        "FLOTILLA_DASHBOARD_PORT", "0",
        "FLOTILLA_POLL_INTERVAL", "1s"))) {

      // 4. flotilla campaign apply -f campaign.yaml
      assertThat(cli("campaign", "apply", "-f", project.resolve("campaign.yaml").toString(),
          "--data-dir", home.resolve("data").toString(), "--migrations-dir", migrations.toString())).isZero();

      // 5. merged: the two automerge repositories of the three; the one waiting for review stays open
      Jdbc jdbc = new Jdbc(server.database().dataSource());
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
        CampaignReport report = report(jdbc).orElseThrow();
        assertThat(report.merged()).isEqualTo(2);
        assertThat(report.awaitingReview()).isEqualTo(1);
      });
    }
    try (Git orders = Git.open(home.resolve("forge/acme/orders-service.git").toFile())) {
      assertThat(orders.log().setMaxCount(1).call().iterator().next().getFullMessage()).contains("Add .editorconfig");
    }
  }

  private static Optional<CampaignReport> report(Jdbc jdbc) {
    return CampaignReport.all(jdbc).stream().filter(r -> r.campaign().equals("add-editorconfig")).findFirst();
  }

  private static int cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = FlotillaCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int code = cli.execute(args);
    assertThat(out.toString()).as("flotilla %s", String.join(" ", args)).doesNotContain("flotilla: ");
    return code;
  }

  /**
   * A local repository that is the build's own (~/.m2/repository, or -Dmaven.repo.local) seen through
   * links, plus this build's migration-api and parent pom: what `mvn install -pl migration-api -am`
   * would add, without touching the build's repository.
   */
  private Path localRepositoryWithFlotillaApi() throws IOException {
    Path source = Path.of(Optional.ofNullable(System.getProperty("maven.repo.local")).filter(p -> !p.isBlank())
        .orElse(System.getProperty("user.home") + "/.m2/repository"));
    repository = Files.createTempDirectory("flotilla-m2-");
    link(source, repository, List.of("dev"));
    Path dev = Files.createDirectories(repository.resolve("dev"));
    link(source.resolve("dev"), dev, List.of("flotilla"));
    Path flotilla = Files.createDirectories(dev.resolve("flotilla"));
    link(source.resolve("dev/flotilla"), flotilla, List.of("migration-api", "flotilla-parent"));

    Path parent = Files.createDirectories(flotilla.resolve("flotilla-parent").resolve(VERSION));
    Files.copy(FLOTILLA_ROOT.resolve("pom.xml"), parent.resolve("flotilla-parent-" + VERSION + ".pom"));
    Path api = Files.createDirectories(flotilla.resolve("migration-api").resolve(VERSION));
    Files.copy(FLOTILLA_ROOT.resolve("migration-api/pom.xml"), api.resolve("migration-api-" + VERSION + ".pom"));
    apiJar(api.resolve("migration-api-" + VERSION + ".jar"));
    return repository;
  }

  private static void link(Path from, Path into, List<String> except) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> entries = Files.list(from)) {
      for (Path entry : entries.toList()) {
        if (!except.contains(entry.getFileName().toString())) {
          Files.createSymbolicLink(into.resolve(entry.getFileName().toString()), entry);
        }
      }
    }
  }

  /** The migration-api this test runs against: its jar, or its classes packed into one. */
  private static void apiJar(Path target) throws IOException {
    Path built;
    try {
      built = Path.of(Migration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (Files.isRegularFile(built)) {
      Files.copy(built, target);
      return;
    }
    try (OutputStream out = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> walk = Files.walk(built)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new JarEntry(built.relativize(file).toString().replace('\\', '/')));
        jar.write(Files.readAllBytes(file));
        jar.closeEntry();
      }
    }
  }

  private static String maven(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Optional.ofNullable(System.getProperty("maven.home")).filter(h -> !h.isBlank())
        .map(h -> Path.of(h, "bin", "mvn").toString()).orElse("mvn"));
    command.addAll(List.of(args));
    command.add("-Dstyle.color=never");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output;
    try (var in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("mvn %s:%n%s", String.join(" ", args), output).isZero();
    return output;
  }
}
