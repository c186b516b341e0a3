package dev.flotilla.controller.engine;

import dev.flotilla.controller.exec.LocalExecutor;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.forge.local.LocalCi;
import dev.flotilla.controller.forge.local.LocalForge;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.CredentialResolver;
import dev.flotilla.runner.RunRequest;
import dev.flotilla.runner.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The real engine for the integration tests: the embedded PostgreSQL in {@code tmp/data}, bare repositories
 * in {@code tmp/forge} served by the local forge and its CI, the real runner on a local executor working in
 * {@code tmp/work}, and a started {@link Controller}. Closing it stops them all.
 */
public final class TestEngine implements AutoCloseable {

  private final Path tmp;
  private final Database db;
  private final Jdbc jdbc;
  private final LocalCi ci;
  private final LocalForge localForge;
  private final Forge forge;
  private final TestForgeRepos repos;
  private final Clock clock;
  private final int threads;
  private final CredentialResolver credentials;
  private final Function<RunRequest, Map<String, String>> runEnvironment;
  private final Migrations migrations = Migrations.load();
  private Controller controller;

  private TestEngine(Builder b) throws Exception {
    tmp = b.tmp;
    clock = b.clock;
    threads = b.threads;
    credentials = b.credentials;
    runEnvironment = b.runEnvironment;
    Path forgeRoot = Files.createDirectories(tmp.resolve("forge"));
    repos = new TestForgeRepos(forgeRoot);
    db = b.ownServer ? Database.open(null, null, null, tmp.resolve("data"), 8) : TestPostgres.open(tmp.resolve("data"), 8);
    jdbc = new Jdbc(db.dataSource());
    ci = new LocalCi(db.dataSource(), new LocalCi.Settings(b.ciCommand, Duration.ofSeconds(60), 2));
    localForge = new LocalForge(forgeRoot, db.dataSource(), ci, "http://localhost:8080");
    forge = b.forge.apply(localForge);
    newController(b.settings);
  }

  /** An engine over fresh state in {@code tmp}. */
  public static Builder builder(Path tmp) {
    return new Builder(tmp);
  }

  /**
   * A started controller over the same store and forge with {@code settings}, as after a restart; the one
   * {@link #close()} stops from now on. The caller closes the one it had before.
   */
  public Controller newController(EngineSettings settings) {
    LocalExecutor.RunFunction run = runEnvironment == null
        ? new Runner(migrations, credentials)::run
        : (request, dir) -> new Runner(migrations, CredentialResolver.withEnvironment(runEnvironment.apply(request))).run(request, dir);
    var executor = new LocalExecutor(run, tmp.resolve("work"), threads);
    controller = new Controller(EngineContext.create(jdbc, forge, migrations, clock, settings), executor, EngineObserver.NONE);
    controller.start();
    return controller;
  }

  public Controller controller() {
    return controller;
  }

  public Database db() {
    return db;
  }

  public Jdbc jdbc() {
    return jdbc;
  }

  public LocalCi ci() {
    return ci;
  }

  /** The local forge itself, under any decorator the builder was given. */
  public LocalForge localForge() {
    return localForge;
  }

  public TestForgeRepos repos() {
    return repos;
  }

  @Override
  public void close() {
    controller.close();
    ci.close();
    db.close();
  }

  /** The knobs the tests turn; every default is what most of them use. */
  public static final class Builder {
    private final Path tmp;
    private Clock clock = Clock.systemUTC();
    private int threads = 2;
    private String ciCommand = "./ci.sh";
    private UnaryOperator<Forge> forge = UnaryOperator.identity();
    private CredentialResolver credentials = CredentialResolver.fromEnvironment();
    private Function<RunRequest, Map<String, String>> runEnvironment;
    private EngineSettings settings = EngineSettings.defaults().withRecheckInterval(Duration.ZERO);
    private boolean ownServer;

    private Builder(Path tmp) {
      this.tmp = tmp;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** How many runs the executor runs at once. */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** The command the local CI runs in a pull request's checkout. */
    public Builder ciCommand(String ciCommand) {
      this.ciCommand = ciCommand;
      return this;
    }

    /** Wraps the local forge, to watch or change what the engine sees of it. */
    public Builder forge(UnaryOperator<Forge> forge) {
      this.forge = forge;
      return this;
    }

    public Builder credentials(CredentialResolver credentials) {
      this.credentials = credentials;
      return this;
    }

    /** The environment each run sees, such as the run token a GitHub forge mints for its repository; replaces {@link #credentials}. */
    public Builder runEnvironment(Function<RunRequest, Map<String, String>> runEnvironment) {
      this.runEnvironment = runEnvironment;
      return this;
    }

    public Builder settings(EngineSettings settings) {
      this.settings = settings;
      return this;
    }

    /**
     * An embedded PostgreSQL of its own in {@code tmp/data}, as {@code flotilla} runs it, instead of a
     * database on the shared test server: for tests whose command line opens the store by {@code --data-dir}.
     */
    public Builder ownServer() {
      this.ownServer = true;
      return this;
    }

    public TestEngine build() throws Exception {
      return new TestEngine(this);
    }
  }
}
