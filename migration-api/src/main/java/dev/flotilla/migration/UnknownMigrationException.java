package dev.flotilla.migration;

import dev.flotilla.FlotillaException;
import java.util.Collection;

/** A migration id that no migration on the classpath has. */
public class UnknownMigrationException extends FlotillaException {

  public UnknownMigrationException(String id, Collection<String> known) {
    super(
        "unknown migration '" + id + "'; known migrations: "
            + (known.isEmpty() ? "(none on the classpath)" : String.join(", ", known)));
  }
}
