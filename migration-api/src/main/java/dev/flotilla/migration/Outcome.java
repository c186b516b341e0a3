package dev.flotilla.migration;

import java.util.Objects;

/**
 * What one {@link Migration#apply} did to one repository: it changed files (with a one-line summary
 * for the pull request and the dashboard), it found nothing to change, or the migration does not
 * apply to this repository at all (with the reason).
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

  /** The migration has nothing to work on here, for example "no pom.xml". */
  public static Outcome notApplicable(String reason) {
    return new Outcome(Kind.NOT_APPLICABLE, reason);
  }

  public boolean isChanged() {
    return kind == Kind.CHANGED;
  }
}
