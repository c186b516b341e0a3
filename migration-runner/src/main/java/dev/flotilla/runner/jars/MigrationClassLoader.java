package dev.flotilla.runner.jars;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one team's migration jar (and the libraries it brings): child-first, so the
 * team's libraries never clash with Flotilla's, sharing only the migration API (and OpenRewrite,
 * whose recipes must extend the one {@code Recipe} class Flotilla runs) with Flotilla. Everything
 * else comes from the jar or the JDK: Flotilla's Jackson, JGit or logging stay invisible to it.
 */
final class MigrationClassLoader extends URLClassLoader {

  /** Packages taken from Flotilla: the API a migration implements, and what it hands to OpenRewrite. */
  private static final List<String> SHARED = List.of(
      "dev.flotilla.migration.",
      "dev.flotilla.FlotillaException",
      "dev.flotilla.Printable",
      "dev.flotilla.TokenMask",
      "org.openrewrite.");

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader flotilla;

  MigrationClassLoader(String name, URL[] urls, ClassLoader flotilla) {
    // The parent is the JDK alone; Flotilla's own classes are reached only through SHARED.
    super(name, urls, ClassLoader.getPlatformClassLoader());
    this.flotilla = flotilla;
  }

  static boolean shared(String className) {
    return SHARED.stream().anyMatch(className::startsWith);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (shared(name)) {
      try {
        return flotilla.loadClass(name);
      } catch (ClassNotFoundException e) {
        // A recipe module's own org.openrewrite.* classes are not Flotilla's: they come from the jar.
      }
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        try {
          loaded = findClass(name);
        } catch (ClassNotFoundException e) {
          loaded = getParent().loadClass(name);
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  /** The jar's own resources first, then the JDK's: never Flotilla's services files or configuration. */
  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
    all.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(all);
  }
}
