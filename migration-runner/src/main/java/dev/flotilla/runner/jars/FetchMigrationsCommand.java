package dev.flotilla.runner.jars;

import dev.flotilla.FlotillaException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla-runner fetch-migrations --into DIR}: the init step of a run's pod. Fetches every jar
 * {@code FLOTILLA_MIGRATION_ARTIFACTS} names (with its runtime dependencies) from
 * {@code FLOTILLA_MAVEN_REPOSITORY_URL} into {@code DIR/<groupId>_<artifactId>_<version>/}, a
 * sub-folder each, which the runner then loads as {@code FLOTILLA_MIGRATIONS_DIR}.
 */
@Command(
    name = "fetch-migrations",
    mixinStandardHelpOptions = true,
    description = "Fetches the migration jars FLOTILLA_MIGRATION_ARTIFACTS names into a folder the runner loads.")
public final class FetchMigrationsCommand implements Callable<Integer> {

  @Option(names = "--into", required = true, paramLabel = "DIR", description = "The folder to fill (FLOTILLA_MIGRATIONS_DIR of the runner).")
  Path into;

  @Spec CommandSpec spec;

  private final Supplier<Map<String, String>> env;

  public FetchMigrationsCommand(Supplier<Map<String, String>> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    Map<String, String> settings = env.get();
    String url = settings.get(MigrationJars.REPOSITORY_URL_ENV);
    if (url == null || url.isBlank()) {
      throw new FlotillaException(MigrationJars.REPOSITORY_URL_ENV + " is not set; the pod cannot fetch " + settings.get(MigrationJars.ARTIFACTS_ENV));
    }
    MavenArtifacts maven = new MavenArtifacts(
        new MavenArtifacts.Repository(URI.create(url.strip()), blank(settings.get(MigrationJars.REPOSITORY_USERNAME_ENV)),
            blank(settings.get(MigrationJars.REPOSITORY_PASSWORD_ENV))),
        Path.of(settings.getOrDefault(MigrationJars.CACHE_ENV, System.getProperty("java.io.tmpdir") + "/maven")));
    for (String coordinates : MigrationJars.artifacts(settings.get(MigrationJars.ARTIFACTS_ENV))) {
      Path folder = Files.createDirectories(into.resolve(coordinates.replace(':', '_')));
      for (Path jar : maven.resolve(coordinates)) {
        Files.copy(jar, folder.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      spec.commandLine().getErr().println("fetched " + coordinates + " into " + folder);
    }
    return 0;
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
