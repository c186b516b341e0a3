package dev.flotilla.migration;

import java.util.Objects;

/**
 * What one {@link Migration#apply} did to one repository: it changed files (with a one-line summary
 * for the pull request and the dashboard), it found nothing to change, or the migration does not
 * apply to this repository at all (with the reason).
 *
 * <p>Nothing changed can mean two things, and people must be able to tell them apart:
 *
 * <pre>{@code
 * Outcome.unchanged()                                     // already as wanted: done
 * Outcome.unchanged("actions/checkout@v7 is ahead of v4") // left alone on purpose: a person looks
 * }</pre>
 *
 * An unchanged outcome with a reason is shown with its reason by {@code flotilla preview}, on the
 * changeset ({@code NEEDS_HUMAN}) and on the dashboard, and is never counted as up to date. Use it
 * whenever the migration sees what it was asked to change but refuses to change it (a downgrade, a
 * version from a property other artifacts share, a pin it cannot resolve). A {@link #changed}
 * summary may carry the same kind of note after a {@code ;} for what it left alone beside its edits.
 */
public record Outcome(Kind kind, String message) {

  /** The three things a migration run can say. */
  public enum Kind {
    CHANGED,
    UNCHANGED,
    NOT_APPLICABLE
  }

  public Outcome {
    Objects.requireNonNull(kind, "kind");
    message = message == null ? "" : message;
  }

  /** Files were edited; {@code summary} is one line such as "bumped 3 workflows". */
  public static Outcome changed(String summary) {
    return new Outcome(Kind.CHANGED, summary);
  }

  /** The repository already looks the way the migration wants. */
  public static Outcome unchanged() {
    return new Outcome(Kind.UNCHANGED, "");
  }

  /**
   * Nothing was changed on purpose although something the migration was asked to change is there;
   * {@code reason} says what was left alone and why, in words a person can act on, such as
   * "left actions/checkout@v7 alone: it is ahead of v4". A blank reason means {@link #unchanged()}.
   */
  public static Outcome unchanged(String reason) {
    return new Outcome(Kind.UNCHANGED, reason);
  }

  /** The migration has nothing to work on here, for example "no pom.xml". */
  public static Outcome notApplicable(String reason) {
    return new Outcome(Kind.NOT_APPLICABLE, reason);
  }

  public boolean isChanged() {
    return kind == Kind.CHANGED;
  }

  /** Unchanged with a reason: the migration left something alone that a person should look at. */
  public boolean needsHuman() {
    return kind == Kind.UNCHANGED && !message.isBlank();
  }
}
