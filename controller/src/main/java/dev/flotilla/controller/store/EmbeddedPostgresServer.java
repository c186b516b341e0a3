package dev.flotilla.controller.store;

import dev.flotilla.FlotillaException;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: a real PostgreSQL from zonky's binaries, its data kept under the
 * data directory so a second start finds the fleet where it was left. (PostgreSQL refuses to run as
 * root; it is started in a user namespace then, as zonky does, so this works in containers too.)
 *
 * <p>Locked down: every connection needs a password ({@code scram-sha-256}, nothing trusted, see
 * {@link PostgresCredentials}); the application connects as {@value #APPLICATION_ROLE}, a role that
 * owns the schema and is no superuser; the server processes get {@link #ENVIRONMENT} and nothing of
 * the controller's environment. A data directory of an older version, which trusted every local
 * connection, gets its passwords and its {@code pg_hba.conf} on its first start.
 *
 * <p>The process that owns the server (a controller) also watches it: a PostgreSQL that dies is
 * started again on the same port, and the connection pool finds it there.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  /** The role the application connects as: owns the schema, no superuser. */
  public static final String APPLICATION_ROLE = "flotilla";
  static final String SUPERUSER = "postgres";
  /** The whole environment of initdb, pg_ctl and the server: nothing from the controller's. */
  static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8", "TZ", "UTC");
  static final String HBA = """
      # Written by Flotilla on every start of its embedded PostgreSQL: every connection needs a
      # password (the data directory's postgres-auth folder holds them); nothing is trusted.
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final Duration WATCH_EVERY = Duration.ofMillis(500);

  private final Path dataDir;
  private final int port;
  /** Whether closing stops the server; a watchdog runs only for an owned server. */
  private final boolean owned;
  private volatile long pid;
  private volatile boolean closing;
  private final AtomicInteger restarts = new AtomicInteger();
  private ScheduledExecutorService watchdog;
  private Thread shutdownHook;

  private EmbeddedPostgresServer(Path dataDir, int port, long pid, boolean owned) {
    this.dataDir = dataDir;
    this.port = port;
    this.pid = pid;
    this.owned = owned;
  }

  /**
   * Uses the PostgreSQL already serving {@code dataDir} (another Flotilla command, or one left
   * behind when a controller was killed), or starts it. {@code own}: whether closing this server
   * stops an adopted PostgreSQL too, and whether this process starts it again when it dies.
   */
  public static EmbeddedPostgresServer startOrAttach(Path dataDir, boolean own) {
    EmbeddedPostgresServer server = attach(dataDir, own).orElseGet(() -> start(dataDir));
    if (server.owned) {
      server.watch();
    }
    return server;
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
      return Optional.of(new EmbeddedPostgresServer(dataDir, port, pid, own));
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
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    } catch (IOException e) {
      throw new FlotillaException("could not find a free local port for the embedded PostgreSQL: " + e.getMessage(), e);
    }
    long pid = launch(dataDir, port);
    LOG.info("embedded PostgreSQL listening on port {} with data in {}", port, dataDir.resolve("postgres"));
    EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDir, port, pid, true);
    // A JVM that exits without closing the store (a test, Ctrl-C) stops the server it started;
    // one killed with SIGKILL leaves it running for the next process to adopt.
    server.shutdownHook = new Thread(server::close, "embedded-postgres-stop");
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    return server;
  }

  /** Prepares the cluster (initdb, passwords, pg_hba.conf), starts it on {@code port}; the postmaster's pid. */
  private static long launch(Path dataDir, int port) {
    Path pgData = dataDir.resolve("postgres");
    try {
      Path binaries = PostgresBinaries.unpack(dataDir.resolve("postgres-bin"));
      PostgresCredentials credentials = PostgresCredentials.in(dataDir);
      boolean fresh = !Files.isRegularFile(pgData.resolve("PG_VERSION"));
      boolean hadPasswords = credentials.exist();
      credentials.generateMissing();
      if (fresh) {
        Files.createDirectories(pgData);
        run(binaries, "initdb", List.of("-D", pgData.toString(), "-U", SUPERUSER, "-E", "UTF-8",
            "--auth=scram-sha-256", "--pwfile=" + credentials.file(SUPERUSER)), null, dataDir);
      } else if (!hadPasswords) {
        // An older version's cluster: the superuser has no password. Single-user mode sets it
        // with no listening socket, so there is no moment in which it is reachable with trust.
        LOG.info("the embedded PostgreSQL in {} trusted every local connection; setting passwords (kept in {})",
            pgData, credentials.file(SUPERUSER).getParent());
        run(binaries, "postgres", List.of("--single", "-D", pgData.toString(), "-F", SUPERUSER),
            "ALTER ROLE " + SUPERUSER + " PASSWORD '" + credentials.password(SUPERUSER) + "';\n", dataDir);
      }
      Files.writeString(pgData.resolve("pg_hba.conf"), HBA);
      run(binaries, "pg_ctl", List.of("-D", pgData.toString(), "-l", log(dataDir).toString(),
          "-t", Long.toString(STARTUP_WAIT.toSeconds()), "-w", "-o", serverOptions(port), "start"), null, dataDir);
      setUpApplicationRole(port, credentials);
      return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      throw new FlotillaException(
          "could not start the embedded PostgreSQL with data in "
              + pgData
              + ": "
              + e.getMessage()
              + "; check the folder is writable and not used by another Flotilla, or point --db-url at an external server",
          e);
    }
  }

  private static String serverOptions(int port) {
    // No Unix socket: every connection goes through pg_hba.conf's host lines. Commits are
    // synchronous: a commit the store acknowledged survives the server being killed (-F still
    // leaves flushing to the operating system, so a power cut may lose the last ones).
    return String.join(" ", "-p", Integer.toString(port), "-F", "-c", "listen_addresses=localhost",
        "-c", "unix_socket_directories=''", "-c", "timezone=UTC",
        "-c", "max_connections=200", "-c", "password_encryption=scram-sha-256");
  }

  /**
   * Makes the application role exist with its password, owning the schema and every table in it
   * (tables an older version created as the superuser move to it). Runs on every start.
   */
  private static void setUpApplicationRole(int port, PostgresCredentials credentials) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("password", credentials.password(SUPERUSER));
    String role = APPLICATION_ROLE;
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", properties);
        Statement s = c.createStatement()) {
      s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN CREATE ROLE "
          + role + "; END IF; END $$");
      s.execute("ALTER ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
          + credentials.password(role) + "'");
      s.execute("ALTER SCHEMA public OWNER TO " + role);
      // Tables first: their sequences follow them, and may not be moved on their own.
      s.execute("""
          DO $$ DECLARE r record; BEGIN
            FOR r IN SELECT c.oid, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                AND pg_get_userbyid(c.relowner) <> '%1$s'
                ORDER BY c.relkind IN ('r', 'p') DESC LOOP
              CONTINUE WHEN (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = r.oid) = '%1$s';
              EXECUTE format('ALTER %%s public.%%I OWNER TO %1$s',
                  CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                  r.relname);
            END LOOP;
          END $$""".formatted(role));
    } catch (SQLException e) {
      // The message of a failed statement may quote it, and the statement holds a password.
      throw new IOException("could not set up the application role (SQL state " + e.getSQLState() + ")");
    }
  }

  /** Runs one of PostgreSQL's programs with {@link #ENVIRONMENT}, its output appended to the log. */
  private static void run(Path binaries, String program, List<String> args, String input, Path dataDir)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(binaries.resolve("bin").resolve(program).toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(ENVIRONMENT);
    // The single-user session echoes nothing of its input, but its output goes nowhere all the same.
    builder.redirectOutput(input == null ? ProcessBuilder.Redirect.appendTo(log(dataDir).toFile()) : ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!process.waitFor(STARTUP_WAIT.toSeconds() + 30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(program + " did not finish within " + (STARTUP_WAIT.toSeconds() + 30) + "s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + program, e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(program + " exited with " + process.exitValue() + " (its output is in " + log(dataDir) + ")");
    }
  }

  private static Path log(Path dataDir) {
    return dataDir.resolve("postgres.log");
  }

  /** Starts the server again whenever its postmaster is gone, until closed. */
  private synchronized void watch() {
    watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "embedded-postgres-watchdog");
      t.setDaemon(true);
      return t;
    });
    watchdog.scheduleWithFixedDelay(this::restartIfGone, WATCH_EVERY.toMillis(), WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void restartIfGone() {
    if (closing || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return;
    }
    LOG.warn("the embedded PostgreSQL (pid {}) is gone; starting it again on port {}", pid, port);
    try {
      long restarted = launch(dataDir, port);
      if (closing) {
        return;
      }
      pid = restarted;
      restarts.incrementAndGet();
      LOG.info("the embedded PostgreSQL is back on port {} (pid {})", port, restarted);
    } catch (RuntimeException e) {
      // Its old server processes may still be on their way out; the next check tries again.
      LOG.warn("could not start the embedded PostgreSQL again yet: {}", e.getMessage());
    }
  }

  /** How often the watchdog started the server again. */
  public int restarts() {
    return restarts.get();
  }

  /** The postmaster's process id. */
  public long pid() {
    return pid;
  }

  /** The URL without user or password: those come from {@link #applicationPassword()}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  /** The application role's password from the data directory; never log it. */
  String applicationPassword() {
    return PostgresCredentials.in(dataDir).password(APPLICATION_ROLE);
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    closing = true;
    synchronized (this) {
      if (watchdog != null) {
        watchdog.shutdownNow();
      }
    }
    if (!owned) {
      return;
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway, and finds the server stopped.
      }
    }
    Optional<ProcessHandle> postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (postmaster.isEmpty()) {
      return;
    }
    try {
      // SIGINT is PostgreSQL's fast shutdown: open sessions are ended, the data is checkpointed.
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
      postmaster.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | IOException e) {
      LOG.warn("the embedded PostgreSQL (pid {}) did not stop within 30s", pid);
    }
  }
}
