package dev.flotilla.runner.jars;

import static dev.flotilla.runner.jars.TestJars.SERVICES;
import static dev.flotilla.runner.jars.TestJars.jar;
import static dev.flotilla.runner.jars.TestJars.migration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration jars fetched by coordinates from a file:// Maven repository the test publishes to. */
class MavenArtifactsTest {

  @TempDir Path dir;
  @TempDir static Path shared;
  /** The two jars, compiled once for the class: compiling is the slow part. */
  private static Path lib;
  private static Path migrations;

  @org.junit.jupiter.api.BeforeAll
  static void compile() throws IOException {
    Path work = Files.createDirectories(shared.resolve("build"));
    lib = jar(work.resolve("acme-lib-1.0.jar"), Map.of("com/acme/lib/Greeting.java",
        "package com.acme.lib; public class Greeting { public static String text() { return \"from the library\"; } }"));
    migrations = jar(work.resolve("acme-migrations-1.2.0.jar"), Map.of(
        "com/acme/Greet.java", migration("com.acme", "Greet", "acme-greet", "return dev.flotilla.migration.Outcome.changed(com.acme.lib.Greeting.text());"),
        SERVICES, "com.acme.Greet\n"), List.of(lib));
  }

  @Test
  void fetchesTheJarWithItsLibrariesVerifiedAndCachedThenRunsIt() throws Exception {
    Path repository = publishAcme(dir.resolve("repository"), false);
    Map<String, String> env = Map.of(
        "FLOTILLA_MIGRATION_ARTIFACTS", "com.acme:acme-migrations:1.2.0",
        "FLOTILLA_MAVEN_REPOSITORY_URL", repository.toUri().toString(),
        "FLOTILLA_MAVEN_CACHE_DIR", dir.resolve("cache").toString());

    try (MigrationJars jars = MigrationJars.fromEnvironment(env)) {
      assertThat(jars.sourceOf("acme-greet")).isEqualTo("com.acme:acme-migrations:1.2.0");
      assertThat(jars.jars()).extracting(p -> p.getFileName().toString())
          .containsExactlyInAnyOrder("acme-migrations-1.2.0.jar", "acme-lib-1.0.jar");
      Path repo = Files.createDirectories(dir.resolve("repo"));
      assertThat(jars.migrations().get("acme-greet").apply(new DirectoryWorkspace(repo, "acme", "demo"), Parameters.empty()).message())
          .isEqualTo("from the library");
    }

    // The cache answers a second start without the repository.
    FileUtils.delete(repository.toFile(), FileUtils.RECURSIVE);
    try (MigrationJars again = MigrationJars.fromEnvironment(env)) {
      assertThat(again.sourceOf("acme-greet")).isEqualTo("com.acme:acme-migrations:1.2.0");
    }
  }

  @Test
  void fetchesIntoAFolderThatTheRunnerLoads() throws Exception {
    Path repository = publishAcme(dir.resolve("repository"), false);
    Map<String, String> env = Map.of(
        "FLOTILLA_MIGRATION_ARTIFACTS", "com.acme:acme-migrations:1.2.0",
        "FLOTILLA_MAVEN_REPOSITORY_URL", repository.toUri().toString(),
        "FLOTILLA_MAVEN_CACHE_DIR", dir.resolve("cache").toString());
    Path into = dir.resolve("migrations");

    int code = new picocli.CommandLine(new FetchMigrationsCommand(() -> env)).execute("--into", into.toString());

    assertThat(code).isZero();
    assertThat(into.resolve("com.acme_acme-migrations_1.2.0")).isDirectory();
    try (MigrationJars jars = MigrationJars.fromEnvironment(Map.of("FLOTILLA_MIGRATIONS_DIR", into.toString()))) {
      assertThat(jars.sourceOf("acme-greet")).isEqualTo("com.acme_acme-migrations_1.2.0/");
    }
  }

  @Test
  void refusesAJarWhoseChecksumDoesNotMatch() throws Exception {
    Path repository = publishAcme(dir.resolve("repository"), true);
    MavenArtifacts maven = new MavenArtifacts(new MavenArtifacts.Repository(repository.toUri(), null, null), dir.resolve("cache"));

    assertThatThrownBy(() -> maven.resolve("com.acme:acme-migrations:1.2.0"))
        .isInstanceOf(FlotillaException.class)
        .hasMessageContaining("cannot load com.acme:acme-migrations:1.2.0 from " + repository.toUri())
        .hasMessageContaining("does not match its checksum")
        .hasMessageContaining("nothing was loaded");
    assertThat(dir.resolve("cache/com/acme/acme-migrations/1.2.0/acme-migrations-1.2.0.jar")).doesNotExist();
  }

  @Test
  void namesWhatIsMissing() {
    MavenArtifacts maven = new MavenArtifacts(new MavenArtifacts.Repository(dir.toUri(), "ci", "s3cr3t-pass"), dir.resolve("cache"));

    assertThatThrownBy(() -> maven.resolve("com.acme:nothing-here:9.9"))
        .hasMessageContaining("cannot load com.acme:nothing-here:9.9 from " + dir.toUri() + " (as ci)")
        .hasMessageNotContaining("s3cr3t-pass");
    assertThatThrownBy(() -> MigrationJars.fromEnvironment(Map.of("FLOTILLA_MIGRATION_ARTIFACTS", "com.acme:acme-migrations")))
        .hasMessageContaining("FLOTILLA_MIGRATION_ARTIFACTS: 'com.acme:acme-migrations' is not Maven coordinates; write groupId:artifactId:version");
    assertThatThrownBy(() -> MigrationJars.fromEnvironment(Map.of("FLOTILLA_MIGRATION_ARTIFACTS", "com.acme:acme-migrations:1.2.0")))
        .hasMessageContaining("FLOTILLA_MAVEN_REPOSITORY_URL is not set");
    assertThatThrownBy(() -> new MavenArtifacts.Repository(java.net.URI.create("https://ci:s3cr3t-pass@maven.acme.example/releases"), null, null))
        .hasMessageNotContaining("s3cr3t-pass")
        .hasMessageContaining("must not hold credentials");
  }

  /** com.acme:acme-migrations:1.2.0, which needs com.acme:acme-lib:1.0, with SHA-1 files; the jar's wrong when asked. */
  private static Path publishAcme(Path repository, boolean wrongChecksum) throws IOException {
    publish(repository, "acme-lib", "1.0", lib, pom("acme-lib", "1.0", ""), false);
    publish(repository, "acme-migrations", "1.2.0", migrations, pom("acme-migrations", "1.2.0", """
        <dependencies>
          <dependency><groupId>com.acme</groupId><artifactId>acme-lib</artifactId><version>1.0</version></dependency>
          <dependency><groupId>dev.flotilla</groupId><artifactId>migration-api</artifactId><version>0.1.0-SNAPSHOT</version><scope>provided</scope></dependency>
        </dependencies>
        """), wrongChecksum);
    return repository;
  }

  private static String pom(String artifactId, String version, String dependencies) {
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.acme</groupId>
          <artifactId>%s</artifactId>
          <version>%s</version>
          %s
        </project>
        """.formatted(artifactId, version, dependencies);
  }

  private static void publish(Path repository, String artifactId, String version, Path jar, String pom, boolean wrongJarChecksum)
      throws IOException {
    Path folder = Files.createDirectories(repository.resolve("com/acme").resolve(artifactId).resolve(version));
    Path jarFile = Files.copy(jar, folder.resolve(artifactId + "-" + version + ".jar"));
    Path pomFile = Files.writeString(folder.resolve(artifactId + "-" + version + ".pom"), pom);
    Files.writeString(folder.resolve(pomFile.getFileName() + ".sha1"), sha1(Files.readAllBytes(pomFile)));
    Files.writeString(folder.resolve(jarFile.getFileName() + ".sha1"),
        wrongJarChecksum ? sha1("something else".getBytes()) : sha1(Files.readAllBytes(jarFile)));
  }

  private static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
