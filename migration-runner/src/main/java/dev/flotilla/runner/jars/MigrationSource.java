package dev.flotilla.runner.jars;

/** A migration that knows where it was loaded from. */
public interface MigrationSource {

  /**
   * "built in", a jar's file name or folder in {@code FLOTILLA_MIGRATIONS_DIR}, or the Maven
   * coordinates ({@code com.acme:acme-migrations:1.2.0}) it was fetched by.
   */
  String source();
}
