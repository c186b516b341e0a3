package dev.flotilla.controller.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of bad and good input files, each starting with {@code # expect: ...}: either {@code
 * valid}, {@code valid N} (N campaigns), {@code disabled}, or {@code LINE FRAGMENT}: the
 * exception's line and a fragment its message must contain.
 */
final class Corpus {

  /** What one corpus file must produce. */
  record Expectation(Kind kind, int line, int count, String fragment) {
    enum Kind {
      VALID,
      DISABLED,
      ERROR
    }
  }

  private static final Pattern EXPECT = Pattern.compile("# expect: (.*)");
  private static final Pattern ERROR = Pattern.compile("(\\d+) (.+)");
  private static final Pattern VALID = Pattern.compile("valid(?: (\\d+))?");

  private Corpus() {}

  static Stream<Path> files(String folder) {
    try (Stream<Path> list =
        Files.list(Path.of(Corpus.class.getResource("/corpus/" + folder).toURI()))) {
      List<Path> files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      return files.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Expectation expectation(Path file) {
    byte[] bytes = bytes(file);
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
      end++;
    }
    String first =
        new String(Arrays.copyOf(bytes, end), StandardCharsets.UTF_8).replace("\uFEFF", "");
    Matcher expect = EXPECT.matcher(first);
    if (!expect.matches()) {
      throw new IllegalStateException(file + " must start with '# expect: ...'");
    }
    String what = expect.group(1);
    if (what.equals("disabled")) {
      return new Expectation(Expectation.Kind.DISABLED, 0, 0, "");
    }
    Matcher valid = VALID.matcher(what);
    if (valid.matches()) {
      int count = valid.group(1) == null ? 1 : Integer.parseInt(valid.group(1));
      return new Expectation(Expectation.Kind.VALID, 0, count, "");
    }
    Matcher error = ERROR.matcher(what);
    if (!error.matches()) {
      throw new IllegalStateException(file + ": cannot read expectation '" + what + "'");
    }
    return new Expectation(
        Expectation.Kind.ERROR, Integer.parseInt(error.group(1)), 0, error.group(2));
  }
}
