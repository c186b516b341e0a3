package dev.flotilla.migrations;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import dev.flotilla.migration.edit.TextEdit;
import dev.flotilla.migration.edit.TextEdits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves every use of one container image in the repository's Dockerfiles ({@code FROM}, {@code COPY
 * --from=}, {@code RUN --mount=...,from=} and the {@code # syntax=} directive) to a new tag (and
 * optionally digest), editing only the reference's characters, or the {@code ARG} default it comes
 * from. It never downgrades a comparable tag, and says why whenever it leaves a use alone.
 */
public final class DockerfileBaseImage implements Migration {

  static final String IMAGE = "image";
  static final String TAG = "tag";
  static final String DIGEST = "digest";
  static final String KEEP_PINNED_DIGESTS = "keepPinnedDigests";

  private static final Pattern IMAGE_SYNTAX =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?"
              + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG_SYNTAX = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST_SYNTAX = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))");
  private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z]+)\\s*=\\s*(\\S+)\\s*");
  private static final Pattern HEREDOC = Pattern.compile("<<(-?)[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?");
  private static final List<String> GLOBS =
      List.of("Dockerfile*", "dockerfile*", "*.Dockerfile", "*.dockerfile", "Containerfile*", "containerfile*",
          "*.Containerfile", "*.containerfile");

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
        Sets the tag (and optionally the digest) of one image wherever the repository's Dockerfiles \
        use it (`Dockerfile*`, `*.Dockerfile`, `Containerfile*`, `*.Containerfile` in any folder): \
        `FROM`, `COPY --from=<image>`, `RUN --mount=...,from=<image>` and the `# syntax=` directive.

        - Only uses of that image change; stage names, other images, flags, `AS` names, comments \
          and line endings stay as they were.
        - `eclipse-temurin`, `library/eclipse-temurin` and `docker.io/library/eclipse-temurin` are \
          the same image; a registry (with port) must match as written.
        - An image or tag that comes from an `ARG` default (`ARG TAG=3.19` / `FROM alpine:${TAG}`, \
          `ARG BASE=alpine:3.19` / `FROM ${BASE}`) is changed at the `ARG`, unless another image \
          uses the same `ARG`; then it is left alone and the summary says so.
        - Never a downgrade: a tag ahead of the new one in the same variant (`21-jre` when the tag \
          is `17-jre`) is left alone, with the reason.
        - With `digest` the reference becomes `image:tag@sha256:...`. Without it, an existing \
          `@sha256:...` is removed (it pins the old tag's content), or, with `keepPinnedDigests`, \
          the pinned use is left alone; the summary says which.
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
            "the image digest to pin to; when left out, existing digests on the image are removed (see keepPinnedDigests)",
            "sha256:" + "0".repeat(64)),
        ParameterSpec.optional(
            KEEP_PINNED_DIGESTS,
            Type.BOOLEAN,
            false,
            "without digest, leave uses pinned to a digest alone (and say so) instead of removing their digest",
            "true"));
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
    Run run =
        new Run(
            parameters.string(IMAGE),
            parameters.string(TAG),
            parameters.optionalString(DIGEST).orElse(null),
            parameters.bool(KEEP_PINNED_DIGESTS, false));
    List<String> files = dockerfiles(workspace);
    if (files.isEmpty()) {
      return Outcome.notApplicable("no Dockerfile (Dockerfile*, *.Dockerfile, Containerfile*, *.Containerfile)");
    }
    int changedFiles = 0;
    for (String file : files) {
      String text = workspace.read(file);
      String edited = TextEdits.apply(text, run.edits(file, parse(text)));
      if (!edited.equals(text)) {
        workspace.write(file, edited);
        changedFiles++;
      }
    }
    return run.summarise(changedFiles);
  }

  private static List<String> dockerfiles(Workspace workspace) throws IOException {
    TreeSet<String> files = new TreeSet<>();
    for (String glob : GLOBS) {
      workspace.glob(glob).stream().filter(f -> !f.endsWith(".dockerignore")).forEach(files::add);
    }
    return List.copyOf(files);
  }

  /** One application: the parameters, and what was found, changed and left alone so far. */
  private static final class Run {
    private final String image;
    private final String tag;
    private final String digest;
    private final boolean keepPinnedDigests;
    private final String wanted;
    private final Optional<ReleaseVersion> wantedVersion;
    private final List<String> leftAlone = new ArrayList<>();
    private int uses;
    private int droppedDigests;

    Run(String image, String tag, String digest, boolean keepPinnedDigests) {
      this.image = image;
      this.tag = tag;
      this.digest = digest;
      this.keepPinnedDigests = keepPinnedDigests;
      this.wanted = tag + (digest == null ? "" : "@" + digest);
      this.wantedVersion = ReleaseVersion.ofImageTag(tag);
    }

    /** The edits for one Dockerfile; several uses of one ARG give one edit. */
    List<TextEdit> edits(String file, Parsed parsed) {
      Map<Integer, TextEdit> edits = new TreeMap<>();
      for (Reference reference : parsed.references()) {
        edit(file, parsed, reference).ifPresent(e -> edits.putIfAbsent(e.offset(), e));
      }
      return List.copyOf(edits.values());
    }

    private Optional<TextEdit> edit(String file, Parsed parsed, Reference reference) {
      String where = file + ":" + reference.line();
      Optional<String> resolved = parsed.resolve(reference);
      if (resolved.isEmpty()) {
        // Without a default, only a literal image name can tell that the use is of this image.
        ImageRef raw = ImageRef.parse(reference.text());
        if (!raw.name().contains("$") && sameImage(raw.name(), image)) {
          uses++;
          leftAlone.add(where + " the tag of " + image + " comes from the build argument " + variables(reference.text())
              + ", which no ARG in scope gives a default; set it where the image is built instead");
        }
        return Optional.empty();
      }
      ImageRef current = ImageRef.parse(resolved.get());
      if (!sameImage(current.name(), image)) {
        return Optional.empty();
      }
      uses++;
      String currentTag = current.tag();
      Optional<ReleaseVersion> currentVersion = ReleaseVersion.ofImageTag(currentTag);
      if (currentVersion.isPresent() && wantedVersion.isPresent()
          && currentVersion.get().compareAsImageTag(wantedVersion.get()).orElse(0) > 0) {
        leftAlone.add(where + " " + current.name() + ":" + currentTag + " is ahead of " + tag + " (never downgraded)");
        return Optional.empty();
      }
      boolean pinned = !current.digest().isEmpty();
      if (pinned && digest == null && keepPinnedDigests && !currentTag.equals(tag)) {
        leftAlone.add(where + " " + current.name() + ":" + currentTag + " is pinned to a digest"
            + " (keepPinnedDigests: true; give digest to move it)");
        return Optional.empty();
      }
      String newTagAndDigest = keepPinnedDigests && pinned && digest == null ? tag + "@" + current.digest() : wanted;
      if (current.tagAndDigest().equals(":" + newTagAndDigest)) {
        return Optional.empty();
      }
      Optional<TextEdit> edit = place(where, parsed, reference, newTagAndDigest);
      if (edit.isPresent() && pinned && digest == null && !keepPinnedDigests) {
        droppedDigests++;
      }
      return edit;
    }

    /** Where the new tag goes: in the reference, in the ARG its tag comes from, or in the ARG that is all of it. */
    private Optional<TextEdit> place(String where, Parsed parsed, Reference reference, String newTagAndDigest) {
      ImageRef raw = ImageRef.parse(reference.text());
      Matcher whole = VARIABLE.matcher(reference.text());
      if (!whole.matches() && !raw.tagAndDigest().contains("$")) {
        return Optional.of(TextEdit.replace(reference.start() + raw.name().length(), reference.end(), ":" + newTagAndDigest));
      }
      Matcher tagOnly = VARIABLE.matcher(raw.tagAndDigest().isEmpty() ? "" : raw.tagAndDigest().substring(1));
      Arg arg;
      String value;
      if (whole.matches()) {
        arg = parsed.argFor(reference, name(whole)).orElseThrow();
        value = ImageRef.parse(arg.value()).name() + ":" + newTagAndDigest;
      } else if (raw.tagAndDigest().startsWith(":") && tagOnly.matches()) {
        arg = parsed.argFor(reference, name(tagOnly)).orElseThrow();
        value = newTagAndDigest;
      } else {
        leftAlone.add(where + " the tag of " + image + " is built from " + raw.tagAndDigest().substring(1)
            + "; change it by hand");
        return Optional.empty();
      }
      List<String> others = parsed.otherUses(arg, reference, image);
      if (!others.isEmpty()) {
        leftAlone.add(where + " the tag of " + image + " comes from ARG " + arg.name() + " (line " + arg.line()
            + "), which " + String.join(" and ", others) + " also use" + (others.size() == 1 ? "s" : "")
            + "; change them together by hand");
        return Optional.empty();
      }
      return Optional.of(TextEdit.replace(arg.valueStart(), arg.valueEnd(), value));
    }

    Outcome summarise(int changedFiles) {
      List<String> notes = new ArrayList<>();
      // With a digest the summary names it ("to 3.20@sha256:..."); a digest removed is said here.
      if (droppedDigests > 0) {
        notes.add("removed the old digest from " + droppedDigests + (droppedDigests == 1 ? " use" : " uses")
            + " (set digest to pin the new one, or keepPinnedDigests to leave pinned uses alone)");
      }
      if (!leftAlone.isEmpty()) {
        notes.add("left alone: " + String.join("; ", leftAlone));
      }
      String note = String.join("; ", notes);
      if (changedFiles > 0) {
        String summary = "set " + image + " to " + wanted + " in " + changedFiles + (changedFiles == 1 ? " file" : " files");
        return Outcome.changed(note.isEmpty() ? summary : summary + "; " + note);
      }
      if (uses == 0) {
        return Outcome.notApplicable("no FROM, COPY --from, RUN --mount from= or # syntax in the Dockerfiles uses " + image);
      }
      return Outcome.unchanged(note);
    }

    private static String variables(String text) {
      List<String> names = new ArrayList<>();
      Matcher m = VARIABLE.matcher(text);
      while (m.find()) {
        names.add(name(m));
      }
      return String.join(", ", names);
    }
  }

  private static String name(Matcher variable) {
    return variable.group(1) != null ? variable.group(1) : variable.group(2);
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

  /** Every image reference and ARG of a Dockerfile, with where each is written. */
  static Parsed parse(String text) {
    List<Line> lines = Line.split(text);
    char escape = '\\';
    List<Reference> references = new ArrayList<>();
    List<Arg> args = new ArrayList<>();
    // Parser directives are only read at the very top, before any blank line, comment or instruction.
    int i = 0;
    while (i < lines.size()) {
      Line line = lines.get(i);
      Matcher directive = DIRECTIVE.matcher(line.content().strip());
      if (!directive.matches()) {
        break;
      }
      if (directive.group(1).equalsIgnoreCase("escape") && directive.group(2).length() == 1) {
        escape = directive.group(2).charAt(0);
      } else if (directive.group(1).equalsIgnoreCase("syntax")) {
        int start = line.start() + line.content().indexOf(directive.group(2), line.content().indexOf('='));
        references.add(new Reference(directive.group(2), start, start + directive.group(2).length(), line.number(), -1, true));
      }
      i++;
    }
    Set<String> stages = new HashSet<>();
    int stage = -1;
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
        case "FROM" -> {
          stage++;
          from(words, first.number(), stages, stage).ifPresent(references::add);
        }
        case "ARG" -> {
          for (Token word : words.subList(1, words.size())) {
            args.add(Arg.of(word, first.number(), stage));
          }
        }
        case "COPY" -> flagValue(words, "--from=", stages, first.number(), stage).ifPresent(references::add);
        case "RUN" -> {
          mounts(words, stages, first.number(), stage).forEach(references::add);
          i = skipHeredocs(lines, i, instruction.text());
        }
        default -> i = skipHeredocs(lines, i, instruction.text());
      }
    }
    return new Parsed(references, args);
  }

  private static Optional<Reference> from(List<Token> words, int line, Set<String> stages, int stage) {
    int at = 1;
    while (at < words.size() && words.get(at).text().startsWith("--")) {
      at++;
    }
    if (at >= words.size()) {
      return Optional.empty();
    }
    Token reference = words.get(at);
    boolean stageReference = stages.contains(reference.text().toLowerCase(Locale.ROOT));
    if (at + 2 < words.size() && words.get(at + 1).text().equalsIgnoreCase("AS")) {
      stages.add(words.get(at + 2).text().toLowerCase(Locale.ROOT));
    }
    if (stageReference || !reference.isContiguous()) {
      return Optional.empty();
    }
    return Optional.of(new Reference(reference.text(), reference.start(), reference.end(), line, stage, true));
  }

  /** {@code COPY --from=<image>}: an image, unless it names a stage or a stage's number. */
  private static Optional<Reference> flagValue(List<Token> words, String flag, Set<String> stages, int line, int stage) {
    for (Token word : words.subList(1, words.size())) {
      if (!word.text().startsWith("--")) {
        break;
      }
      if (word.text().regionMatches(true, 0, flag, 0, flag.length()) && word.isContiguous()) {
        return imageValue(word, flag.length(), word.text().length(), stages, line, stage);
      }
    }
    return Optional.empty();
  }

  /** {@code RUN --mount=type=cache,from=<image>,target=...}: the {@code from=} of each mount. */
  private static List<Reference> mounts(List<Token> words, Set<String> stages, int line, int stage) {
    List<Reference> found = new ArrayList<>();
    for (Token word : words.subList(1, words.size())) {
      if (!word.text().startsWith("--")) {
        break;
      }
      if (!word.text().regionMatches(true, 0, "--mount=", 0, 8) || !word.isContiguous()) {
        continue;
      }
      int at = 8;
      for (String option : word.text().substring(8).split(",", -1)) {
        if (option.regionMatches(true, 0, "from=", 0, 5)) {
          imageValue(word, at + 5, at + option.length(), stages, line, stage).ifPresent(found::add);
        }
        at += option.length() + 1;
      }
    }
    return found;
  }

  private static Optional<Reference> imageValue(Token word, int from, int to, Set<String> stages, int line, int stage) {
    String value = word.text().substring(from, to);
    if (value.isEmpty() || value.chars().allMatch(Character::isDigit) || stages.contains(value.toLowerCase(Locale.ROOT))) {
      return Optional.empty();
    }
    return Optional.of(new Reference(value, word.start() + from, word.start() + to, line, stage, false));
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

    String tag() {
      int at = tagAndDigest.indexOf('@');
      String withColon = at < 0 ? tagAndDigest : tagAndDigest.substring(0, at);
      return withColon.startsWith(":") ? withColon.substring(1) : withColon;
    }

    String digest() {
      int at = tagAndDigest.indexOf('@');
      return at < 0 ? "" : tagAndDigest.substring(at + 1);
    }

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

  private record Token(String text, int start, int end) {

    /** Written on one line, so a character's offset is {@code start} plus its index. */
    boolean isContiguous() {
      return end - start == text.length();
    }
  }

  /**
   * One image reference: its text as written (maybe with {@code $VARIABLES}), where, in which stage
   * ({@code -1} for the {@code # syntax} directive), and whether it is a {@code FROM}, which sees only
   * the ARGs declared before the first FROM.
   */
  record Reference(String text, int start, int end, int line, int stage, boolean from) {}

  /** {@code ARG NAME=value}: the value's range excludes its quotes; {@code value} is null without a default. */
  record Arg(String name, String value, int valueStart, int valueEnd, int line, int stage) {

    private static Arg of(Token word, int line, int stage) {
      int equals = word.text().indexOf('=');
      if (equals < 0) {
        return new Arg(word.text(), null, -1, -1, line, stage);
      }
      String value = word.text().substring(equals + 1);
      int start = word.start() + equals + 1;
      if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
          && value.charAt(value.length() - 1) == value.charAt(0)) {
        value = value.substring(1, value.length() - 1);
        start++;
      }
      return new Arg(word.text().substring(0, equals), value, start, start + value.length(), line, stage);
    }
  }

  /**
   * A parsed Dockerfile. An ARG before the first FROM is global and serves FROM lines; inside a
   * stage, an ARG serves the rest of the stage, and {@code ARG NAME} without a value brings the
   * global default in (Docker's scoping).
   */
  record Parsed(List<Reference> references, List<Arg> args) {

    /** The ARG with a default that names {@code variable} at {@code reference}, if there is one. */
    Optional<Arg> argFor(Reference reference, String variable) {
      Arg global = null;
      Arg inStage = null;
      for (Arg arg : args) {
        if (!arg.name().equals(variable) || arg.line() > reference.line()) {
          continue;
        }
        if (arg.stage() == -1 && arg.value() != null) {
          global = arg;
        } else if (arg.stage() >= 0 && arg.stage() == reference.stage()) {
          inStage = arg;
        }
      }
      if (reference.from()) {
        return Optional.ofNullable(global);
      }
      if (inStage == null) {
        return Optional.empty();
      }
      return inStage.value() != null ? Optional.of(inStage) : Optional.ofNullable(global);
    }

    /** The reference with every variable replaced by its ARG default; empty when one has none. */
    Optional<String> resolve(Reference reference) {
      Matcher m = VARIABLE.matcher(reference.text());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        Optional<Arg> arg = argFor(reference, name(m));
        if (arg.isEmpty()) {
          return Optional.empty();
        }
        m.appendReplacement(out, Matcher.quoteReplacement(arg.get().value()));
      }
      m.appendTail(out);
      return Optional.of(out.toString());
    }

    /** Other uses of {@code arg} that are not {@code image}: changing the ARG would change them too. */
    List<String> otherUses(Arg arg, Reference self, String image) {
      List<String> others = new ArrayList<>();
      for (Reference reference : references) {
        if (reference == self || !reference.text().contains("$")) {
          continue;
        }
        Matcher m = VARIABLE.matcher(reference.text());
        boolean uses = false;
        while (m.find()) {
          uses |= argFor(reference, name(m)).filter(a -> a == arg).isPresent();
        }
        Optional<String> resolved = resolve(reference);
        if (uses && (resolved.isEmpty() || !sameImage(ImageRef.parse(resolved.get()).name(), image))) {
          others.add(resolved.orElse(reference.text()) + " (line " + reference.line() + ")");
        }
      }
      return others;
    }
  }

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
