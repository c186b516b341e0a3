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
    return attach(dataDir, own).orElseGet(() -> start(dataDir));
  }

  /**
   * The PostgreSQL already serving {@code dataDir}, if its postmaster is alive. One that is alive but
   * not yet (or not at the moment) accepting connections is waited for rather than started twice.
   */
  public static Optional<EmbeddedPostgresServer> attach(Path dataDir, boolean own) {
    Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(pidFile);
      long pid = Long.parseLong(lines.get(0).trim());
      int port = Integer.parseInt(lines.get(3).trim());
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (process.isEmpty()) {
        return Optional.empty();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!accepts(port)) {
        if (!process.get().isAlive() || System.nanoTime() > deadline) {
          return Optional.empty();
        }
        Thread.sleep(100);
      }
      LOG.info("using the embedded PostgreSQL already running on port {} (pid {})", port, pid);
      return Optional.of(new EmbeddedPostgresServer(null, port, own ? process.get() : null));
    } catch (IOException | RuntimeException e) {
      LOG.debug("{} is stale ({}); starting PostgreSQL", pidFile, e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
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
