package dev.flotilla.dashboard.port;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which changesets of a campaign to return, in which order, and which slice. Shaped so that an
 * implementation can push all of it into one SQL query ({@code WHERE ... ORDER BY ... OFFSET ... LIMIT}).
 *
 * @param campaign campaign name
 * @param states only these states; empty means all
 * @param owner only repositories of this owning team (exact match); {@code null} means all
 * @param text case-insensitive substring of the repository name or the last error; {@code null} means all
 * @param sort the column to order by; ties are broken by repository name
 * @param descending order direction
 * @param offset rows to skip, at least 0
 * @param limit rows to return, 1 to {@link #MAX_LIMIT}
 */
public record ChangesetQuery(
    String campaign,
    Set<ChangesetState> states,
    String owner,
    String text,
    Sort sort,
    boolean descending,
    int offset,
    int limit) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public enum Sort {
    REPOSITORY("repository"),
    STATE("state"),
    OWNER("owner"),
    /** Oldest {@code stateSince} first when ascending: the longest time in state. */
    STATE_SINCE("stateSince");

    private final String param;

    Sort(String param) {
      this.param = param;
    }

    /** The name used in query strings, e.g. {@code sort=-stateSince}. */
    public String param() {
      return param;
    }
  }

  public ChangesetQuery {
    Objects.requireNonNull(campaign, "campaign");
    states = states == null || states.isEmpty()
        ? Set.of()
        : Set.copyOf(EnumSet.copyOf(states));
    owner = blankToNull(owner);
    text = blankToNull(text);
    sort = sort == null ? Sort.REPOSITORY : sort;
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  /** Every changeset of the campaign, first page, by repository name. */
  public static ChangesetQuery all(String campaign) {
    return new ChangesetQuery(campaign, Set.of(), null, null, Sort.REPOSITORY, false, 0, DEFAULT_LIMIT);
  }

  public ChangesetQuery withStates(Set<ChangesetState> newStates) {
    return new ChangesetQuery(campaign, newStates, owner, text, sort, descending, offset, limit);
  }

  public ChangesetQuery withPage(int newOffset, int newLimit) {
    return new ChangesetQuery(campaign, states, owner, text, sort, descending, newOffset, newLimit);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
