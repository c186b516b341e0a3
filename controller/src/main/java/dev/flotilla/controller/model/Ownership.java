package dev.flotilla.controller.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The team that owns a repository and which source said so.
 *
 * @param asOf when the source last gave this answer
 * @param stale the source could not be asked this time, so this is its last answer
 */
public record Ownership(String team, Source source, Instant asOf, boolean stale) {

  /** Where an owner comes from, in the order they are asked: the first that answers wins. */
  public enum Source {
    BACKSTAGE("backstage"),
    CATALOG_INFO("catalog-info"),
    CODEOWNERS("codeowners"),
    OPT_IN("opt-in");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    /** How the API names the source: {@code backstage}, {@code catalog-info}, {@code codeowners}, {@code opt-in}. */
    public String label() {
      return label;
    }
  }

  public Ownership {
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(asOf, "asOf");
  }

  public static Ownership fresh(String team, Source source, Instant now) {
    return new Ownership(team, source, now, false);
  }

  public Ownership asStale() {
    return new Ownership(team, source, asOf, true);
  }
}
