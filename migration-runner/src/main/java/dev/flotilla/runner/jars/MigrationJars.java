package dev.flotilla.runner.jars;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flotilla's built-in migrations plus the teams' migration jars in a folder
 * ({@code FLOTILLA_MIGRATIONS_DIR}), each loaded in its own {@link MigrationClassLoader}.
 *
 * <p>The folder holds migration jars ({@code acme-migrations-1.2.0.jar}, each alone in its class
 * loader) and sub-folders (every jar in {@code acme/} shares one class loader: a migration jar and
 * the libraries it needs). Two migrations with one id, wherever they come from, stop the start with a
 * message naming both jars.
 */
public final class MigrationJars implements AutoCloseable {

  /** The environment variable naming the folder of migration jars. */
  public static final String DIR_ENV = "FLOTILLA_MIGRATIONS_DIR";
  static final String BUILT_IN = "built in";

  private static final Logger log = LoggerFactory.getLogger(MigrationJars.class);

  private final Migrations migrations;
  private final List<Path> jars;
  private final List<URLClassLoader> loaders;
  private final Map<String, String> sources;

  private MigrationJars(Migrations migrations, List<Path> jars, List<URLClassLoader> loaders, Map<String, String> sources) {
    this.migrations = migrations;
    this.jars = List.copyOf(jars);
    this.loaders = List.copyOf(loaders);
    this.sources = Map.copyOf(sources);
  }

  /** The environment variable listing migration jars by Maven coordinates, comma-separated. */
  public static final String ARTIFACTS_ENV = "FLOTILLA_MIGRATION_ARTIFACTS";
  public static final String REPOSITORY_URL_ENV = "FLOTILLA_MAVEN_REPOSITORY_URL";
  public static final String REPOSITORY_USERNAME_ENV = "FLOTILLA_MAVEN_REPOSITORY_USERNAME";
  public static final String REPOSITORY_PASSWORD_ENV = "FLOTILLA_MAVEN_REPOSITORY_PASSWORD";
  public static final String CACHE_ENV = "FLOTILLA_MAVEN_CACHE_DIR";

  /**
   * The built-in migrations, plus those in the folder {@value #DIR_ENV} names and those
   * {@value #ARTIFACTS_ENV} lists by Maven coordinates, fetched from {@value #REPOSITORY_URL_ENV}
   * into {@value #CACHE_ENV} (default {@code ~/.flotilla/maven}).
   */
  public static MigrationJars fromEnvironment(Map<String, String> env) {
    List<Unit> units = new ArrayList<>();
    String dir = env.get(DIR_ENV);
    if (dir != null && !dir.isBlank()) {
      units.addAll(folder(Path.of(dir), DIR_ENV));
    }
    List<String> artifacts = artifacts(env.get(ARTIFACTS_ENV));
    if (!artifacts.isEmpty()) {
      String url = env.get(REPOSITORY_URL_ENV);
      if (url == null || url.isBlank()) {
        throw new FlotillaException(ARTIFACTS_ENV + " lists " + artifacts + " but " + REPOSITORY_URL_ENV
            + " is not set; set it to your team's Maven repository, such as https://maven.acme.example/releases");
      }
      String cache = env.getOrDefault(CACHE_ENV, System.getProperty("user.home") + "/.flotilla/maven");
      MavenArtifacts maven = new MavenArtifacts(
          new MavenArtifacts.Repository(java.net.URI.create(url.strip()), blankToNull(env.get(REPOSITORY_USERNAME_ENV)),
              blankToNull(env.get(REPOSITORY_PASSWORD_ENV))),
          Path.of(cache));
      for (String coordinates : artifacts) {
        units.add(new Unit(coordinates, maven.resolve(coordinates)));
      }
    }
    return units.isEmpty() ? builtIn() : load(units, MigrationJars.class.getClassLoader());
  }

  /** The coordinates in a comma-separated list, each checked. */
  static List<String> artifacts(String list) {
    List<String> artifacts = new ArrayList<>();
    if (list == null) {
      return artifacts;
    }
    for (String item : list.split(",")) {
      if (item.isBlank()) {
        continue;
      }
      String problem = MavenArtifacts.problem(item.strip());
      if (problem != null) {
        throw new FlotillaException(ARTIFACTS_ENV + ": " + problem);
      }
      artifacts.add(item.strip());
    }
    return artifacts;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** Jars loaded together in one class loader, named in messages by {@code name}. */
  record Unit(String name, List<Path> jars) {}

  /** Flotilla's own migrations only. */
  public static MigrationJars builtIn() {
    Migrations builtIn = Migrations.load(MigrationJars.class.getClassLoader());
    Map<String, String> sources = new LinkedHashMap<>();
    builtIn.ids().forEach(id -> sources.put(id, BUILT_IN));
    return new MigrationJars(builtIn, List.of(), List.of(), sources);
  }

  /** The built-in migrations and every migration jar in {@code dir}; {@code setting} names where dir came from. */
  public static MigrationJars load(Path dir, String setting) {
    return load(folder(dir, setting), MigrationJars.class.getClassLoader());
  }

  private static List<Unit> folder(Path dir, String setting) {
    if (!Files.isDirectory(dir)) {
      throw new FlotillaException(setting + "=" + dir + " is not a folder; create it and put your migration jars"
          + " there, or unset " + setting + " to run the built-in migrations only");
    }
    return units(dir).stream().map(jars -> new Unit(name(jars), jars)).toList();
  }

  /** Each group of jars in its own class loader, next to the migrations {@code flotilla} holds. */
  static MigrationJars load(List<Unit> units, ClassLoader flotilla) {
    List<URLClassLoader> loaders = new ArrayList<>();
    try {
      Map<String, ScopedMigration> byId = new LinkedHashMap<>();
      List<Path> jars = new ArrayList<>();
      List<URL> recipeUrls = new ArrayList<>();
      List<LoadedUnit> loaded = new ArrayList<>();
      for (Unit unit : units) {
        URL[] urls = urls(unit.jars());
        MigrationClassLoader loader = new MigrationClassLoader(unit.name(), urls, flotilla);
        loaders.add(loader);
        jars.addAll(unit.jars());
        recipeUrls.addAll(List.of(urls));
        loaded.add(new LoadedUnit(unit.name(), loader, instantiate(loader, unit.name())));
      }
      // The built-in migrations see every team jar through their context class loader: the
      // openrewrite migration finds a team's recipes there, with Flotilla's OpenRewrite classes first.
      URLClassLoader recipes = new URLClassLoader("flotilla-recipes", recipeUrls.toArray(URL[]::new), flotilla);
      loaders.add(recipes);
      for (Migration builtIn : Migrations.load(flotilla).all()) {
        add(byId, new ScopedMigration(builtIn, recipes, BUILT_IN));
      }
      for (LoadedUnit unit : loaded) {
        for (Migration migration : unit.migrations()) {
          add(byId, new ScopedMigration(migration, unit.loader(), unit.name()));
        }
        if (!unit.migrations().isEmpty()) {
          log.info("loaded migrations {} from {}", unit.migrations().stream().map(Migration::id).toList(), unit.name());
        }
      }
      Map<String, String> sources = new LinkedHashMap<>();
      byId.forEach((id, migration) -> sources.put(id, migration.source()));
      return new MigrationJars(Migrations.of(byId.values()), jars, loaders, sources);
    } catch (RuntimeException e) {
      loaders.forEach(MigrationJars::closeQuietly);
      throw e;
    }
  }

  private record LoadedUnit(String name, ClassLoader loader, List<Migration> migrations) {}

  private static void add(Map<String, ScopedMigration> byId, ScopedMigration migration) {
    ScopedMigration previous = byId.putIfAbsent(migration.id(), migration);
    if (previous != null) {
      throw new FlotillaException("two migrations share the id '" + migration.id() + "': "
          + previous.migration().getClass().getName() + " (" + previous.source() + ") and "
          + migration.migration().getClass().getName() + " (" + migration.source() + ")"
          + "; remove one of the jars from " + DIR_ENV + " or " + ARTIFACTS_ENV + ", or give one of the migrations another id");
    }
  }

  private static List<Migration> instantiate(ClassLoader loader, String name) {
    try {
      List<Migration> found = ServiceLoader.load(Migration.class, loader).stream()
          .map(ServiceLoader.Provider::get)
          .toList();
      if (found.isEmpty()) {
        // A recipe library for the openrewrite migration lists none; a forgotten services file looks the same.
        log.info("{} lists no migration (no META-INF/services/{}): only its OpenRewrite recipes are used", name, Migration.class.getName());
      }
      for (Migration migration : found) {
        if (migration.id() == null || migration.id().isBlank()) {
          throw new FlotillaException(migration.getClass().getName() + " in " + name
              + " has no id; id() must return a stable verb-noun name");
        }
      }
      return found;
    } catch (ServiceConfigurationError | LinkageError e) {
      throw new FlotillaException("cannot load the migrations of " + name + ": " + e.getMessage()
          + "; check that the classes in META-INF/services/" + Migration.class.getName()
          + " exist, are public with a public no-argument constructor, and that the jar's libraries are next to it", e);
    }
  }

  /** Top-level jars one each; the jars of each sub-folder together. */
  static List<List<Path>> units(Path dir) {
    List<List<Path>> units = new ArrayList<>();
    for (Path entry : list(dir)) {
      if (Files.isDirectory(entry)) {
        List<Path> jars = list(entry).stream().filter(MigrationJars::isJar).toList();
        if (jars.isEmpty()) {
          throw new FlotillaException(entry + " in " + DIR_ENV + " holds no jar; remove the folder or put the migration jar and its libraries in it");
        }
        units.add(jars);
      } else if (isJar(entry)) {
        units.add(List.of(entry));
      }
    }
    return units;
  }

  private static boolean isJar(Path path) {
    return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new FlotillaException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String name(List<Path> unit) {
    return unit.size() == 1 ? unit.get(0).getFileName().toString() : unit.get(0).getParent().getFileName() + "/";
  }

  private static URL[] urls(List<Path> unit) {
    List<URL> urls = new ArrayList<>();
    for (Path jar : unit) {
      try {
        urls.add(jar.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new FlotillaException("cannot read " + jar + ": " + e.getMessage(), e);
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static void closeQuietly(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      log.warn("could not close the class loader of {}: {}", loader.getName(), e.getMessage());
    }
  }

  /** Every migration: the built-in ones and the jars'. */
  public Migrations migrations() {
    return migrations;
  }

  /** The jars loaded, in order. */
  public List<Path> jars() {
    return jars;
  }

  /**
   * Where the migration with this id came from: "built in", a jar's file name, a folder's name, or
   * the Maven coordinates it was fetched by.
   */
  public String sourceOf(String id) {
    migrations.get(id);
    return sources.get(id);
  }

  /** The ids of the migrations loaded from jars. */
  public Collection<String> teamIds() {
    return sources.entrySet().stream().filter(e -> !BUILT_IN.equals(e.getValue())).map(Map.Entry::getKey).toList();
  }

  @Override
  public void close() {
    loaders.forEach(MigrationJars::closeQuietly);
  }
}
