package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.Settings;
import dev.flotilla.controller.runtime.FlotillaServer;
import dev.flotilla.runner.jars.MigrationJars;
import java.util.Map;
import java.nio.file.Path;

/** The migrations a command checks campaigns against: the same jars the controller loads. */
final class CliMigrations {

  private CliMigrations() {}

  /**
   * The built-in migrations, the jars in {@code dir} (else in {@code FLOTILLA_MIGRATIONS_DIR}) and
   * those {@code FLOTILLA_MIGRATION_ARTIFACTS} lists.
   */
  static MigrationJars load(Path dir) {
    Map<String, String> env = FlotillaServer.migrationSettings(Settings.fromEnv());
    if (dir != null) {
      env.put(MigrationJars.DIR_ENV, dir.toAbsolutePath().toString());
    }
    return MigrationJars.fromEnvironment(env);
  }
}
