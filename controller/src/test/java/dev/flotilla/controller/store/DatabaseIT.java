package dev.flotilla.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseIT {

  @TempDir Path dataDir;

  @Test
  void embeddedDatabaseKeepsItsDataAcrossRestarts() throws Exception {
    try (Database db = Database.open(null, null, null, dataDir, 2);
        Connection c = db.dataSource().getConnection()) {
      c.createStatement().execute("INSERT INTO audit_event (at, actor, action) VALUES (now(), 'test', 'first start')");
    }
    try (Database db = Database.open(null, null, null, dataDir, 2);
        Connection c = db.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT action FROM audit_event")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("first start");
    }
  }

  @Test
  void redactsPasswordsFromUrls() {
    assertThat(Database.redact("jdbc:postgresql://db/flotilla?user=f&password=s3cret"))
        .doesNotContain("s3cret");
    assertThat(Database.redact("jdbc:postgresql://f:s3cret@db/flotilla")).doesNotContain("s3cret");
  }
}
