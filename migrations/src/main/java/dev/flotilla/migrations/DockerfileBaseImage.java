package dev.flotilla.migrations;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves every {@code FROM} of one base image in the repository's Dockerfiles to a new tag (and
 * optionally digest), editing only the image reference's characters.
 */
public final class DockerfileBaseImage implements Migration {

  static final String IMAGE = "image";
  static final String TAG = "tag";
  static final String DIGEST = "digest";

  private static final Pattern IMAGE_SYNTAX =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?"
              + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG_SYNTAX = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST_SYNTAX = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z]+)\\s*=\\s*(\\S+)\\s*");
  private static final Pattern HEREDOC = Pattern.compile("<<(-?)[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?");
  private static final List<String> GLOBS =
      List.of("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile");

  @Override
  public String id() {
    return "dockerfile-base-image";
  }

  @Override
  public String title() {
    return "Update a Docker base image";
  }

  @Override
  public String description() {
    return """
        Sets the tag (and optionally the digest) of one base image in every `FROM` of the \
        repository's Dockerfiles (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile` in any \
        folder).

        - Only stages built on that image change; `FROM <stage>` references, other images, \
          `--platform` flags, `AS` names, comments and line endings stay as they were.
        - `eclipse-temurin`, `library/eclipse-temurin` and `docker.io/library/eclipse-temurin` are \
          the same image; a registry (with port) must match as written.
        - With `digest` the reference becomes `image:tag@sha256:...`. **Without `digest`, an \
          existing `@sha256:...` is removed**, because a digest pins the old tag's content and would \
          silently win over the new tag.
        - A tag that comes from a build argument (`FROM eclipse-temurin:${JAVA_VERSION}`) is left \
          alone: change the `ARG` default instead.
        """;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.required(
            IMAGE, Type.STRING, "the base image, with its registry if it is not Docker Hub, without a tag",
            "eclipse-temurin"),
        ParameterSpec.required(TAG, Type.STRING, "the new tag", "21-jre-jammy"),
        ParameterSpec.optional(
            DIGEST,
            Type.STRING,
            null,
            "the image digest to pin to; when left out, existing digests on the image are removed",
            "sha256:" + "0".repeat(64)));
  }

  @Override
  public Validation validate(Parameters parameters) {
    String image = parameters.string(IMAGE, "");
    String tag = parameters.string(TAG, "");
    Validation.Builder problems = Validation.builder();
    if (image.contains("@") || image.lastIndexOf(':') > image.lastIndexOf('/')) {
      problems.problem(IMAGE, "'" + image + "' includes a tag or digest; give only the image name and put the tag in '" + TAG + "'");
    } else {
      problems.check(
          IMAGE_SYNTAX.matcher(image).matches(),
          IMAGE,
          "'" + image + "' is not an image name such as eclipse-temurin or ghcr.io/acme/base (lowercase, optional registry)");
    }
    problems.check(
        TAG_SYNTAX.matcher(tag).matches(),
        TAG,
        "'" + tag + "' is not a Docker tag (letters, digits, _ . -, at most 128, not starting with . or -)");
    parameters
        .optionalString(DIGEST)
        .ifPresent(
            digest ->
                problems.check(
                    DIGEST_SYNTAX.matcher(digest).matches(),
                    DIGEST,
                    "'" + digest + "' is not a digest of the form sha256:<64 lowercase hex digits>"));
    return problems.build();
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    String image = parameters.string(IMAGE);
    String wanted = parameters.string(TAG) + parameters.optionalString(DIGEST).map(d -> "@" + d).orElse("");
    List<String> files = dockerfiles(workspace);
    if (files.isEmpty()) {
      return Outcome.notApplicable("no Dockerfile (Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile)");
    }
    int changedFiles = 0;
    int current = 0;
    List<String> fromArgs = new ArrayList<>();
    for (String file : files) {
      String text = workspace.read(file);
      StringBuilder edited = new StringBuilder(text);
      List<From> froms = parse(text);
      // Right to left, so earlier offsets stay valid while later references are replaced.
      for (int i = froms.size() - 1; i >= 0; i--) {
        From from = froms.get(i);
        ImageRef ref = from.ref();
        if (from.isStageReference() || ref.name().contains("$") || !sameImage(ref.name(), image)) {
          continue;
        }
        if (ref.tagAndDigest().contains("$")) {
          fromArgs.add(0, argMessage(file, image, ref, from));
          continue;
        }
        String replacement = ref.name() + ":" + wanted;
        if (replacement.equals(ref.text())) {
          current++;
        } else {
          edited.replace(from.refStart(), from.refEnd(), replacement);
        }
      }
      if (!edited.toString().equals(text)) {
        workspace.write(file, edited.toString());
        changedFiles++;
      }
    }
    return summarise(image, wanted, changedFiles, current, fromArgs);
  }

  private static List<String> dockerfiles(Workspace workspace) throws IOException {
    TreeSet<String> files = new TreeSet<>();
    for (String glob : GLOBS) {
      workspace.glob(glob).stream().filter(f -> !f.endsWith(".dockerignore")).forEach(files::add);
    }
    return List.copyOf(files);
  }

  private static Outcome summarise(
      String image, String wanted, int changedFiles, int current, List<String> fromArgs) {
    String args = String.join("; ", fromArgs);
    if (changedFiles > 0) {
      return Outcome.changed(
          "set " + image + " to " + wanted + " in " + changedFiles + (changedFiles == 1 ? " file" : " files")
              + (args.isEmpty() ? "" : "; left alone: " + args));
    }
    if (current > 0) {
      return args.isEmpty() ? Outcome.unchanged() : new Outcome(Outcome.Kind.UNCHANGED, "left alone: " + args);
    }
    if (!fromArgs.isEmpty()) {
      return Outcome.notApplicable(args);
    }
    return Outcome.notApplicable("no FROM in the Dockerfiles uses " + image);
  }

  private static String argMessage(String file, String image, ImageRef ref, From from) {
    Matcher variable = VARIABLE.matcher(ref.tagAndDigest());
    String name = variable.find() ? variable.group(1) : "?";
    Integer argLine = from.argLines().get(name);
    return argLine == null
        ? "the tag of " + image + " in " + file + ":" + from.line() + " comes from the build argument "
            + name + ", which no ARG declares; set it where the image is built instead"
        : "the tag of " + image + " comes from ARG " + name + " in " + file + ":" + argLine
            + "; change the ARG default instead";
  }

  /**
   * Docker Hub names an image several ways ({@code temurin}, {@code library/temurin},
   * {@code docker.io/library/temurin}); compare their canonical form.
   */
  static boolean sameImage(String a, String b) {
    return canonical(a).equals(canonical(b));
  }

  private static String canonical(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int slash = lower.indexOf('/');
    String first = slash < 0 ? "" : lower.substring(0, slash);
    boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    String registry = hasRegistry ? first : "docker.io";
    String path = hasRegistry ? lower.substring(slash + 1) : lower;
    if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = "docker.io";
    }
    if (registry.equals("docker.io") && !path.contains("/")) {
      path = "library/" + path;
    }
    return registry + "/" + path;
  }

  /** The FROM instructions of a Dockerfile, with the character range of each image reference. */
  static List<From> parse(String text) {
    List<Line> lines = Line.split(text);
    char escape = escapeCharacter(lines);
    List<From> froms = new ArrayList<>();
    Set<String> stages = new HashSet<>();
    Map<String, Integer> argLines = new HashMap<>();
    int i = 0;
    while (i < lines.size()) {
      Line first = lines.get(i);
      String trimmed = first.content().strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        i++;
        continue;
      }
      Logical instruction = new Logical();
      i = instruction.read(lines, i, escape);
      List<Token> words = instruction.tokens();
      String keyword = words.get(0).text().toUpperCase(Locale.ROOT);
      switch (keyword) {
        case "FROM" -> from(words, first.number(), stages, argLines).ifPresent(froms::add);
        case "ARG" -> words.stream().skip(1).forEach(w -> argLines.put(w.text().split("=", 2)[0], first.number()));
        default -> i = skipHeredocs(lines, i, instruction.text());
      }
    }
    return froms;
  }

  private static Optional<From> from(
      List<Token> words, int line, Set<String> stages, Map<String, Integer> argLines) {
    int at = 1;
    while (at < words.size() && words.get(at).text().startsWith("--")) {
      at++;
    }
    if (at >= words.size()) {
      return Optional.empty();
    }
    Token reference = words.get(at);
    ImageRef ref = ImageRef.parse(reference.text());
    boolean stageReference = ref.tagAndDigest().isEmpty() && stages.contains(ref.name().toLowerCase(Locale.ROOT));
    if (at + 2 < words.size() && words.get(at + 1).text().equalsIgnoreCase("AS")) {
      stages.add(words.get(at + 2).text().toLowerCase(Locale.ROOT));
    }
    return Optional.of(
        new From(ref, reference.start(), reference.end(), line, stageReference, Map.copyOf(argLines)));
  }

  private static char escapeCharacter(List<Line> lines) {
    // Parser directives are only read at the very top, before any blank line, comment or instruction.
    for (Line line : lines) {
      Matcher directive = DIRECTIVE.matcher(line.content().strip());
      if (!directive.matches()) {
        break;
      }
      if (directive.group(1).equalsIgnoreCase("escape") && directive.group(2).length() == 1) {
        return directive.group(2).charAt(0);
      }
    }
    return '\\';
  }

  /** Skips the bodies of heredocs ({@code RUN <<EOF}), whose lines are not instructions. */
  private static int skipHeredocs(List<Line> lines, int next, String instruction) {
    Matcher heredoc = HEREDOC.matcher(instruction);
    int i = next;
    while (heredoc.find()) {
      boolean stripTabs = !heredoc.group(1).isEmpty();
      String end = heredoc.group(2);
      while (i < lines.size()) {
        String body = lines.get(i++).content();
        if ((stripTabs ? body.replaceFirst("^\t+", "") : body).equals(end)) {
          break;
        }
      }
    }
    return i;
  }

  /** A reference such as {@code ghcr.io:443/acme/base:1.2@sha256:...}, split into its parts. */
  record ImageRef(String text, String name, String tagAndDigest) {

    static ImageRef parse(String text) {
      int at = text.indexOf('@');
      String nameAndTag = at < 0 ? text : text.substring(0, at);
      int colon = nameAndTag.lastIndexOf(':');
      int slash = nameAndTag.lastIndexOf('/');
      // A colon before the last slash belongs to a registry port (localhost:5000/img), not a tag.
      String name = colon > slash ? nameAndTag.substring(0, colon) : nameAndTag;
      return new ImageRef(text, name, text.substring(name.length()));
    }
  }

  /** One FROM: its image reference and where that is written. */
  record From(
      ImageRef ref, int refStart, int refEnd, int line, boolean isStageReference, Map<String, Integer> argLines) {}

  private record Line(int number, int start, String content) {

    static List<Line> split(String text) {
      List<Line> lines = new ArrayList<>();
      int start = 0;
      int number = 1;
      while (start <= text.length()) {
        int newline = text.indexOf('\n', start);
        int end = newline < 0 ? text.length() : newline;
        int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
        lines.add(new Line(number++, start, text.substring(start, contentEnd)));
        if (newline < 0) {
          break;
        }
        start = newline + 1;
      }
      return lines;
    }
  }

  private record Token(String text, int start, int end) {}

  /**
   * One instruction joined from its physical lines as Docker reads it: escaped line breaks removed,
   * comment lines inside it dropped, each character remembering its offset in the file.
   */
  private static final class Logical {
    private final StringBuilder text = new StringBuilder();
    private final List<Integer> offsets = new ArrayList<>();

    int read(List<Line> lines, int from, char escape) {
      int i = from;
      while (i < lines.size()) {
        Line line = lines.get(i++);
        String content = line.content();
        String stripped = content.stripTrailing();
        boolean continues = !stripped.isEmpty() && stripped.charAt(stripped.length() - 1) == escape;
        int length = continues ? stripped.length() - 1 : content.length();
        for (int c = 0; c < length; c++) {
          text.append(content.charAt(c));
          offsets.add(line.start() + c);
        }
        if (!continues) {
          break;
        }
        while (i < lines.size() && isBlankOrComment(lines.get(i).content())) {
          i++;
        }
      }
      return i;
    }

    private static boolean isBlankOrComment(String content) {
      String trimmed = content.strip();
      return trimmed.isEmpty() || trimmed.startsWith("#");
    }

    String text() {
      return text.toString();
    }

    List<Token> tokens() {
      List<Token> tokens = new ArrayList<>();
      int c = 0;
      while (c < text.length()) {
        while (c < text.length() && Character.isWhitespace(text.charAt(c))) {
          c++;
        }
        int start = c;
        while (c < text.length() && !Character.isWhitespace(text.charAt(c))) {
          c++;
        }
        if (c > start) {
          tokens.add(new Token(text.substring(start, c), offsets.get(start), offsets.get(c - 1) + 1));
        }
      }
      return tokens;
    }
  }
}
