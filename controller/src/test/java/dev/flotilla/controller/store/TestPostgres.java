package dev.flotilla.controller.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * The store for integration tests: one embedded PostgreSQL per test JVM, and a database of its own
 * for every test that opens one. The schema is migrated once into a template database; each test's
 * database is a copy of it ({@code CREATE DATABASE … TEMPLATE}, milliseconds) rather than a fresh
 * {@code initdb}, server start and Flyway run.
 *
 * <p>A test names its database by the folder its state lives in, as it names the embedded store by
 * its data directory: {@link #open} with the same folder again (a restart) finds the data where it
 * was left; a new folder gets an empty schema. A database whose folder is gone (its {@code @TempDir}
 * deleted) is dropped when the next one is made.
 *
 * <p>The embedded server's own behaviour (its start, its security, its restart after a kill) is tested
 * on servers of its own, through {@link Database#open} with no URL.
 */
public final class TestPostgres {

  private static final String TEMPLATE = "flotilla_template";
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Map<Path, String> DATABASES = new HashMap<>();
  private static EmbeddedPostgresServer server;
  private static Path serverDir;

  private TestPostgres() {}

  /**
   * The store of a test whose state lives in {@code dataDir}: its own database on the shared server,
   * migrated, connected as the application role, as {@link Database#open} gives for an embedded store.
   */
  public static Database open(Path dataDir, int poolSize) {
    String name = database(dataDir.toAbsolutePath().normalize());
    EmbeddedPostgresServer s = server();
    String url = "jdbc:postgresql://localhost:" + s.port() + "/" + name;
    return Database.open(url, EmbeddedPostgresServer.APPLICATION_ROLE, s.applicationPassword(), null, poolSize);
  }

  /** The shared server, started on first use and stopped when the JVM exits. */
  static synchronized EmbeddedPostgresServer server() {
    if (server == null) {
      try {
        serverDir = Files.createTempDirectory("flotilla-test-postgres");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgresServer started = EmbeddedPostgresServer.start(serverDir);
      Path dir = serverDir;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        started.close();
        try {
          PostgresBinaries.deleteTree(dir);
        } catch (IOException e) {
          // A temporary folder: the operating system cleans it up in the end.
        }
      }, "test-postgres-stop"));
      try {
        superuser(started.port(), "CREATE DATABASE " + TEMPLATE + " OWNER " + EmbeddedPostgresServer.APPLICATION_ROLE);
      } catch (SQLException e) {
        started.close();
        throw new IllegalStateException("could not create the template database", e);
      }
      Flyway.configure()
          .dataSource("jdbc:postgresql://localhost:" + started.port() + "/" + TEMPLATE,
              EmbeddedPostgresServer.APPLICATION_ROLE, started.applicationPassword())
          .locations("classpath:db/migration")
          .load()
          .migrate();
      server = started;
    }
    return server;
  }

  private static synchronized String database(Path dataDir) {
    String known = DATABASES.get(dataDir);
    if (known != null) {
      return known;
    }
    server();
    dropAbandoned();
    String name = "test_" + NEXT.incrementAndGet();
    try {
      // The folder stands for the database: when the test's temporary folder goes, so may it.
      Files.createDirectories(dataDir);
      superuser(server.port(), "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE + " OWNER " + EmbeddedPostgresServer.APPLICATION_ROLE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the test database " + name, e);
    }
    DATABASES.put(dataDir, name);
    return name;
  }

  /** Drops the databases of tests that are over, so a long test run does not fill the disk. */
  private static void dropAbandoned() {
    for (var it = DATABASES.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, String> database = it.next();
      if (Files.exists(database.getKey())) {
        continue;
      }
      it.remove();
      try {
        superuser(server.port(), "DROP DATABASE IF EXISTS " + database.getValue() + " WITH (FORCE)");
      } catch (SQLException e) {
        throw new IllegalStateException("could not drop the test database " + database.getValue(), e);
      }
    }
  }

  private static void superuser(int port, String sql) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", EmbeddedPostgresServer.SUPERUSER);
    properties.setProperty("password", PostgresCredentials.in(serverDir).password(EmbeddedPostgresServer.SUPERUSER));
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", properties);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
