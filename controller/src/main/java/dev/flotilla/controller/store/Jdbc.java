package dev.flotilla.controller.store;

import dev.flotilla.FlotillaException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC with the few conveniences the stores need: parameter binding, row mapping and
 * transactions. Inside {@link #inTransaction} every call on this object uses the transaction's
 * connection, so stores compose into one atomic step.
 */
public final class Jdbc {

  /** Maps the current row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException;
  }

  private final DataSource dataSource;
  private final ThreadLocal<Connection> current = new ThreadLocal<>();

  public Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs {@code work} in a transaction; commits on return, rolls back on any exception. */
  public <T> T inTransaction(Work<T> work) {
    if (current.get() != null) {
      try {
        return work.run();
      } catch (SQLException e) {
        throw new StoreException("store operation failed: " + e.getMessage(), e);
      }
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      current.set(c);
      try {
        T result = work.run();
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new StoreException("store operation failed: " + e.getMessage(), e);
      } finally {
        current.remove();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("store operation failed: " + e.getMessage(), e);
    }
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    return withConnection(
        c -> {
          try (PreparedStatement ps = prepare(c, sql, params);
              ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
              rows.add(mapper.map(rs));
            }
            return rows;
          }
        });
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Whether the database answers a trivial query. */
  public boolean reachable() {
    return count("SELECT 1") == 1;
  }

  public long count(String sql, Object... params) {
    return queryOne(sql, rs -> rs.getLong(1), params).orElse(0L);
  }

  public int update(String sql, Object... params) {
    return withConnection(
        c -> {
          try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
          }
        });
  }

  /** Runs an INSERT ... RETURNING or UPDATE ... RETURNING that yields one value. */
  public <T> Optional<T> returning(String sql, RowMapper<T> mapper, Object... params) {
    return queryOne(sql, mapper, params);
  }

  public static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  public static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private interface ConnectionWork<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(ConnectionWork<T> work) {
    Connection tx = current.get();
    try {
      if (tx != null) {
        return work.run(tx);
      }
      try (Connection c = dataSource.getConnection()) {
        return work.run(c);
      }
    } catch (SQLException e) {
      throw new StoreException("store operation failed: " + e.getMessage(), e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant instant) {
        ps.setTimestamp(i + 1, Timestamp.from(instant));
      } else if (p instanceof Enum<?> e) {
        ps.setString(i + 1, e.name());
      } else if (p instanceof String[] array) {
        ps.setArray(i + 1, c.createArrayOf("text", array));
      } else if (p instanceof Long[] array) {
        ps.setArray(i + 1, c.createArrayOf("bigint", array));
      } else if (p instanceof Json json) {
        org.postgresql.util.PGobject o = new org.postgresql.util.PGobject();
        o.setType("jsonb");
        o.setValue(json.text());
        ps.setObject(i + 1, o);
      } else {
        ps.setObject(i + 1, p);
      }
    }
    return ps;
  }

  /** A JSON text bound as {@code jsonb}. */
  public record Json(String text) {}

  /** A failure talking to the store. */
  public static final class StoreException extends FlotillaException {
    public StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** True when {@code e} is a unique-constraint violation (someone else inserted first). */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static FlotillaException unexpected(String what, Exception e) {
    return new StoreException(what + ": " + e.getMessage(), e);
  }
}
