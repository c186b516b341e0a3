package dev.flotilla.migration;

import dev.flotilla.FlotillaException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The migrations available on the classpath, found with {@link ServiceLoader} and keyed by id. Two
 * migrations with the same id are an error naming both classes.
 */
public final class Migrations {

  private final Map<String, Migration> byId;

  private Migrations(Map<String, Migration> byId) {
    this.byId = Collections.unmodifiableMap(byId);
  }

  /** Every migration listed in {@code META-INF/services/dev.flotilla.migration.Migration}. */
  public static Migrations load() {
    return load(Thread.currentThread().getContextClassLoader());
  }

  /** Every migration that {@code loader} lists in {@code META-INF/services/dev.flotilla.migration.Migration}. */
  public static Migrations load(ClassLoader loader) {
    try {
      return of(ServiceLoader.load(Migration.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    } catch (ServiceConfigurationError e) {
      throw new FlotillaException(
          "could not load a migration listed in META-INF/services/" + Migration.class.getName() + ": "
              + e.getMessage() + "; check the class name and that it is public with a public no-argument constructor",
          e);
    }
  }

  /** These migrations; the same class listed twice counts once, two classes with one id are an error. */
  public static Migrations of(Collection<? extends Migration> migrations) {
    Map<String, Migration> byId = new TreeMap<>();
    for (Migration migration : migrations) {
      if (migration.id() == null || migration.id().isBlank()) {
        throw new FlotillaException(
            migration.getClass().getName() + " has no id; id() must return a stable verb-noun name");
      }
      Migration previous = byId.putIfAbsent(migration.id(), migration);
      if (previous != null && previous.getClass() != migration.getClass()) {
        throw new FlotillaException(
            "two migrations share the id '"
                + migration.id()
                + "': "
                + previous.getClass().getName()
                + " and "
                + migration.getClass().getName()
                + "; give one of them another id");
      }
    }
    return new Migrations(byId);
  }

  /** The migration with this id; the exception lists the known ids. */
  public Migration get(String id) {
    Migration migration = byId.get(id);
    if (migration == null) {
      throw new UnknownMigrationException(id, byId.keySet());
    }
    return migration;
  }

  public boolean contains(String id) {
    return byId.containsKey(id);
  }

  public Collection<Migration> all() {
    return byId.values();
  }

  public Collection<String> ids() {
    return byId.keySet();
  }
}
