package dev.flotilla.controller.forge.local;

import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.LocalChecks;
import dev.flotilla.controller.store.StoreOutage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The local forge's CI: runs one command (by default {@code ./ci.sh}) in a fresh checkout of a commit,
 * on a bounded pool, with a time limit, and records the outcome as the {@code ci} check of that
 * commit. A check is keyed by (repository, sha), so asking again never runs it twice; a check left
 * {@code PENDING} by a process that died is run again by the next one that asks.
 */
public final class LocalCi implements AutoCloseable {

  /** The name of the one check the local CI reports. */
  public static final String CHECK_NAME = "ci";
  /** Lines of output kept as the check's summary. */
  static final int SUMMARY_LINES = 20;
  /** Bytes read from the end of the output to find those lines. */
  private static final int TAIL_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(LocalCi.class);
  /** A command that is just a relative path to a file in the repository, run without a shell. */
  private static final Pattern FILE_COMMAND = Pattern.compile("(\\./)?[A-Za-z0-9_./-]+");

  /**
   * How CI runs.
   *
   * @param command a path in the repository ({@code ./ci.sh}, run directly; no file means no CI) or a
   *     shell command line ({@code make test}, run with {@code sh -c})
   * @param timeout how long a run may take before its whole process tree is killed
   * @param concurrency how many runs at once
   */
  public record Settings(String command, Duration timeout, int concurrency) {

    public static final Settings DEFAULTS = new Settings("./ci.sh", Duration.ofMinutes(10), 2);

    public Settings {
      if (command == null || command.isBlank()) {
        throw new IllegalArgumentException("the local CI command is empty; use e.g. ./ci.sh");
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the local CI timeout must be positive, was " + timeout);
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("the local CI concurrency must be at least 1, was " + concurrency);
      }
    }
  }

  private final LocalChecks checks;
  private final Settings settings;
  private final Clock clock;
  private final ExecutorService pool;
  /** Checks this process is running now; a PENDING row not in here is an orphan of a crash. */
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  public LocalCi(DataSource dataSource, Settings settings) {
    this(dataSource, settings, Clock.systemUTC());
  }

  public LocalCi(DataSource dataSource, Settings settings, Clock clock) {
    this.checks = new LocalChecks(new Jdbc(dataSource));
    this.settings = settings;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(
        settings.concurrency(),
        settings.concurrency(),
        30,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "local-ci-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The {@code ci} check of a commit: as recorded, or {@code PENDING} after starting a run when there
   * is none yet (or only an orphaned one). A repository without the CI file has no check at all.
   */
  CiStatus status(String repository, Path bareRepository, Repository repo, String sha) throws IOException {
    String key = repository + "@" + sha;
    Optional<CiStatus.Check> recorded = recorded(repository, sha);
    if (recorded.isPresent() && recorded.get().state() != CiStatus.State.PENDING) {
      return of(recorded.get());
    }
    if (running.contains(key)) {
      return pending();
    }
    if (!hasCommandFile(repo, sha)) {
      return CiStatus.none();
    }
    if (!running.add(key)) {
      return pending();
    }
    // Holding the key now; a run that finished since the first read has already recorded its result.
    Optional<CiStatus.Check> again = recorded(repository, sha);
    if (again.isPresent() && again.get().state() != CiStatus.State.PENDING) {
      running.remove(key);
      return of(again.get());
    }
    record(repository, sha, CiStatus.State.PENDING, "queued");
    String branch = branchAt(repo, sha);
    LOG.info("CI for {} at {}: {}", repository, abbreviate(sha),
        again.isPresent() ? "running again a check left pending by a stopped controller" : "starting");
    try {
      pool.execute(() -> runAndRecord(repository, bareRepository, sha, branch, key));
    } catch (RuntimeException e) {
      running.remove(key);
      throw new LocalForgeException("could not start CI for " + repository + " at " + sha + ": " + e.getMessage(), e);
    }
    return pending();
  }

  private static CiStatus pending() {
    return of(new CiStatus.Check(CHECK_NAME, CiStatus.State.PENDING, null, "queued"));
  }

  /** The recorded check, without starting anything. */
  Optional<CiStatus.Check> recorded(String repository, String sha) {
    return checks.find(repository, sha, CHECK_NAME);
  }

  private boolean hasCommandFile(Repository repo, String sha) throws IOException {
    Optional<String> file = commandFile();
    return file.isEmpty()
        || BareRepositories.readFile(repo, ObjectId.fromString(sha), file.get(), 0).isPresent();
  }

  /**
   * The repository path of the command when it is a path to a file ({@code ./ci.sh}, {@code
   * scripts/ci}), not a shell command line ({@code make test}, or a bare {@code make}).
   */
  private Optional<String> commandFile() {
    String command = settings.command().trim();
    if (!FILE_COMMAND.matcher(command).matches() || !command.contains("/") || command.contains("..")) {
      return Optional.empty();
    }
    return Optional.of(command.startsWith("./") ? command.substring(2) : command);
  }

  /**
   * The branch whose head {@code sha} is, the default branch first (a run after a merge), as CI systems
   * tell a script which branch it builds; null when no branch points at it.
   */
  static String branchAt(Repository repo, String sha) throws IOException {
    String defaultBranch = repo.getBranch();
    ObjectId id = ObjectId.fromString(sha);
    if (defaultBranch != null && id.equals(repo.resolve(org.eclipse.jgit.lib.Constants.R_HEADS + defaultBranch))) {
      return defaultBranch;
    }
    for (var ref : repo.getRefDatabase().getRefsByPrefix(org.eclipse.jgit.lib.Constants.R_HEADS)) {
      if (id.equals(ref.getObjectId())) {
        return ref.getName().substring(org.eclipse.jgit.lib.Constants.R_HEADS.length());
      }
    }
    return null;
  }

  private void runAndRecord(String repository, Path bareRepository, String sha, String branch, String key) {
    MDC.put("repo", repository);
    try {
      Outcome outcome = run(bareRepository, sha, branch);
      record(repository, sha, outcome.state(), outcome.summary());
      LOG.info("CI for {} at {}: {}", repository, abbreviate(sha), outcome.state());
    } catch (Stopped e) {
      LOG.info("CI for {} at {} stopped with the controller; it runs again on the next start", repository, abbreviate(sha));
    } catch (RuntimeException e) {
      if (pool.isShutdown()) {
        LOG.info("CI for {} at {} stopped with the controller: {}", repository, abbreviate(sha), e.getMessage());
        return;
      }
      if (StoreOutage.causedBy(e)) {
        // The store being away says nothing about the commit: no verdict. The check stays pending
        // and runs again when it is next asked about.
        LOG.warn("CI for {} at {} is not recorded: the store is unreachable ({}); it runs again", repository, abbreviate(sha), e.getMessage());
        return;
      }
      // The check must not stay PENDING forever: whatever broke is the check's failure.
      LOG.warn("CI for {} at {} could not run: {}", repository, abbreviate(sha), e.getMessage());
      record(repository, sha, CiStatus.State.FAILURE, "CI could not run: " + e.getMessage());
    } finally {
      running.remove(key);
      MDC.remove("repo");
    }
  }

  private record Outcome(CiStatus.State state, String summary) {}

  /** The pool is shutting down: the check stays PENDING for the next process to run. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  private Outcome run(Path bareRepository, String sha, String branch) {
    Path temp = null;
    try {
      temp = Files.createTempDirectory("flotilla-ci-");
      Path work = temp.resolve("work");
      checkout(bareRepository, sha, work);
      Map<String, String> environment =
          environment(Files.createDirectories(temp.resolve("home")), Files.createDirectories(temp.resolve("tmp")));
      if (branch != null) {
        environment.put("CI_COMMIT_BRANCH", branch);
      }
      return execute(work, temp.resolve("ci.log"), environment);
    } catch (IOException e) {
      throw new LocalForgeException("could not prepare a checkout of " + sha + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        deleteRecursively(temp);
      }
    }
  }

  private static void checkout(Path bareRepository, String sha, Path work) {
    try (Git git = Git.cloneRepository()
        .setURI(bareRepository.toUri().toString())
        .setDirectory(work.toFile())
        .setNoCheckout(true)
        .call()) {
      // A hard reset writes the commit's tree into the empty work tree; a checkout would call the
      // files missing from it a conflict.
      git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(sha).call();
    } catch (GitAPIException e) {
      throw new LocalForgeException("could not check out " + sha + ": " + e.getMessage(), e);
    }
  }

  /**
   * What a CI script sees: a minimal environment of its own, as CI systems give, with a fresh home and
   * temporary folder. Never the controller's own, which holds its tokens and database password.
   */
  static Map<String, String> environment(Path home, Path tmp) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    environment.put("HOME", home.toString());
    environment.put("LANG", "C.UTF-8");
    environment.put("TMPDIR", tmp.toString());
    environment.put("CI", "true");
    return environment;
  }

  private Outcome execute(Path work, Path log, Map<String, String> environment) throws IOException {
    Optional<String> file = commandFile();
    List<String> command = new ArrayList<>();
    if (file.isPresent()) {
      Path script = work.resolve(file.get());
      if (!Files.isExecutable(script)) {
        return new Outcome(
            CiStatus.State.FAILURE,
            file.get() + " is not executable; run `git update-index --chmod=+x " + file.get() + "` and push");
      }
      command.add(script.toString());
    } else {
      command.addAll(List.of("sh", "-c", settings.command()));
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = startRetryingBusyText(builder);
    boolean finished;
    try {
      finished = process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroyTree(process);
      throw new Stopped();
    }
    if (!finished) {
      destroyTree(process);
      return new Outcome(
          CiStatus.State.FAILURE, "timed out after " + describe(settings.timeout()) + "\n" + tail(log));
    }
    int exit = process.exitValue();
    String tail = tail(log);
    return exit == 0
        ? new Outcome(CiStatus.State.SUCCESS, tail)
        : new Outcome(CiStatus.State.FAILURE, "exited with " + exit + (tail.isEmpty() ? "" : "\n" + tail));
  }

  /**
   * Starts the script just written by the checkout. While another thread of this JVM forks, the
   * child briefly holds the file open for writing and exec fails with ETXTBSY ("Text file busy");
   * that passes within milliseconds, so it is retried a few times.
   */
  private static Process startRetryingBusyText(ProcessBuilder builder) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return builder.start();
      } catch (IOException e) {
        if (attempt == 10 || e.getMessage() == null || !e.getMessage().contains("error=26")) {
          throw e;
        }
        try {
          Thread.sleep(20L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** Children first, so a script's sleeping grandchildren do not outlive it. */
  private static void destroyTree(Process process) {
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    // Only the end is read: a script may print gigabytes, which must not fill the controller's heap.
    ByteBuffer end;
    try (SeekableByteChannel channel = Files.newByteChannel(log)) {
      long size = channel.size();
      end = ByteBuffer.allocate((int) Math.min(size, TAIL_BYTES));
      channel.position(size - end.capacity());
      while (end.hasRemaining() && channel.read(end) >= 0) {
        // read until the buffer is full or the file ends
      }
    }
    List<String> lines =
        new String(end.array(), 0, end.position(), StandardCharsets.UTF_8).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - SUMMARY_LINES), lines.size()));
  }

  static String describe(Duration d) {
    if (d.toSeconds() == 0) {
      return d.toMillis() + "ms";
    }
    if (d.toSeconds() % 3600 == 0) {
      return d.toHours() + "h";
    }
    if (d.toSeconds() % 60 == 0) {
      return d.toMinutes() + "m";
    }
    return d.toSeconds() + "s";
  }

  private void record(String repository, String sha, CiStatus.State state, String summary) {
    checks.record(repository, sha, CHECK_NAME, state, summary, clock.instant());
  }


  private static CiStatus of(CiStatus.Check check) {
    return new CiStatus(check.state(), List.of(check));
  }

  private static String abbreviate(String sha) {
    return sha.length() > 10 ? sha.substring(0, 10) : sha;
  }

  private static void deleteRecursively(Path dir) {
    try {
      FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    } catch (IOException e) {
      LOG.warn("could not delete the CI checkout {}: {}; delete it by hand", dir, e.getMessage());
    }
  }

  /** Stops running checks; their rows stay PENDING and the next process runs them again. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
