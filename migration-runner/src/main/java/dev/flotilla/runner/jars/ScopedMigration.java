package dev.flotilla.runner.jars;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A migration whose every call runs with {@code loader} as the thread's context class loader: a
 * team's migration sees its own jar (libraries that look classes up by name, such as Jackson or
 * OpenRewrite, find them there), and the built-in {@code openrewrite} migration sees the recipes of
 * every team jar.
 */
final class ScopedMigration implements Migration, MigrationSource {

  private final Migration migration;
  private final ClassLoader loader;
  private final String source;

  ScopedMigration(Migration migration, ClassLoader loader, String source) {
    this.migration = migration;
    this.loader = loader;
    this.source = source;
  }

  @Override
  public String source() {
    return source;
  }

  Migration migration() {
    return migration;
  }

  @Override
  public String id() {
    return migration.id();
  }

  @Override
  public String title() {
    return scoped(migration::title);
  }

  @Override
  public String description() {
    return scoped(migration::description);
  }

  @Override
  public List<ParameterSpec> parameters() {
    return scoped(migration::parameters);
  }

  @Override
  public boolean acceptsOtherParameters() {
    return scoped(migration::acceptsOtherParameters);
  }

  @Override
  public Validation validate(Parameters parameters) {
    return scoped(() -> migration.validate(parameters));
  }

  @Override
  public boolean editsWorkflows(Parameters parameters) {
    return scoped(() -> migration.editsWorkflows(parameters));
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return migration.apply(workspace, parameters);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private <T> T scoped(Callable<T> call) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Override
  public String toString() {
    return migration.getClass().getName() + " (" + source + ")";
  }
}
