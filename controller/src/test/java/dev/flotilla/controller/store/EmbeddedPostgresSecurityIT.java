package dev.flotilla.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL admits only who holds the password kept in the data directory, the
 * application is no superuser, and the server processes do not inherit the controller's
 * environment.
 */
class EmbeddedPostgresSecurityIT {

  @TempDir Path dataDir;

  @Test
  void refusesConnectionsWithoutTheRightPassword() throws Exception {
    try (Database db = Database.open(null, null, null, dataDir, 2)) {
      String url = "jdbc:postgresql://localhost:" + port() + "/postgres";
      for (String user : List.of("postgres", EmbeddedPostgresServer.APPLICATION_ROLE)) {
        assertThatThrownBy(() -> connect(url, user, null)).as("%s without a password", user).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connect(url, user, "wrong")).as("%s with a wrong password", user).isInstanceOf(SQLException.class);
      }
      assertThat(hbaLines()).isNotEmpty().noneMatch(line -> line.contains("trust"));
      assertThat(hbaLines()).allMatch(line -> line.endsWith("scram-sha-256"));
    }
  }

  @Test
  void keepsThePasswordsInFilesOnlyTheOwnerCanRead() throws Exception {
    try (Database db = Database.open(null, null, null, dataDir, 2)) {
      Path secrets = dataDir.resolve("postgres-auth");
      try (Stream<Path> files = Files.list(secrets)) {
        assertThat(files.toList()).isNotEmpty().allSatisfy(file -> assertThat(Files.getPosixFilePermissions(file))
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      }
      assertThat(Files.getPosixFilePermissions(secrets)).doesNotContain(
          PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
    }
  }

  @Test
  void theApplicationIsNoSuperuserAndCannotRunPrograms() throws Exception {
    try (Database db = Database.open(null, null, null, dataDir, 2);
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user");
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(EmbeddedPostgresServer.APPLICATION_ROLE);
      assertThat(rs.getBoolean(2)).as("superuser").isFalse();
      s.execute("CREATE TEMP TABLE out (line text)");
      assertThatThrownBy(() -> s.execute("COPY out FROM PROGRAM 'id'")).isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
      var owner = s.executeQuery("SELECT tableowner FROM pg_tables WHERE tablename = 'changeset'");
      owner.next();
      assertThat(owner.getString(1)).isEqualTo(EmbeddedPostgresServer.APPLICATION_ROLE);
    }
  }

  /** A data directory from a version that trusted every local connection is locked on start. */
  @Test
  void locksADataDirectoryAnOlderVersionLeftOpen() throws Exception {
    Path pgData = dataDir.resolve("postgres");
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false)
        .setOverrideWorkingDirectory(Files.createDirectories(dataDir.resolve("postgres-bin")).toFile()).start();
        Connection c = old.getPostgresDatabase().getConnection()) {
      // As an older Flotilla did: the schema made by the superuser, over a trusted connection.
      Flyway.configure().dataSource(old.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
      c.createStatement().execute("INSERT INTO audit_event (at, actor, action) VALUES (now(), 'old', 'kept')");
    }
    assertThat(hbaLines()).anyMatch(line -> line.contains("trust"));

    try (Database db = Database.open(null, null, null, dataDir, 2);
        Connection c = db.dataSource().getConnection()) {
      var rs = c.createStatement().executeQuery("SELECT action, current_user FROM audit_event");
      rs.next();
      assertThat(rs.getString(1)).as("the old data").isEqualTo("kept");
      assertThat(rs.getString(2)).as("read by the application role").isEqualTo(EmbeddedPostgresServer.APPLICATION_ROLE);
      assertThat(hbaLines()).noneMatch(line -> line.contains("trust"));
      String url = "jdbc:postgresql://localhost:" + port() + "/postgres";
      assertThatThrownBy(() -> connect(url, "postgres", null)).isInstanceOf(SQLException.class);
    }
  }

  @Test
  void postgresDoesNotInheritTheControllersEnvironment() throws Exception {
    try (Database db = Database.open(null, null, null, dataDir, 2)) {
      long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
      String environ = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
      Set<String> names = Set.copyOf(Arrays.stream(environ.split("\0")).filter(v -> !v.isEmpty())
          .map(v -> v.substring(0, v.indexOf('='))).toList());
      Set<String> allowed = new java.util.HashSet<>(EmbeddedPostgresServer.ENVIRONMENT.keySet());
      // What pg_ctl and its shell set for the server themselves.
      allowed.addAll(Set.of("PGDATA", "PG_GRANDPARENT_PID", "PGSYSCONFDIR", "PGLOCALEDIR", "PWD", "SHLVL", "_"));
      assertThat(names).isSubsetOf(allowed);
      assertThat(System.getenv().keySet()).as("the test's own environment has more").isNotEqualTo(names);
    }
  }

  /** A reader such as {@code flotilla status} attaches with the password from the data directory. */
  @Test
  void aReaderAttachesWithThePasswordFromTheDataDirectory() throws Exception {
    try (Database owner = Database.open(null, null, null, dataDir, 2);
        Database reader = Database.attachEmbedded(dataDir, 1).orElseThrow();
        Connection c = reader.dataSource().getConnection()) {
      var rs = c.createStatement().executeQuery("SELECT count(*) FROM changeset");
      assertThat(rs.next()).isTrue();
    }
  }

  private int port() throws Exception {
    return Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(3).trim());
  }

  private List<String> hbaLines() throws Exception {
    return Files.readAllLines(dataDir.resolve("postgres").resolve("pg_hba.conf")).stream()
        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
  }

  private static void connect(String url, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    DriverManager.getConnection(url, properties).close();
  }
}
