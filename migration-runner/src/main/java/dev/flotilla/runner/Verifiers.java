package dev.flotilla.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a campaign's verifiers in a run's work tree, in order, stopping at the first that fails. Each
 * runs with {@code sh -c} in a bare environment of its own (never the runner's, which may hold the git
 * token), with its time limit; what a person reads of a failure is the tail of its output, passed
 * through the run's scrubber so no secret leaves the runner.
 */
final class Verifiers {

  /** Lines of a failing verifier's output kept in the run's reason. */
  static final int TAIL_LINES = 20;
  /** Characters of that tail, so the reason keeps its end within {@link RunResult#MAX_REASON}. */
  static final int TAIL_CHARS = 1500;

  private static final Logger log = LoggerFactory.getLogger(Verifiers.class);

  private Verifiers() {}

  /** Why the first failing verifier failed, or empty when all that apply passed. */
  static Optional<String> run(List<RunRequest.Verifier> verifiers, Path workTree, UnaryOperator<String> scrub) throws IOException {
    for (RunRequest.Verifier verifier : verifiers) {
      if (!applies(verifier, workTree)) {
        log.info("verifier {} skipped: no file matches {}", verifier.name(), verifier.when());
        continue;
      }
      Optional<String> failure = runOne(verifier, workTree, scrub);
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }

  /** Whether a file of the work tree (outside {@code .git}) matches the verifier's {@code when}. */
  static boolean applies(RunRequest.Verifier verifier, Path workTree) throws IOException {
    if (verifier.when() == null || verifier.when().isBlank()) {
      return true;
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + verifier.when().strip());
    try (Stream<Path> files = Files.walk(workTree)) {
      return files
          .filter(Files::isRegularFile)
          .map(workTree::relativize)
          .filter(p -> !p.startsWith(".git"))
          .anyMatch(matcher::matches);
    }
  }

  private static Optional<String> runOne(RunRequest.Verifier verifier, Path workTree, UnaryOperator<String> scrub)
      throws IOException {
    Path scratch = Files.createTempDirectory("flotilla-verify-");
    try {
      Path output = scratch.resolve("output.log");
      ProcessBuilder builder = new ProcessBuilder("sh", "-c", verifier.command())
          .directory(workTree.toFile())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().clear();
      builder.environment().putAll(environment(Files.createDirectories(scratch.resolve("home")),
          Files.createDirectories(scratch.resolve("tmp"))));
      log.info("verifier {}: {}", verifier.name(), verifier.command());
      Process process = builder.start();
      boolean finished;
      try {
        finished = process.waitFor(verifier.timeoutSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        destroyTree(process);
        return Optional.of(describe(verifier, "was interrupted", output, scrub));
      }
      if (!finished) {
        destroyTree(process);
        return Optional.of(describe(verifier, "timed out after " + verifier.timeoutSeconds() + "s", output, scrub));
      }
      int exit = process.exitValue();
      log.info("verifier {} exited with {}", verifier.name(), exit);
      return exit == 0 ? Optional.empty() : Optional.of(describe(verifier, "exited with " + exit, output, scrub));
    } finally {
      deleteRecursively(scratch);
    }
  }

  private static String describe(RunRequest.Verifier verifier, String what, Path output, UnaryOperator<String> scrub)
      throws IOException {
    String tail = scrub.apply(tail(output));
    return "verifier '" + verifier.name() + "' " + what + " (" + scrub.apply(verifier.command())
        + "); nothing was pushed" + (tail.isEmpty() ? "" : ". Its output ends:\n" + tail);
  }

  /** The last {@value #TAIL_LINES} lines, at most {@value #TAIL_CHARS} characters, of the output. */
  static String tail(Path output) throws IOException {
    if (!Files.exists(output)) {
      return "";
    }
    long size = Files.size(output);
    byte[] end;
    try (var channel = Files.newByteChannel(output)) {
      int length = (int) Math.min(size, 64 * 1024);
      channel.position(size - length);
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // read to the end
      }
      end = java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }
    List<String> lines = new String(end, StandardCharsets.UTF_8).strip().lines().toList();
    String text = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    return text.length() <= TAIL_CHARS ? text : "…" + text.substring(text.length() - TAIL_CHARS + 1);
  }

  private static Map<String, String> environment(Path home, Path tmp) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    environment.put("HOME", home.toString());
    environment.put("LANG", "C.UTF-8");
    environment.put("TMPDIR", tmp.toString());
    environment.put("CI", "true");
    return environment;
  }

  /** Children first, so a build's daemons do not outlive it. */
  private static void destroyTree(Process process) {
    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
