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
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets the version of one Maven dependency in every {@code pom.xml} of a repository: where it is
 * written literally, and where it comes from a {@code ${property}} defined in the repository. Never
 * downgrades unless asked to; only the characters of each version change.
 */
public final class MavenDependencyVersion implements Migration {

  static final String ID = "maven-dependency-version";

  private static final Pattern COORDINATE = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");
  private static final Pattern WHOLE_PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
  private static final int MAX_NOTES = 5;
  private static final List<String> BUILT_IN_PREFIXES = List.of("project.", "pom.", "env.", "settings.");

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
        Sets the version of a Maven dependency in every `pom.xml` of this repository.

        - Declarations in `<dependencies>`, `<dependencyManagement>`, plugin `<dependencies>` and \
        `<profiles>` are all updated.
        - When the version is a `${property}`, the property is changed where it is defined: in the \
        same pom or in a parent pom of this repository. A property that other dependencies or \
        plugins also use is left alone, so artifacts that are versioned together stay together.
        - A version that is already newer is kept (no downgrades), and dependencies without a \
        version (managed elsewhere) are not touched.
        - Only the version text changes: comments, formatting and line endings stay as they were.

        The run's summary lists anything that was deliberately left as it was.
        """;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.required("groupId", Type.STRING, "the dependency's groupId", "com.fasterxml.jackson.core"),
        ParameterSpec.required("artifactId", Type.STRING, "the dependency's artifactId", "jackson-databind"),
        ParameterSpec.required("version", Type.STRING, "the version to set", "2.18.2"),
        ParameterSpec.optional(
            "allowDowngrade", Type.BOOLEAN, false, "also replace versions newer than `version`", "false"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    Validation.Builder problems = Validation.builder();
    for (String name : List.of("groupId", "artifactId")) {
      String value = parameters.string(name, "");
      problems.check(
          COORDINATE.matcher(value).matches(),
          name,
          "must be a Maven " + name + " (letters, digits, '.', '-' and '_'), got '" + value + "'");
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

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    Target target = Target.of(parameters);
    List<String> paths = workspace.glob("**/pom.xml");
    if (paths.isEmpty()) {
      return Outcome.notApplicable("no pom.xml");
    }
    Run run = new Run(target);
    run.read(workspace, paths);
    run.plan();
    int written = run.write(workspace);
    return run.outcome(written);
  }

  /** The dependency and version the campaign asks for. */
  private record Target(String groupId, String artifactId, String version, boolean allowDowngrade) {

    static Target of(Parameters parameters) {
      return new Target(
          parameters.string("groupId").strip(),
          parameters.string("artifactId").strip(),
          parameters.string("version").strip(),
          parameters.bool("allowDowngrade", false));
    }

    String coordinates() {
      return groupId + ":" + artifactId;
    }
  }

  /** The state of one application to one repository: its poms, the planned edits and the notes. */
  private static final class Run {
    private final Target target;
    private final Map<String, PomFile> poms = new LinkedHashMap<>();
    private final Map<String, Set<TextEdit>> edits = new TreeMap<>();
    private final Set<String> notes = new LinkedHashSet<>();
    private int declared;
    private int versioned;

    Run(Target target) {
      this.target = target;
    }

    void read(Workspace workspace, List<String> paths) throws IOException {
      for (String path : paths) {
        try {
          PomFile pom = PomFile.parse(path, workspace.read(path));
          if (pom.isProject()) {
            poms.put(path, pom);
          } else {
            notes.add("skipped " + path + ": its root element is not <project>");
          }
        } catch (XmlEditException | FileTooLargeException e) {
          // One broken or generated pom (often a test fixture) must not stop the others from being updated.
          notes.add("skipped " + path + ": " + e.getMessage());
        }
      }
    }

    void plan() {
      for (PomFile pom : poms.values()) {
        for (XmlElement dependency : pom.dependencies()) {
          if (isTarget(pom, dependency)) {
            declared++;
            dependency.child("version").ifPresent(version -> planVersion(pom, version));
          }
        }
      }
    }

    int write(Workspace workspace) throws IOException {
      int written = 0;
      for (Map.Entry<String, Set<TextEdit>> entry : edits.entrySet()) {
        PomFile pom = poms.get(entry.getKey());
        String edited = pom.document().apply(entry.getValue());
        if (!edited.equals(pom.document().text())) {
          workspace.write(pom.path(), edited);
          written++;
        }
      }
      return written;
    }

    Outcome outcome(int written) {
      String noted = summarise(notes);
      if (written > 0) {
        String summary =
            "set " + target.coordinates() + " to " + target.version() + " in " + written
                + (written == 1 ? " pom" : " poms");
        return Outcome.changed(noted.isEmpty() ? summary : summary + "; " + noted);
      }
      if (declared == 0) {
        String reason = target.coordinates() + " is not declared";
        return Outcome.notApplicable(noted.isEmpty() ? reason : reason + "; " + noted);
      }
      if (versioned == 0) {
        return Outcome.notApplicable(
            target.coordinates() + " is declared only without a version; its version is managed outside the repository");
      }
      return new Outcome(Outcome.Kind.UNCHANGED, noted);
    }

    /** The notes on one line, the first few in full, so a large repository cannot flood the summary. */
    private static String summarise(Set<String> notes) {
      List<String> shown = notes.stream().limit(MAX_NOTES).toList();
      String joined = String.join("; ", shown);
      return notes.size() > MAX_NOTES ? joined + "; and " + (notes.size() - MAX_NOTES) + " more" : joined;
    }

    private void planVersion(PomFile pom, XmlElement version) {
      versioned++;
      String text = version.text();
      Matcher property = WHOLE_PROPERTY.matcher(text);
      if (property.matches()) {
        planProperty(pom, property.group(1));
      } else if (text.contains("${")) {
        notes.add("left " + where(pom, version) + " as is: its version '" + text + "' is an expression");
      } else if (text.startsWith("[") || text.startsWith("(")) {
        notes.add("left " + where(pom, version) + " as is: its version '" + text + "' is a range");
      } else {
        planValue(pom, version);
      }
    }

    private void planProperty(PomFile pom, String name) {
      if (BUILT_IN_PREFIXES.stream().anyMatch(name::startsWith)) {
        notes.add("left " + target.coordinates() + " in " + pom.path() + " as is: it uses ${" + name + "}");
        return;
      }
      Optional<PomFile> owner = definingPom(pom, name);
      if (owner.isEmpty()) {
        notes.add(
            "left ${" + name + "} as is: " + pom.path() + " takes it from outside the repository"
                + outsideParent(pom).map(p -> " (parent " + p + ")").orElse(""));
        return;
      }
      List<String> otherUsers = otherUsers(owner.get(), name);
      if (!otherUsers.isEmpty()) {
        notes.add(
            "left ${" + name + "} in " + owner.get().path() + " as is: it is also used by "
                + String.join(", ", otherUsers));
        return;
      }
      List<XmlElement> definitions = new ArrayList<>(owner.get().projectProperty(name));
      definitions.addAll(owner.get().profileProperty(name));
      for (XmlElement definition : definitions) {
        if (definition.text().contains("${")) {
          notes.add("left ${" + name + "} in " + owner.get().path() + " as is: its value '" + definition.text() + "' is an expression");
        } else {
          planValue(owner.get(), definition);
        }
      }
    }

    /** Replaces a literal version (in a {@code <version>} or a property) unless that would be a downgrade. */
    private void planValue(PomFile pom, XmlElement element) {
      String current = element.text();
      if (current.equals(target.version())) {
        return;
      }
      int order = current.isEmpty() ? -1 : MavenVersion.parse(current).compareTo(MavenVersion.parse(target.version()));
      if (order == 0) {
        return;
      }
      if (order > 0 && !target.allowDowngrade()) {
        notes.add(
            "kept " + target.coordinates() + " at " + current + " in " + pom.path() + " (newer than "
                + target.version() + "; set allowDowngrade: true to downgrade)");
        return;
      }
      try {
        edits.computeIfAbsent(pom.path(), p -> new LinkedHashSet<>()).add(element.replaceText(target.version()));
      } catch (XmlEditException e) {
        notes.add("left " + pom.path() + " line " + element.line() + " as is: " + e.getMessage());
      }
    }

    /**
     * The uses of {@code ${name}}, as defined in {@code owner}, that are not versions of the target
     * dependency. A property shared with other artifacts is a decision to version them together;
     * changing it would move them too, and replacing only this use by a literal would split them.
     */
    private List<String> otherUsers(PomFile owner, String name) {
      String reference = "${" + name + "}";
      Set<String> users = new LinkedHashSet<>();
      for (PomFile pom : poms.values()) {
        if (!definingPom(pom, name).filter(owner::equals).isPresent()) {
          continue;
        }
        int references = occurrences(pom.document().text(), reference);
        int explained = 0;
        for (XmlElement dependency : pom.dependencies()) {
          if (dependency.childText("version").filter(reference::equals).isEmpty()) {
            continue;
          }
          if (isTarget(pom, dependency)) {
            explained++;
          } else {
            users.add(dependency.childText("groupId").orElse("") + ":" + dependency.childText("artifactId").orElse(""));
            explained++;
          }
        }
        if (references > explained) {
          users.add("other elements of " + pom.path());
        }
      }
      return new ArrayList<>(users);
    }

    private boolean isTarget(PomFile pom, XmlElement dependency) {
      return coordinate(pom, dependency.childText("groupId").orElse("")).equals(target.groupId())
          && coordinate(pom, dependency.childText("artifactId").orElse("")).equals(target.artifactId());
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
        default -> definingPom(pom, name)
            .flatMap(owner -> owner.projectProperty(name).stream().findFirst())
            .map(XmlElement::text)
            .orElse(value);
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
    private List<PomFile> chain(PomFile pom) {
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
          pom.parentPath().map(poms::get).filter(candidate -> isPom(candidate, parent.get()));
      return byPath.or(() -> poms.values().stream().filter(p -> isPom(p, parent.get())).findFirst());
    }

    private Optional<String> outsideParent(PomFile pom) {
      List<PomFile> chain = chain(pom);
      return chain.get(chain.size() - 1).parent().map(p -> p.groupId() + ":" + p.artifactId());
    }

    private static boolean isPom(PomFile candidate, PomFile.ParentRef parent) {
      return candidate != null
          && candidate.groupId().equals(parent.groupId())
          && candidate.artifactId().equals(parent.artifactId());
    }

    private String where(PomFile pom, XmlElement element) {
      return target.coordinates() + " in " + pom.path() + " line " + element.line();
    }

    private static int occurrences(String text, String needle) {
      int count = 0;
      for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
        count++;
      }
      return count;
    }
  }
}
