package dev.flotilla.dashboard.port;

import java.time.Instant;

/**
 * The campaign's changesets at one instant, taken from changeset history.
 *
 * @param at the instant
 * @param open changesets not yet in a terminal state
 * @param merged changesets in MERGED
 */
public record BurndownPoint(Instant at, long open, long merged) {}
