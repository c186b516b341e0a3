package dev.flotilla.controller.exec.k8s;

import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.runner.jars.MavenArtifacts;
import dev.flotilla.runner.jars.MigrationJars;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The migration jars a run's pod fetches by Maven coordinates before the runner starts: an init
 * container of the runner image downloads them into an {@code emptyDir} the runner reads as
 * {@code FLOTILLA_MIGRATIONS_DIR}. The repository's credentials reach the init container only, from
 * the Secret {@code FLOTILLA_MAVEN_REPOSITORY_SECRET} (keys {@code username} and {@code password}),
 * never as a value in the Job.
 *
 * @param artifacts {@code FLOTILLA_MIGRATION_ARTIFACTS}, as the controller loads them
 * @param repositoryUrl {@code FLOTILLA_MAVEN_REPOSITORY_URL}
 * @param credentialsSecret the Secret holding the repository's {@code username} and {@code password}, or null
 */
public record RunnerMigrations(List<String> artifacts, String repositoryUrl, String credentialsSecret) {

  public static final String SECRET_ENV = "FLOTILLA_MAVEN_REPOSITORY_SECRET";
  public static final RunnerMigrations NONE = new RunnerMigrations(List.of(), null, null);

  public RunnerMigrations {
    artifacts = List.copyOf(artifacts);
  }

  /** From the controller's {@code FLOTILLA_*} settings. */
  public static RunnerMigrations fromSettings(Map<String, String> settings) {
    List<String> artifacts = new ArrayList<>();
    String list = settings.getOrDefault(MigrationJars.ARTIFACTS_ENV, "");
    for (String item : list.split(",")) {
      if (!item.isBlank()) {
        String problem = MavenArtifacts.problem(item.strip());
        if (problem != null) {
          throw new ConfigException("environment", 0, MigrationJars.ARTIFACTS_ENV + ": " + problem);
        }
        artifacts.add(item.strip());
      }
    }
    String url = blankToNull(settings.get(MigrationJars.REPOSITORY_URL_ENV));
    if (!artifacts.isEmpty() && url == null) {
      throw new ConfigException("environment", 0, MigrationJars.ARTIFACTS_ENV + " needs " + MigrationJars.REPOSITORY_URL_ENV);
    }
    return new RunnerMigrations(artifacts, url, blankToNull(settings.get(SECRET_ENV)));
  }

  public boolean any() {
    return !artifacts.isEmpty();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
