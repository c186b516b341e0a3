package dev.flotilla.migrations;

import dev.flotilla.migration.FileTooLargeException;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import dev.flotilla.migration.edit.TextEdit;
import dev.flotilla.migration.edit.XmlEditException;
import dev.flotilla.migration.edit.XmlElement;
import dev.flotilla.migrations.PomFile.Declaration;
import dev.flotilla.migrations.PomFile.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Sets the version of Maven artifacts (dependencies, BOM imports, plugins, build extensions, the
 * parent) in every Maven build file of a repository: where the version is written literally, and
 * where it comes from a {@code ${property}} defined in the repository, followed through properties
 * that name other properties. Never downgrades unless asked to; only the characters of each version
 * change. Whatever it leaves alone on purpose, it says why in the outcome's message.
 */
public final class MavenDependencyVersion implements Migration {

  static final String ID = "maven-dependency-version";

  private static final Pattern COORDINATE_GLOB = Pattern.compile("[A-Za-z0-9_.\\-*?]+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");
  private static final Pattern WHOLE_PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
  private static final Pattern ANY_PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
  private static final int MAX_NOTES = 5;
  private static final int MAX_NAMED_ARTIFACTS = 3;
  private static final List<String> BUILT_IN_PREFIXES =
      List.of("project.", "pom.", "env.", "settings.", "maven.build.");
  private static final Set<String> BUILT_IN_NAMES = Set.of("basedir");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String title() {
    return "Update a Maven dependency version";
  }

  @Override
  public String description() {
    return """
        Sets the version of Maven artifacts in every `pom.xml`, `*.pom.xml` and \
        `.mvn/extensions.xml` of this repository.

        - Dependencies (also in `<dependencyManagement>`, BOM imports, plugin dependencies and \
        `<profiles>`), `<plugin>` and `<pluginManagement>` versions (build and reporting), build \
        `<extension>`s, annotation processor paths and the `<parent>` are all updated.
        - When the version is a `${property}`, the property is changed where it is defined: in the \
        same pom or in a parent pom of this repository, following properties that name other \
        properties. A property that artifacts outside this change also use is left alone, so \
        artifacts that are versioned together stay together.
        - A version that is already newer is kept (no downgrades), and declarations without a \
        version (managed elsewhere) are not touched.
        - Only the version text changes: comments, formatting and line endings stay as they were.

        The run's summary says why anything was deliberately left as it was.
        """;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.optional(
            "groupId", Type.STRING, null,
            "the artifact's groupId; `*` and `?` match several (with `artifactId`, unless `artifacts` is given)",
            "com.fasterxml.jackson.core"),
        ParameterSpec.optional(
            "artifactId", Type.STRING, null,
            "the artifact's artifactId; `*` and `?` match several (with `groupId`)",
            "jackson-databind"),
        ParameterSpec.optional(
            "artifacts", Type.STRING_LIST, null,
            "more artifacts to move to the same version, each `groupId:artifactId` (globs allowed)",
            "com.fasterxml.jackson.core:*, com.fasterxml.jackson.datatype:*"),
        ParameterSpec.required("version", Type.STRING, "the version to set", "2.18.2"),
        ParameterSpec.optional(
            "allowDowngrade", Type.BOOLEAN, false, "also replace versions newer than `version`", "false"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    Validation.Builder problems = Validation.builder();
    Optional<String> groupId = parameters.optionalString("groupId");
    Optional<String> artifactId = parameters.optionalString("artifactId");
    List<String> artifacts = parameters.stringList("artifacts");
    if (groupId.isEmpty() && artifactId.isEmpty() && artifacts.isEmpty()) {
      problems.problem("groupId", "is required (the artifact's groupId), unless `artifacts` lists them");
      problems.problem("artifactId", "is required (the artifact's artifactId), unless `artifacts` lists them");
    } else if (groupId.isPresent() != artifactId.isPresent()) {
      String missing = groupId.isPresent() ? "artifactId" : "groupId";
      String given = groupId.isPresent() ? "groupId" : "artifactId";
      problems.problem(missing, "is required with " + given + " (use * to match any)");
    }
    groupId.ifPresent(value -> checkCoordinate(problems, "groupId", "groupId", value));
    artifactId.ifPresent(value -> checkCoordinate(problems, "artifactId", "artifactId", value));
    for (String artifact : artifacts) {
      String[] parts = artifact.strip().split(":", -1);
      if (parts.length != 2) {
        problems.problem("artifacts", "each entry must be groupId:artifactId, got '" + artifact + "'");
      } else {
        checkCoordinate(problems, "artifacts", "groupId", parts[0]);
        checkCoordinate(problems, "artifacts", "artifactId", parts[1]);
      }
    }
    String version = parameters.string("version", "");
    if (version.isBlank()) {
      problems.problem("version", "must not be blank");
    } else {
      problems.check(
          !WHITESPACE.matcher(version).find(), "version", "must not contain whitespace, got '" + version + "'");
      problems.check(
          !version.contains("${"), "version", "must be a literal version, not a property reference: '" + version + "'");
      problems.check(
          !version.startsWith("[") && !version.startsWith("("),
          "version",
          "must be one version, not a range: '" + version + "'");
    }
    return problems.build();
  }

  private static void checkCoordinate(Validation.Builder problems, String parameter, String what, String value) {
    problems.check(
        COORDINATE_GLOB.matcher(value.strip()).matches(),
        parameter,
        "must be a Maven " + what + " (letters, digits, '.', '-', '_', and the globs '*' and '?'), got '" + value + "'");
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    Request request = Request.of(parameters);
    List<String> paths = buildFiles(workspace);
    if (paths.isEmpty()) {
      return Outcome.notApplicable("no pom.xml");
    }
    Run run = new Run(request);
    run.read(workspace, paths);
    run.plan();
    int written = run.write(workspace);
    return run.outcome(written);
  }

  /**
   * The files Renovate's maven manager reads for dependencies: {@code pom.xml}, {@code *.pom.xml},
   * {@code pom.template.xml} and {@code .mvn/extensions.xml}, in any folder.
   */
  static List<String> buildFiles(Workspace workspace) throws IOException {
    Set<String> found = new TreeSet<>();
    for (String path : workspace.glob("*pom.xml")) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.equals("pom.xml") || name.endsWith(".pom.xml")) {
        found.add(path);
      }
    }
    found.addAll(workspace.glob("pom.template.xml"));
    for (String path : workspace.glob("extensions.xml")) {
      if (path.equals(".mvn/extensions.xml") || path.endsWith("/.mvn/extensions.xml")) {
        found.add(path);
      }
    }
    return new ArrayList<>(found);
  }

  /** The artifacts and the version the campaign asks for. */
  private record Request(Selector selector, String version, boolean allowDowngrade) {

    static Request of(Parameters parameters) {
      List<String> globs = new ArrayList<>();
      parameters.optionalString("groupId").ifPresent(g ->
          globs.add(g.strip() + ":" + parameters.optionalString("artifactId").orElse("*").strip()));
      parameters.stringList("artifacts").forEach(a -> globs.add(a.strip()));
      return new Request(
          Selector.of(globs), parameters.string("version").strip(), parameters.bool("allowDowngrade", false));
    }
  }

  /** Which artifacts a campaign moves: {@code groupId:artifactId} globs, any of which may match. */
  record Selector(List<String> globs, List<Pattern> patterns) {

    static Selector of(List<String> globs) {
      return new Selector(List.copyOf(globs), globs.stream().map(Selector::regex).toList());
    }

    boolean matches(String groupId, String artifactId) {
      String coordinates = groupId + ":" + artifactId;
      return patterns.stream().anyMatch(p -> p.matcher(coordinates).matches());
    }

    String describe() {
      return String.join(", ", globs);
    }

    private static Pattern regex(String glob) {
      StringBuilder regex = new StringBuilder();
      for (char c : glob.toCharArray()) {
        switch (c) {
          case '*' -> regex.append("[^:]*");
          case '?' -> regex.append("[^:]");
          default -> regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(regex.toString());
    }
  }

  /** A property as defined in one pom. */
  private record PropertyRef(String name, PomFile owner) {
    boolean isSame(PropertyRef other) {
      return name.equals(other.name) && owner.path().equals(other.owner.path());
    }
  }

  /** Where following a {@code ${property}} from one pom leads. */
  private sealed interface Resolution {
    /** The chain ends at a literal value, defined by the last property of {@code chain}. */
    record Literal(List<PropertyRef> chain, String value) implements Resolution {
      PropertyRef last() {
        return chain.get(chain.size() - 1);
      }
    }

    /** A property Maven itself provides, such as {@code project.version}. */
    record BuiltIn(List<PropertyRef> chain, String name) implements Resolution {}

    /** No pom of the repository in the chain defines {@code name}. */
    record Undefined(List<PropertyRef> chain, String name) implements Resolution {}

    /** The properties name each other in a circle. */
    record Cycle(List<String> names) implements Resolution {
      @Override
      public List<PropertyRef> chain() {
        return List.of();
      }
    }

    /** The chain ends at a value that mixes text and properties, such as {@code ${major}.3}. */
    record Expression(List<PropertyRef> chain, String value) implements Resolution {}

    /** The properties followed, in order; empty for a cycle. */
    List<PropertyRef> chain();

    default boolean passesThrough(PropertyRef property) {
      return chain().stream().anyMatch(property::isSame);
    }
  }

  /** The state of one application to one repository: its build files, the planned edits and the notes. */
  private static final class Run {
    private final Request request;
    private final Map<String, PomFile> files = new LinkedHashMap<>();
    private final Map<String, Set<TextEdit>> edits = new TreeMap<>();
    private final Set<String> updated = new LinkedHashSet<>();
    private final Set<String> notes = new LinkedHashSet<>();
    private final Set<String> reactor = new HashSet<>();
    // Large reactors ask the same questions many times: each answer is computed once per run.
    private final Map<String, List<String>> usersByProperty = new HashMap<>();
    private final Map<String, Resolution> resolutions = new HashMap<>();
    private final Map<String, List<PomFile>> chains = new HashMap<>();
    private final Map<String, List<Declaration>> declarations = new HashMap<>();
    private boolean refused;
    private int declared;
    private int versioned;

    Run(Request request) {
      this.request = request;
    }

    void read(Workspace workspace, List<String> paths) throws IOException {
      for (String path : paths) {
        try {
          PomFile pom = PomFile.parse(path, workspace.read(path));
          if (pom.isProject() || pom.isExtensions()) {
            files.put(path, pom);
          } else {
            remark("skipped " + path + ": its root element is not <project>");
          }
        } catch (XmlEditException | FileTooLargeException e) {
          // One broken or generated pom (often a test fixture) must not stop the others from being updated.
          remark("skipped " + path + ": " + e.getMessage());
        }
      }
      projects().forEach(pom -> reactor.add(pom.coordinates()));
    }

    void plan() {
      for (PomFile pom : files.values()) {
        for (Declaration declaration : declarations(pom)) {
          String groupId = coordinate(pom, declaration.groupId());
          String artifactId = coordinate(pom, declaration.artifactId());
          if (!request.selector().matches(groupId, artifactId)) {
            continue;
          }
          String coordinates = groupId + ":" + artifactId;
          if (reactor.contains(coordinates)) {
            remark("left " + coordinates + " as is: it is built in this repository");
            continue;
          }
          declared++;
          Optional<XmlElement> version = declaration.version();
          if (version.isPresent()) {
            versioned++;
            planVersion(pom, coordinates, version.get());
          }
        }
      }
    }

    int write(Workspace workspace) throws IOException {
      int written = 0;
      for (Map.Entry<String, Set<TextEdit>> entry : edits.entrySet()) {
        PomFile pom = files.get(entry.getKey());
        String edited = pom.document().apply(entry.getValue());
        if (!edited.equals(pom.document().text())) {
          workspace.write(pom.path(), edited);
          written++;
        }
      }
      return written;
    }

    /** A selected declaration left as it is on purpose: the repository is not where the campaign wants it. */
    private void refuse(String reason) {
      notes.add(reason);
      refused = true;
    }

    /** Something worth saying that does not stand between the repository and the campaign's version. */
    private void remark(String note) {
      notes.add(note);
    }

    Outcome outcome(int written) {
      String noted = summarise(notes);
      if (written > 0) {
        String summary =
            "set " + updatedArtifacts() + " to " + request.version() + " in " + written
                + (written == 1 ? " pom" : " poms");
        return Outcome.changed(noted.isEmpty() ? summary : summary + "; " + noted);
      }
      if (files.isEmpty()) {
        return Outcome.notApplicable("no readable pom.xml; " + noted);
      }
      if (declared == 0) {
        String reason =
            request.selector().describe() + " is not declared as a dependency, plugin, extension or parent in "
                + (files.size() == 1 ? files.keySet().iterator().next() : "any of the " + files.size() + " build files");
        return Outcome.notApplicable(noted.isEmpty() ? reason : reason + "; " + noted);
      }
      if (versioned == 0) {
        return Outcome.notApplicable(
            request.selector().describe()
                + " is declared only without a version; its version is managed outside the repository");
      }
      // An unchanged outcome with a message means "left alone on purpose"; remarks alone do not make one.
      return refused ? new Outcome(Outcome.Kind.UNCHANGED, noted) : Outcome.unchanged();
    }

    private String updatedArtifacts() {
      return updated.size() <= MAX_NAMED_ARTIFACTS
          ? String.join(", ", updated)
          : updated.size() + " artifacts (" + request.selector().describe() + ")";
    }

    /** The notes on one line, the first few in full, so a large repository cannot flood the summary. */
    private static String summarise(Set<String> notes) {
      List<String> shown = notes.stream().limit(MAX_NOTES).toList();
      String joined = String.join("; ", shown);
      return notes.size() > MAX_NOTES ? joined + "; and " + (notes.size() - MAX_NOTES) + " more" : joined;
    }

    private void planVersion(PomFile pom, String coordinates, XmlElement version) {
      String text = version.text();
      String where = coordinates + " in " + pom.path() + " line " + version.line();
      Matcher property = WHOLE_PROPERTY.matcher(text);
      if (property.matches()) {
        planProperty(pom, coordinates, where, property.group(1));
      } else if (text.contains("${")) {
        refuse("left " + where + " as is: its version '" + text + "' is an expression");
      } else if (text.startsWith("[") || text.startsWith("(")) {
        refuse("left " + where + " as is: its version '" + text + "' is a range");
      } else {
        planValue(pom, version, coordinates, where);
      }
    }

    private void planProperty(PomFile pom, String coordinates, String where, String name) {
      Resolution resolution = resolve(pom, name);
      if (resolution instanceof Resolution.Literal literal) {
        planLiteralProperty(coordinates, name, literal);
      } else if (resolution instanceof Resolution.BuiltIn builtIn) {
        refuse(
            "left " + where + " as is: its version comes from ${" + builtIn.name() + "}, which Maven sets itself");
      } else if (resolution instanceof Resolution.Cycle cycle) {
        refuse(
            "left " + where + " as is: its version ${" + name + "} is a property cycle ("
                + String.join(" -> ", cycle.names()) + ")");
      } else if (resolution instanceof Resolution.Undefined undefined) {
        refuse(undefinedNote(pom, name, undefined));
      } else if (resolution instanceof Resolution.Expression expression) {
        refuse(
            "left " + via(name, expression.chain()) + " as is: its value '" + expression.value() + "' is an expression");
      }
    }

    private String undefinedNote(PomFile pom, String name, Resolution.Undefined undefined) {
      String through = undefined.name().equals(name) ? "" : " (through ${" + undefined.name() + "})";
      String subject = "${" + name + "}" + through;
      List<PomFile> chain = chain(pom);
      PomFile top = chain.get(chain.size() - 1);
      return top.parent()
          .map(
              parent ->
                  "left " + subject + " as is: " + pom.path() + " takes it from its parent " + parent.coordinates()
                      + ", which is outside the repository; update the property there, or in a new parent release")
          .orElse(
              "left " + subject + " as is: no pom of the repository defines it (set with -D or in settings.xml?)");
    }

    private void planLiteralProperty(String coordinates, String name, Resolution.Literal literal) {
      PropertyRef property = literal.last();
      String subject = via(name, literal.chain());
      List<String> others = otherUsers(property);
      if (!others.isEmpty()) {
        refuse(
            "left " + subject + " as is: it is also the version of " + String.join(", ", others)
                + ", which this change does not include (select them too, with a glob or `artifacts`, to move"
                + " them together)");
        return;
      }
      List<XmlElement> definitions = new ArrayList<>(property.owner().projectProperty(property.name()));
      definitions.addAll(property.owner().profileProperty(property.name()));
      for (XmlElement definition : definitions) {
        if (definition.text().contains("${")) {
          refuse(
              "left ${" + property.name() + "} in " + property.owner().path() + " line " + definition.line()
                  + " as is: its value '" + definition.text() + "' is an expression");
        } else {
          planValue(property.owner(), definition, coordinates, subject);
        }
      }
    }

    /** "${a} in pom.xml", or "${a} (through ${b} in parent/pom.xml)" when the chain is longer. */
    private static String via(String name, List<PropertyRef> chain) {
      if (chain.isEmpty()) {
        return "${" + name + "}";
      }
      PropertyRef last = chain.get(chain.size() - 1);
      return last.name().equals(name)
          ? "${" + name + "} in " + last.owner().path()
          : "${" + name + "} (through ${" + last.name() + "} in " + last.owner().path() + ")";
    }

    /** Replaces a literal version (in a {@code <version>} or a property) unless that would be a downgrade. */
    private void planValue(PomFile pom, XmlElement element, String coordinates, String subject) {
      String current = element.text();
      if (current.equals(request.version())) {
        return;
      }
      int order = current.isEmpty() ? -1 : MavenVersion.parse(current).compareTo(MavenVersion.parse(request.version()));
      if (order == 0) {
        return;
      }
      if (order > 0 && !request.allowDowngrade()) {
        refuse(
            "left " + subject + " as is: already at " + current + ", newer than " + request.version()
                + " (allowDowngrade: true would downgrade it)");
        return;
      }
      try {
        edits.computeIfAbsent(pom.path(), p -> new LinkedHashSet<>()).add(element.replaceText(request.version()));
        updated.add(coordinates);
      } catch (XmlEditException e) {
        refuse("left " + pom.path() + " line " + element.line() + " as is: " + e.getMessage());
      }
    }

    /** Follows {@code ${name}} as Maven interpolates it for {@code pom}: each property in {@code pom}'s context. */
    private Resolution resolve(PomFile pom, String name) {
      return resolutions.computeIfAbsent(pom.path() + "#" + name, key -> follow(pom, name));
    }

    private Resolution follow(PomFile pom, String name) {
      List<PropertyRef> chain = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      String current = name;
      while (true) {
        if (isBuiltIn(current)) {
          return new Resolution.BuiltIn(chain, current);
        }
        if (seen.contains(current)) {
          List<String> cycle = new ArrayList<>(seen.subList(seen.indexOf(current), seen.size()));
          cycle.add(current);
          return new Resolution.Cycle(cycle);
        }
        seen.add(current);
        Optional<PomFile> owner = definingPom(pom, current);
        if (owner.isEmpty()) {
          return new Resolution.Undefined(chain, current);
        }
        chain.add(new PropertyRef(current, owner.get()));
        String value = definition(owner.get(), current).text();
        Matcher next = WHOLE_PROPERTY.matcher(value);
        if (next.matches()) {
          current = next.group(1);
        } else if (value.contains("${")) {
          return new Resolution.Expression(chain, value);
        } else {
          return new Resolution.Literal(chain, value);
        }
      }
    }

    private static boolean isBuiltIn(String name) {
      return BUILT_IN_NAMES.contains(name) || BUILT_IN_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private static XmlElement definition(PomFile owner, String name) {
      List<XmlElement> project = owner.projectProperty(name);
      return project.isEmpty() ? owner.profileProperty(name).get(0) : project.get(0);
    }

    /**
     * Everything outside this change that takes its version from {@code property}: declarations of
     * artifacts the campaign does not select, and any other element that reads it (a plugin's
     * configuration, say). Properties that only pass the value on are followed, not counted. A property
     * shared with other artifacts is a decision to version them together; changing it would move
     * them too, and replacing only this use by a literal would split them.
     */
    private List<String> otherUsers(PropertyRef property) {
      return usersByProperty.computeIfAbsent(
          property.owner().path() + "#" + property.name(), key -> findOtherUsers(property));
    }

    private List<String> findOtherUsers(PropertyRef property) {
      Set<String> users = new LinkedHashSet<>();
      for (PomFile pom : projects()) {
        if (chain(pom).stream().noneMatch(p -> p.path().equals(property.owner().path()))) {
          continue;
        }
        Map<XmlElement, Declaration> versions = new IdentityHashMap<>();
        declarations(pom).forEach(d -> d.version().ifPresent(v -> versions.put(v, d)));
        Matcher reference = ANY_PROPERTY.matcher(pom.document().text());
        while (reference.find()) {
          if (pom.inComment(reference.start()) || !resolve(pom, reference.group(1)).passesThrough(property)) {
            continue;
          }
          Optional<XmlElement> element = pom.elementAt(reference.start());
          if (element.isEmpty() || PomFile.isPropertyDefinition(element.get())) {
            continue;
          }
          Declaration declaration = versions.get(element.get());
          if (declaration == null) {
            users.add("<" + element.get().name() + "> in " + pom.path() + " line " + element.get().line());
            continue;
          }
          String groupId = coordinate(pom, declaration.groupId());
          String artifactId = coordinate(pom, declaration.artifactId());
          if (!request.selector().matches(groupId, artifactId)) {
            String kind = declaration.kind() == Kind.DEPENDENCY ? "" : " (" + declaration.kind().label() + ")";
            users.add(groupId + ":" + artifactId + kind);
          }
        }
      }
      return new ArrayList<>(users);
    }

    /** A groupId or artifactId, with {@code ${project.groupId}} and repository properties resolved. */
    private String coordinate(PomFile pom, String value) {
      Matcher property = WHOLE_PROPERTY.matcher(value);
      if (!property.matches()) {
        return value;
      }
      String name = property.group(1);
      return switch (name) {
        case "project.groupId", "pom.groupId", "groupId" -> pom.groupId();
        case "project.artifactId", "pom.artifactId", "artifactId" -> pom.artifactId();
        case "project.parent.groupId" -> pom.parent().map(PomFile.ParentRef::groupId).orElse(value);
        default -> resolve(pom, name) instanceof Resolution.Literal literal ? literal.value() : value;
      };
    }

    /**
     * The pom whose definition of a property applies to {@code pom}: the nearest in its parent chain
     * that defines it in {@code <properties>}, else the nearest that defines it in a profile.
     */
    private Optional<PomFile> definingPom(PomFile pom, String name) {
      List<PomFile> chain = chain(pom);
      return chain.stream()
          .filter(p -> !p.projectProperty(name).isEmpty())
          .findFirst()
          .or(() -> chain.stream().filter(p -> !p.profileProperty(name).isEmpty()).findFirst());
    }

    /** The pom and its parents, as far as they are in the repository. */
    private List<Declaration> declarations(PomFile pom) {
      return declarations.computeIfAbsent(pom.path(), path -> pom.declarations());
    }

    private List<PomFile> chain(PomFile pom) {
      return chains.computeIfAbsent(pom.path(), path -> parents(pom));
    }

    private List<PomFile> parents(PomFile pom) {
      List<PomFile> chain = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Optional<PomFile> next = Optional.of(pom);
          next.isPresent() && seen.add(next.get().path());
          next = parentOf(next.get())) {
        chain.add(next.get());
      }
      return chain;
    }

    /** The parent's pom, found as Maven does: by its path first, then by its coordinates. */
    private Optional<PomFile> parentOf(PomFile pom) {
      Optional<PomFile.ParentRef> parent = pom.parent();
      if (parent.isEmpty()) {
        return Optional.empty();
      }
      Optional<PomFile> byPath =
          pom.parentPath().map(files::get).filter(candidate -> isPom(candidate, parent.get()));
      return byPath.or(() -> projects().stream().filter(p -> isPom(p, parent.get())).findFirst());
    }

    private List<PomFile> projects() {
      return files.values().stream().filter(PomFile::isProject).collect(Collectors.toList());
    }

    private static boolean isPom(PomFile candidate, PomFile.ParentRef parent) {
      return candidate != null
          && candidate.isProject()
          && candidate.groupId().equals(parent.groupId())
          && candidate.artifactId().equals(parent.artifactId());
    }
  }
}
