package dev.flotilla.controller.cli;

import dev.flotilla.runner.jars.MigrationJars;
import java.nio.file.Path;

/** The migrations a command checks campaigns against: the same jars the controller loads. */
final class CliMigrations {

  private CliMigrations() {}

  /** From {@code dir} when given, else from {@code FLOTILLA_MIGRATIONS_DIR}, else the built-in ones. */
  static MigrationJars load(Path dir) {
    return dir != null ? MigrationJars.load(dir, "--migrations-dir") : MigrationJars.fromEnvironment(System.getenv());
  }
}
