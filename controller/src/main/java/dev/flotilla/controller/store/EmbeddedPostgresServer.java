package dev.flotilla.controller.store;

import dev.flotilla.FlotillaException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: a real PostgreSQL from zonky's binaries, its data kept under the
 * data directory so a second start finds the fleet where it was left. (PostgreSQL refuses to run as
 * root; zonky starts it in a user namespace then, so this works in containers and on CI too.)
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts PostgreSQL on a free local port with its data in {@code dataDir/postgres}. */
  public static EmbeddedPostgresServer start(Path dataDir) {
    Path pgData = dataDir.resolve("postgres");
    Path binaries = dataDir.resolve("postgres-bin");
    try {
      Files.createDirectories(binaries);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binaries.toFile())
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "200")
              .start();
      LOG.info("embedded PostgreSQL listening on port {} with data in {}", postgres.getPort(), pgData);
      return new EmbeddedPostgresServer(postgres);
    } catch (IOException | IllegalStateException e) {
      throw new FlotillaException(
          "could not start the embedded PostgreSQL with data in "
              + pgData
              + ": "
              + e.getMessage()
              + "; check the folder is writable and not used by another Flotilla, or point --db-url at an external server",
          e);
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new FlotillaException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }
}
