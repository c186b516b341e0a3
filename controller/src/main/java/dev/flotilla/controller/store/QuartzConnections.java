package dev.flotilla.controller.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/** Hands Quartz connections from the controller's own pool, so schedules live in the same store. */
public record QuartzConnections(DataSource dataSource) implements ConnectionProvider {
  @Override
  public Connection getConnection() throws SQLException {
    return dataSource.getConnection();
  }

  @Override
  public void shutdown() {}

  @Override
  public void initialize() {}
}
