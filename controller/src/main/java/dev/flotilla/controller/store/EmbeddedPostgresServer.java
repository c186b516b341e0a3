package dev.flotilla.controller.store;

import dev.flotilla.FlotillaException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /** How long to wait for a PostgreSQL another process is starting on the same folder. */
  static final Duration STARTING_POSTGRES_WAIT = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final int port;
  private final ProcessHandle adopted;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, int port, ProcessHandle adopted) {
    this.postgres = postgres;
    this.port = port;
    this.adopted = adopted;
  }

  /**
   * Uses the PostgreSQL already serving {@code dataDir} (another Flotilla command, or one left
   * behind when a controller was killed), or starts it. {@code own}: whether closing this server
   * stops an adopted PostgreSQL too.
   */
  public static EmbeddedPostgresServer startOrAttach(Path dataDir, boolean own) {
    Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (Files.isRegularFile(pidFile)) {
      try {
        List<String> lines = Files.readAllLines(pidFile);
        long pid = Long.parseLong(lines.get(0).trim());
        int port = Integer.parseInt(lines.get(3).trim());
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        // A PostgreSQL that is still starting writes its pid file before it listens: wait for it, as
        // starting a second one on the same folder would fail, or lock its rightful owner out.
        if (process.isPresent() && acceptsWithin(port, process.get(), STARTING_POSTGRES_WAIT)) {
          LOG.info("using the embedded PostgreSQL already running on port {} (pid {})", port, pid);
          return new EmbeddedPostgresServer(null, port, own ? process.get() : null);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("{} is stale ({}); starting PostgreSQL", pidFile, e.getMessage());
      }
    }
    return start(dataDir);
  }

  private static boolean acceptsWithin(int port, ProcessHandle process, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (process.isAlive()) {
      if (accepts(port)) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
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
      return new EmbeddedPostgresServer(postgres, postgres.getPort(), null);
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
    return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      if (postgres != null) {
        postgres.close();
      } else if (adopted != null) {
        // SIGTERM is PostgreSQL's smart shutdown: it stops once our pool's connections are gone.
        adopted.destroy();
        adopted.onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("the embedded PostgreSQL (pid {}) did not stop within 30s", adopted.pid());
    } catch (IOException e) {
      throw new FlotillaException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }
}
