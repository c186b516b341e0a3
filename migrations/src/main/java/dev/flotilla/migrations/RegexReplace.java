package dev.flotilla.migrations;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Replaces every match of a Java regular expression in the text files a glob selects. */
public final class RegexReplace implements Migration {

  static final String GLOB = "glob";
  static final String PATTERN = "pattern";
  static final String REPLACEMENT = "replacement";
  static final String MULTILINE = "multiline";

  /** Files larger than this are skipped: they are generated or data, not something to edit by regex. */
  static final int MAX_FILE_BYTES = 5 * 1024 * 1024;

  /** How long one pattern may run on one file before it is taken for catastrophic backtracking. */
  static final Duration MAX_MATCH_TIME = Duration.ofSeconds(10);

  private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

  private final Duration maxMatchTime;

  public RegexReplace() {
    this(MAX_MATCH_TIME);
  }

  RegexReplace(Duration maxMatchTime) {
    this.maxMatchTime = maxMatchTime;
  }

  @Override
  public String id() {
    return "regex-replace";
  }

  @Override
  public String title() {
    return "Replace text matching a pattern";
  }

  @Override
  public String description() {
    return """
        Replaces every match of a Java regular expression in the files a glob selects \
        (`**/*.properties`; a glob without `/` matches file names in any folder).

        - The replacement may use `$1` or `${name}` for groups; `\\$` is a literal dollar.
        - With `multiline: true`, `^` and `$` match at the start and end of every line (also in \
          CRLF files). `.` never matches a line break unless the pattern starts with `(?s)`.
        - Binary files (with a NUL byte) and files over 5 MiB are skipped, and the summary says how \
          many.
        - **Idempotence is the author's job.** Flotilla re-runs campaigns; if the pattern also \
          matches its own replacement (`foo` → `foobar`) every run changes the file again. The \
          parameter check catches this for replacements without group references; otherwise \
          exclude the result in the pattern, e.g. `foo(?!bar)`, and test it with the before/after \
          kit, which fails on a second run that changes anything.
        """;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.required(GLOB, Type.STRING, "which files to edit, relative to the repository root", "**/*.properties"),
        ParameterSpec.required(PATTERN, Type.STRING, "a Java regular expression", "(?<=spring\\.version=)5\\.3\\.\\d+"),
        ParameterSpec.required(REPLACEMENT, Type.STRING, "the replacement; $1 or ${name} insert groups", "6.1.14"),
        ParameterSpec.optional(MULTILINE, Type.BOOLEAN, false, "let ^ and $ match at every line", "true"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    Validation.Builder problems = Validation.builder();
    globProblem(parameters.string(GLOB, "")).ifPresent(p -> problems.problem(GLOB, p));
    String replacement = parameters.string(REPLACEMENT, "");
    try {
      Pattern pattern = compile(parameters.string(PATTERN, ""), parameters.bool(MULTILINE, false));
      replacementProblem(pattern, replacement)
          .or(() -> idempotenceProblem(pattern, replacement))
          .ifPresent(p -> problems.problem(REPLACEMENT, p));
    } catch (PatternSyntaxException e) {
      problems.problem(
          PATTERN,
          "is not a valid Java regular expression: " + e.getDescription() + " near index " + e.getIndex());
    }
    return problems.build();
  }

  /** When the glob may select a workflow file: {@code **}{@code /*.yml}, {@code .github/**}, {@code *}. */
  @Override
  public boolean editsWorkflows(Parameters parameters) {
    return Workflows.globMaySelect(parameters.string(GLOB, ""));
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    String glob = parameters.string(GLOB);
    Pattern pattern = compile(parameters.string(PATTERN), parameters.bool(MULTILINE, false));
    String replacement = parameters.string(REPLACEMENT);
    List<String> files = workspace.glob(glob);
    if (files.isEmpty()) {
      return Outcome.notApplicable("no file matches " + glob);
    }
    Tally tally = new Tally();
    for (String file : files) {
      // Sized before reading: a glob such as **/* also selects dumps and archives of any size.
      if (workspace.size(file) > MAX_FILE_BYTES) {
        tally.tooLarge++;
      } else if (isBinary(workspace.readBytes(file))) {
        tally.binary++;
      } else {
        replaceIn(workspace, file, pattern, replacement, tally);
      }
    }
    return tally.outcome(glob, files.size());
  }

  private void replaceIn(Workspace workspace, String file, Pattern pattern, String replacement, Tally tally)
      throws IOException {
    String text = workspace.read(file);
    Matcher matcher = pattern.matcher(new Deadline(text, file, maxMatchTime));
    StringBuilder out = new StringBuilder(text.length());
    int replaced = 0;
    int appended = 0;
    while (matcher.find()) {
      int before = out.length() + matcher.start() - appended;
      matcher.appendReplacement(out, replacement);
      // A match replaced by the same text is no change, so a re-run on converged files says so.
      if (!out.substring(before).equals(matcher.group())) {
        replaced++;
      }
      appended = matcher.end();
    }
    matcher.appendTail(out);
    if (replaced > 0) {
      workspace.write(file, out.toString());
      tally.occurrences += replaced;
      tally.files++;
    }
  }

  private static Pattern compile(String pattern, boolean multiline) {
    return Pattern.compile(pattern, multiline ? Pattern.MULTILINE : 0);
  }

  private static boolean isBinary(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> globProblem(String glob) {
    if (glob.isBlank()) {
      return Optional.of("must select files, e.g. **/*.properties");
    }
    if (glob.startsWith("/") || glob.matches("^[A-Za-z]:.*")) {
      return Optional.of("'" + glob + "' is absolute; give a glob relative to the repository root");
    }
    if (List.of(glob.split("/")).contains("..")) {
      return Optional.of("'" + glob + "' climbs out with '..'; stay inside the repository");
    }
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + glob);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of("'" + glob + "' is not a valid glob: " + e.getDescription());
    }
  }

  /** Checks group references as {@link Matcher#appendReplacement} reads them, before any clone. */
  static Optional<String> replacementProblem(Pattern pattern, String replacement) {
    int groups = pattern.matcher("").groupCount();
    Set<String> names = new HashSet<>();
    Matcher named = NAMED_GROUP.matcher(pattern.pattern());
    while (named.find()) {
      names.add(named.group(1));
    }
    int i = 0;
    while (i < replacement.length()) {
      char c = replacement.charAt(i++);
      if (c == '\\') {
        if (i == replacement.length()) {
          return Optional.of("ends with a lone \\; write \\\\ for a backslash");
        }
        i++;
      } else if (c == '$') {
        if (i == replacement.length()) {
          return Optional.of("ends with a lone $; write \\$ for a dollar sign");
        }
        if (replacement.charAt(i) == '{') {
          int close = replacement.indexOf('}', i);
          String name = close < 0 ? "" : replacement.substring(i + 1, close);
          if (!names.contains(name)) {
            return Optional.of(
                "refers to group ${" + name + "}, which the pattern does not define"
                    + (names.isEmpty() ? "" : " (named groups: " + String.join(", ", names) + ")"));
          }
          i = close + 1;
        } else if (Character.isDigit(replacement.charAt(i))) {
          int group = replacement.charAt(i++) - '0';
          if (group > groups) {
            return Optional.of(
                "refers to group $" + group + " but the pattern has " + groups + (groups == 1 ? " group" : " groups")
                    + "; write \\$ for a dollar sign");
          }
          while (i < replacement.length() && Character.isDigit(replacement.charAt(i))
              && group * 10 + (replacement.charAt(i) - '0') <= groups) {
            group = group * 10 + (replacement.charAt(i++) - '0');
          }
        } else {
          return Optional.of("has $ not followed by a group number or ${name}; write \\$ for a dollar sign");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A replacement without group references is fixed text: if replacing in that text changes it, the
   * next run would replace again in every file. With groups the result depends on the input, which
   * only a before/after test can check.
   */
  static Optional<String> idempotenceProblem(Pattern pattern, String replacement) {
    if (replacement.indexOf('$') >= 0) {
      return Optional.empty();
    }
    String literal = replacement.replaceAll("\\\\(.)", "$1");
    String again = pattern.matcher(literal).replaceAll(replacement);
    if (again.equals(literal)) {
      return Optional.empty();
    }
    return Optional.of(
        "'" + literal + "' is matched by the pattern again, so every run would change it once more ('"
            + again + "'); exclude the replacement in the pattern, e.g. with a negative lookahead (?!...)");
  }

  /** Counts what one run did, and says it in one line. */
  private static final class Tally {
    int occurrences;
    int files;
    int binary;
    int tooLarge;

    Outcome outcome(String glob, int matched) {
      if (binary + tooLarge == matched) {
        return Outcome.notApplicable(
            "every file matching " + glob + " is binary or larger than 5 MiB (" + skipped() + ")");
      }
      if (files == 0) {
        return binary + tooLarge == 0
            ? Outcome.unchanged()
            : new Outcome(Outcome.Kind.UNCHANGED, "no occurrences; " + skipped());
      }
      String summary =
          "replaced " + occurrences + (occurrences == 1 ? " occurrence" : " occurrences")
              + " in " + files + (files == 1 ? " file" : " files");
      return Outcome.changed(binary + tooLarge == 0 ? summary : summary + "; " + skipped());
    }

    private String skipped() {
      List<String> parts = new ArrayList<>();
      if (binary > 0) {
        parts.add(binary + (binary == 1 ? " binary file" : " binary files"));
      }
      if (tooLarge > 0) {
        parts.add(tooLarge + (tooLarge == 1 ? " file" : " files") + " over 5 MiB");
      }
      return "skipped " + String.join(" and ", parts);
    }
  }

  /**
   * The file's text, which stops a runaway pattern: Java's regex engine cannot be interrupted, but
   * it reads every character through {@link #charAt}.
   */
  private static final class Deadline implements CharSequence {
    private final String text;
    private final String file;
    private final Duration limit;
    private final long deadlineNanos;
    private int reads;

    Deadline(String text, String file, Duration limit) {
      this.text = text;
      this.file = file;
      this.limit = limit;
      this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 0xFFFF) == 0 && System.nanoTime() > deadlineNanos) {
        throw new FlotillaException(
            "the pattern ran for more than " + limit.toMillis() + " ms on " + file
                + "; simplify it (nested quantifiers such as (a+)+ backtrack without end)");
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.substring(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
