package dev.flotilla.controller.config;

import dev.flotilla.FlotillaException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A file a person wrote that Flotilla cannot use. The message names the file, the line (when
 * known), the key, and what to do. When a file has several problems, all of them are in one
 * exception, one a line, so a person can fix the file in one go.
 */
public class ConfigException extends FlotillaException {

  /** One thing wrong in a file: its 1-based line (0 when it has no single line) and the message. */
  public record Problem(int line, String message) {
    @Override
    public String toString() {
      return message;
    }
  }

  private static final int MAX_SHOWN = 20;

  private final String file;
  private final int line;
  private final List<Problem> problems;

  public ConfigException(String file, int line, String message) {
    this(file, List.of(new Problem(line, message)));
  }

  /** Every problem of one file, sorted by line; the first one's line is {@link #line()}. */
  public ConfigException(String file, List<Problem> problems) {
    super(message(file, sorted(problems)));
    this.file = file;
    this.problems = sorted(problems);
    this.line = this.problems.get(0).line();
  }

  public String file() {
    return file;
  }

  /** 1-based, or 0 when the problem has no single line. */
  public int line() {
    return line;
  }

  /** Every problem found in the file, at least one. */
  public List<Problem> problems() {
    return problems;
  }

  private static List<Problem> sorted(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    // Problems without a line (0) describe the whole file, so they come first.
    return problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
  }

  private static String message(String file, List<Problem> problems) {
    if (problems.size() == 1) {
      Problem only = problems.get(0);
      return file + (only.line() > 0 ? ":" + only.line() : "") + ": " + only.message();
    }
    // A generated or garbled file can hold thousands of problems; the first ones are enough to act.
    String shown =
        problems.stream()
            .limit(MAX_SHOWN)
            .map(p -> "  - " + p.message())
            .collect(Collectors.joining("\n"));
    String more =
        problems.size() > MAX_SHOWN
            ? "\n  - ... and " + (problems.size() - MAX_SHOWN) + " more problems"
            : "";
    return file + ": " + problems.size() + " problems:\n" + shown + more;
  }
}
