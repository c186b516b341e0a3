package dev.flotilla.migration.testkit;

import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Before/after tests for migrations, usable from any test framework (failures are {@link
 * AssertionError}s).
 *
 * <pre>{@code
 * rewrite(new GithubActionsVersion(), params("action", "actions/checkout", "ref", "v4"),
 *     file(".github/workflows/ci.yml", """
 *         steps:
 *           - uses: actions/checkout@v3   # keep me
 *         """, """
 *         steps:
 *           - uses: actions/checkout@v4   # keep me
 *         """));
 * }</pre>
 *
 * <p>Every call checks the parameters, writes the "before" files into a fresh folder, applies the
 * migration, and compares every file: files given with an "after" must match it byte for byte, files
 * given without one must stay identical, files given as {@link #deleted} must be gone, and no other
 * file may appear. It then applies the migration a second time and fails if anything changes or the
 * second outcome claims a change: migrations must be idempotent.
 */
public final class RewriteTest {

  private static final String DEFAULT_OWNER = "acme";
  private static final String DEFAULT_NAME = "demo-service";

  private RewriteTest() {}

  /** Applies {@code migration} twice to the given files in a repository {@code acme/demo-service}. */
  public static Outcome rewrite(Migration migration, Parameters parameters, SourceSpec... files) {
    return rewrite(migration, parameters, DEFAULT_OWNER, DEFAULT_NAME, files);
  }

  /** As {@link #rewrite(Migration, Parameters, SourceSpec...)}, in a repository {@code owner/name}. */
  public static Outcome rewrite(
      Migration migration, Parameters parameters, String owner, String name, SourceSpec... files) {
    Validation validation = parameters.check(migration);
    if (!validation.isValid()) {
      throw new AssertionError(
          "parameters are invalid for " + migration.id() + ":\n" + validation.describe());
    }
    Parameters effective = parameters.withDefaults(migration.parameters());
    Path dir = null;
    try {
      dir = Files.createTempDirectory("flotilla-rewrite-");
      for (SourceSpec file : files) {
        if (file.before() != null) {
          Path target = dir.resolve(file.path());
          Files.createDirectories(target.getParent());
          Files.write(target, file.before());
        }
      }
      DirectoryWorkspace workspace = new DirectoryWorkspace(dir, owner, name);
      Outcome first = migration.apply(workspace, effective);
      Map<String, byte[]> afterFirst = snapshot(dir);
      List<String> failures = compare(files, afterFirst);
      boolean anyChange = Arrays.stream(files).anyMatch(f -> !Arrays.equals(f.before(), f.after()));
      if (anyChange && first.kind() != Outcome.Kind.CHANGED) {
        failures.add("files changed but the outcome was " + first.kind() + " " + quote(first.message()));
      }
      if (!anyChange && first.kind() == Outcome.Kind.CHANGED) {
        failures.add("no file changed but the outcome claims a change: " + quote(first.message()));
      }
      if (!failures.isEmpty()) {
        throw new AssertionError(migration.id() + ", first run:\n" + String.join("\n", failures));
      }

      Outcome second = migration.apply(workspace, effective);
      Map<String, byte[]> afterSecond = snapshot(dir);
      List<String> drift = new ArrayList<>();
      for (String path : union(afterFirst, afterSecond)) {
        byte[] a = afterFirst.get(path);
        byte[] b = afterSecond.get(path);
        if (!Arrays.equals(a, b)) {
          drift.add(
              a == null
                  ? "created " + path
                  : b == null ? "deleted " + path : "changed " + path + ":\n" + diff(text(a), text(b)));
        }
      }
      if (second.kind() == Outcome.Kind.CHANGED) {
        drift.add("the second outcome claims a change: " + quote(second.message()));
      }
      if (!drift.isEmpty()) {
        throw new AssertionError(
            migration.id() + " is not idempotent; the second run:\n" + String.join("\n", drift));
      }
      return first;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** A file the migration should turn from {@code before} into {@code after}. */
  public static SourceSpec file(String path, String before, String after) {
    return SourceSpec.text(path, before, after);
  }

  /** A file the migration must leave byte-identical. */
  public static SourceSpec file(String path, String unchanged) {
    return SourceSpec.text(path, unchanged, unchanged);
  }

  /** A file that does not exist before and must exist with {@code after} afterwards. */
  public static SourceSpec created(String path, String after) {
    return SourceSpec.text(path, null, after);
  }

  /** A file that exists before and must be gone afterwards. */
  public static SourceSpec deleted(String path, String before) {
    return SourceSpec.text(path, before, null);
  }

  /** A binary file that must stay byte-identical. */
  public static SourceSpec binary(String path, byte[] content) {
    return new SourceSpec(path, content.clone(), content.clone());
  }

  /** Alternating names and values: {@code params("groupId", "org.x", "allowDowngrade", true)}. */
  public static Parameters params(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("params takes names and values in pairs");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(String.valueOf(namesAndValues[i]), namesAndValues[i + 1]);
    }
    return Parameters.of(values);
  }

  /** The text with every {@code \n} turned into {@code \r\n}, for Windows-style files. */
  public static String crlf(String text) {
    return text.replace("\r\n", "\n").replace("\n", "\r\n");
  }

  private static List<String> compare(SourceSpec[] files, Map<String, byte[]> actual) {
    List<String> failures = new ArrayList<>();
    Map<String, SourceSpec> expected = new TreeMap<>();
    for (SourceSpec file : files) {
      expected.put(file.path(), file);
    }
    for (SourceSpec file : expected.values()) {
      byte[] now = actual.get(file.path());
      if (file.after() == null && now != null) {
        failures.add("expected " + file.path() + " to be deleted, but it is still there");
      } else if (file.after() != null && now == null) {
        failures.add("expected " + file.path() + " to exist, but it " + (file.before() == null ? "was not created" : "was deleted"));
      } else if (file.after() != null && !Arrays.equals(file.after(), now)) {
        failures.add(
            (Arrays.equals(file.before(), file.after()) ? "expected no change to " : "unexpected content in ")
                + file.path()
                + " (- expected, + actual; ␍ marks a carriage return):\n"
                + diff(text(file.after()), text(now)));
      }
    }
    for (String path : actual.keySet()) {
      if (!expected.containsKey(path)) {
        failures.add("the migration created " + path + ", which the test does not expect");
      }
    }
    return failures;
  }

  /** A simple line diff (longest common subsequence), with carriage returns made visible. */
  static String diff(String expected, String actual) {
    String[] a = expected.replace("\r", "␍").split("\n", -1);
    String[] b = actual.replace("\r", "␍").split("\n", -1);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        out.append("   ").append(a[i++]).append('\n');
        j++;
      } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.append(" + ").append(b[j++]).append('\n');
      } else {
        out.append(" - ").append(a[i++]).append('\n');
      }
    }
    return out.toString();
  }

  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString().replace(java.io.File.separatorChar, '/'), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static List<String> union(Map<String, byte[]> a, Map<String, byte[]> b) {
    TreeMap<String, Boolean> all = new TreeMap<>();
    a.keySet().forEach(k -> all.put(k, true));
    b.keySet().forEach(k -> all.put(k, true));
    return new ArrayList<>(all.keySet());
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String quote(String message) {
    return "\"" + message + "\"";
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp folder is harmless and must not hide the test's own result.
    }
  }
}
