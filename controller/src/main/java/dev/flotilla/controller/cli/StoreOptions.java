package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the store is: {@code --data-dir} for the embedded PostgreSQL, or {@code --db-url} for an
 * external one. Command-line options win over {@code FLOTILLA_*} environment variables.
 */
public final class StoreOptions {

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder for the embedded PostgreSQL and work files (default: $FLOTILLA_DATA_DIR or ~/.flotilla).")
  Path dataDir;

  @Option(names = "--db-url", paramLabel = "JDBC_URL", description = "An external PostgreSQL, e.g. jdbc:postgresql://db:5432/flotilla (default: $FLOTILLA_DB_URL, else embedded). The password comes from $FLOTILLA_DB_PASSWORD.")
  String dbUrl;

  /** The environment with these options laid over it. */
  public Map<String, String> overlay(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(env);
    if (dataDir != null) {
      merged.put("FLOTILLA_DATA_DIR", dataDir.toAbsolutePath().toString());
    }
    if (dbUrl != null) {
      merged.put("FLOTILLA_DB_URL", dbUrl);
    }
    return merged;
  }

  public Settings settings() {
    return Settings.from(overlay(System.getenv()));
  }
}
