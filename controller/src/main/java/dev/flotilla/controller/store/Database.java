package dev.flotilla.controller.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.flotilla.FlotillaException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The store's connection: an external PostgreSQL given by URL, or the embedded one under the data
 * directory. The schema is brought up to date with Flyway on open.
 */
public final class Database implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final EmbeddedPostgresServer embedded;
  private final String description;

  private Database(HikariDataSource dataSource, EmbeddedPostgresServer embedded, String description) {
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.description = description;
  }

  /**
   * Opens the store.
   *
   * @param url a JDBC URL, or null/blank for the embedded PostgreSQL under {@code dataDir}
   */
  public static Database open(String url, String user, String password, Path dataDir, int poolSize) {
    return open(url, user, password, dataDir, poolSize, true);
  }

  /**
   * As {@link #open(String, String, String, Path, int)}; {@code ownEmbedded} says whether closing
   * stops an embedded PostgreSQL that another process started (false for read-only commands).
   */
  public static Database open(
      String url, String user, String password, Path dataDir, int poolSize, boolean ownEmbedded) {
    EmbeddedPostgresServer embedded = null;
    String jdbcUrl = url;
    String description;
    if (url == null || url.isBlank()) {
      embedded = EmbeddedPostgresServer.startOrAttach(dataDir, ownEmbedded);
      jdbcUrl = embedded.jdbcUrl();
      user = EmbeddedPostgresServer.APPLICATION_ROLE;
      try {
        password = embedded.applicationPassword();
      } catch (RuntimeException e) {
        embedded.close();
        throw e;
      }
      description = "embedded PostgreSQL (data in " + dataDir.resolve("postgres") + ")";
    } else {
      description = "PostgreSQL at " + redact(url);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("flotilla");
    config.setAutoCommit(true);
    config.setInitializationFailTimeout(30_000);
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
      Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw new FlotillaException(
          "could not open the store (" + description + "): " + rootMessage(e) + "; check --db-url and the credentials",
          e);
    }
    return new Database(dataSource, embedded, description);
  }

  /**
   * Connects to the embedded PostgreSQL another process is running on {@code dataDir}, never
   * starting one; empty when none runs, or when it does not take connections yet (still starting,
   * or its owner has not set up the application role yet). For tools that must not compete with a
   * controller.
   */
  public static java.util.Optional<Database> attachEmbedded(Path dataDir, int poolSize) {
    return EmbeddedPostgresServer.attach(dataDir, false).flatMap(server -> {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(server.jdbcUrl());
      config.setUsername(EmbeddedPostgresServer.APPLICATION_ROLE);
      config.setPassword(server.applicationPassword());
      config.setMaximumPoolSize(poolSize);
      config.setPoolName("flotilla-attached");
      try {
        return java.util.Optional.of(
            new Database(new HikariDataSource(config), server, "embedded PostgreSQL at port " + server.port()));
      } catch (HikariPool.PoolInitializationException notYet) {
        return java.util.Optional.empty();
      }
    });
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public String description() {
    return description;
  }

  @Override
  public void close() {
    dataSource.close();
    if (embedded != null) {
      embedded.close();
    }
  }

  /** A JDBC URL without a password that may be embedded in it. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1<redacted>").replaceAll("//[^/@]*@", "//<redacted>@");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
