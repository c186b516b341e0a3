package dev.flotilla.controller.store;

import dev.flotilla.controller.model.ChangesetState;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the controller's changeset states read on the dashboard. The names are the same on both sides;
 * the one difference is a changeset SKIPPED because its repository's {@code .flotilla.yaml} is broken,
 * which the dashboard shows as {@code INVALID_CONFIG} so owners see what to fix.
 */
final class States {

  /**
   * {@link dev.flotilla.controller.model.Lifecycle#skippedForInvalidOptIn} as SQL over changeset
   * {@code c} joined to repository {@code r}.
   */
  static final String SKIPPED_FOR_INVALID_OPT_IN = "(c.state = 'SKIPPED' AND r.opt_in_status = 'INVALID_CONFIG')";

  /**
   * The dashboard state of changeset {@code c} joined to repository {@code r}, as SQL. Every query
   * filters, sorts and counts by this one expression, so the numbers agree everywhere.
   */
  static final String SHOWN =
      "CASE WHEN " + SKIPPED_FOR_INVALID_OPT_IN + " THEN 'INVALID_CONFIG' ELSE c.state END";

  /** Lifecycle order for sorting by state, so PENDING sorts before MERGED rather than by spelling. */
  static final String ORDER = Arrays.stream(dev.flotilla.dashboard.port.ChangesetState.values())
      .map(s -> "'" + s.name() + "'")
      .collect(Collectors.joining(",", "array_position(ARRAY[", "]::text[], shown_state)"));

  /** States still moving: the burndown's "open" line. */
  static final String[] OPEN = Arrays.stream(ChangesetState.values())
      .filter(s -> !s.isTerminal())
      .map(Enum::name)
      .toArray(String[]::new);

  private States() {}

  static dev.flotilla.dashboard.port.ChangesetState shown(String stored) {
    return dev.flotilla.dashboard.port.ChangesetState.valueOf(stored);
  }

  static String stored(dev.flotilla.dashboard.port.ChangesetState shown) {
    return shown.name();
  }
}
