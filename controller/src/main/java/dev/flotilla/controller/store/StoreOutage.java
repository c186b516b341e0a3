package dev.flotilla.controller.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a store that is not there (the server down, restarting, or out of connections) from a
 * store that answered with an error. An outage says nothing about the changeset, the pull request
 * or the check at hand: it is never recorded as their failure, and the work is done again once the
 * store is back. An error (a constraint, bad data) is about the work itself.
 */
public final class StoreOutage {

  private StoreOutage() {}

  /** Whether {@code e}, or one of its causes, is the store being unreachable. */
  public static boolean causedBy(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exception; 57P0x: the server shut down, crashed or cannot take connections
        // yet; 53300: too many connections.
        if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
          return true;
        }
      }
    }
    return false;
  }
}
