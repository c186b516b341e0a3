package dev.flotilla.migrations;

import dev.flotilla.migration.edit.XmlDocument;
import dev.flotilla.migration.edit.XmlElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One parsed Maven build file of the repository (a {@code pom.xml}, a {@code *.pom.xml} or a
 * {@code .mvn/extensions.xml}), with the few parts of its model the migrations need.
 */
record PomFile(String path, XmlDocument document) {

  /** The groupId Maven gives a {@code <plugin>} that does not name one. */
  static final String DEFAULT_PLUGIN_GROUP = "org.apache.maven.plugins";

  /** What a declaration with coordinates and a version is. */
  enum Kind {
    DEPENDENCY("dependency"),
    PLUGIN("plugin"),
    EXTENSION("extension"),
    PARENT("parent"),
    PROCESSOR_PATH("annotation processor path");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** Where a pom declares artifacts, below the project and below each profile. */
  private static final List<Place> PLACES =
      List.of(
          new Place("dependencies/dependency", Kind.DEPENDENCY),
          new Place("dependencyManagement/dependencies/dependency", Kind.DEPENDENCY),
          new Place("build/plugins/plugin", Kind.PLUGIN),
          new Place("build/pluginManagement/plugins/plugin", Kind.PLUGIN),
          new Place("reporting/plugins/plugin", Kind.PLUGIN),
          new Place("build/plugins/plugin/dependencies/dependency", Kind.DEPENDENCY),
          new Place("build/pluginManagement/plugins/plugin/dependencies/dependency", Kind.DEPENDENCY),
          new Place("build/extensions/extension", Kind.EXTENSION),
          new Place("build/plugins/plugin/configuration/annotationProcessorPaths/path", Kind.PROCESSOR_PATH),
          new Place(
              "build/plugins/plugin/executions/execution/configuration/annotationProcessorPaths/path",
              Kind.PROCESSOR_PATH),
          new Place(
              "build/pluginManagement/plugins/plugin/configuration/annotationProcessorPaths/path",
              Kind.PROCESSOR_PATH));

  private record Place(String path, Kind kind) {}

  /** The {@code <parent>} of a pom: its coordinates and where it says the parent's pom lives. */
  record ParentRef(String groupId, String artifactId, String version, Optional<String> relativePath) {
    String coordinates() {
      return groupId + ":" + artifactId + (version.isEmpty() ? "" : ":" + version);
    }
  }

  /**
   * One element that names an artifact and may give its version: a dependency, a plugin, a build
   * extension, the parent, or an annotation processor path. The coordinates are as written (they may
   * be {@code ${...}}).
   */
  record Declaration(Kind kind, XmlElement element) {
    String groupId() {
      return element.childText("groupId").orElse(kind == Kind.PLUGIN ? DEFAULT_PLUGIN_GROUP : "");
    }

    String artifactId() {
      return element.childText("artifactId").orElse("");
    }

    Optional<XmlElement> version() {
      return element.child("version");
    }
  }

  static PomFile parse(String path, String text) {
    return new PomFile(path, XmlDocument.parse(text));
  }

  boolean isProject() {
    return document.root().name().equals("project");
  }

  /** A {@code .mvn/extensions.xml}: Maven's core extensions, loaded before any pom is read. */
  boolean isExtensions() {
    return document.root().name().equals("extensions");
  }

  String groupId() {
    return document.root().childText("groupId").or(() -> parent().map(ParentRef::groupId)).orElse("");
  }

  String artifactId() {
    return document.root().childText("artifactId").orElse("");
  }

  String coordinates() {
    return groupId() + ":" + artifactId();
  }

  Optional<ParentRef> parent() {
    if (!isProject()) {
      return Optional.empty();
    }
    return document.root()
        .child("parent")
        .map(
            p ->
                new ParentRef(
                    p.childText("groupId").orElse(""),
                    p.childText("artifactId").orElse(""),
                    p.childText("version").orElse(""),
                    p.childText("relativePath")));
  }

  /**
   * Where the parent's pom would be inside the repository, following Maven: {@code <relativePath>}
   * (a folder means its {@code pom.xml}), {@code ../pom.xml} when it is absent, nothing when it is
   * empty or leads out of the repository.
   */
  Optional<String> parentPath() {
    Optional<ParentRef> parent = parent();
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    String relative = parent.get().relativePath().orElse("../pom.xml");
    if (relative.isBlank()) {
      return Optional.empty();
    }
    Path folder = Path.of(path).getParent();
    Path target = (folder == null ? Path.of(relative) : folder.resolve(relative)).normalize();
    if (target.startsWith("..") || target.isAbsolute()) {
      return Optional.empty();
    }
    String normalised = target.toString().replace('\\', '/');
    return Optional.of(normalised.endsWith(".xml") ? normalised : normalised + "/pom.xml");
  }

  /** Every artifact this file declares, in document order. */
  List<Declaration> declarations() {
    List<Declaration> found = new ArrayList<>();
    if (isExtensions()) {
      document.select("extensions/extension").forEach(e -> found.add(new Declaration(Kind.EXTENSION, e)));
      return found;
    }
    if (!isProject()) {
      return found;
    }
    document.select("project/parent").forEach(e -> found.add(new Declaration(Kind.PARENT, e)));
    for (String base : List.of("project/", "project/profiles/profile/")) {
      for (Place place : PLACES) {
        document.select(base + place.path()).forEach(e -> found.add(new Declaration(place.kind(), e)));
      }
    }
    found.sort(Comparator.comparingInt(d -> d.element().start()));
    return found;
  }

  /** The project-wide definitions of a property: {@code <project><properties><name>}. */
  List<XmlElement> projectProperty(String name) {
    return isProject() ? document.select("project/properties/" + name) : List.of();
  }

  /** The definitions of a property inside {@code <profiles>}. */
  List<XmlElement> profileProperty(String name) {
    return isProject() ? document.select("project/profiles/profile/properties/" + name) : List.of();
  }

  /** Whether {@code element} defines a property, in the project's or a profile's {@code <properties>}. */
  static boolean isPropertyDefinition(XmlElement element) {
    return element.parent()
        .filter(p -> p.name().equals("properties"))
        .flatMap(XmlElement::parent)
        .filter(owner -> owner.name().equals("project") || owner.name().equals("profile"))
        .isPresent();
  }

  /** The innermost element whose content holds the character at {@code offset}. */
  Optional<XmlElement> elementAt(int offset) {
    XmlElement innermost = null;
    for (XmlElement element : document.elements()) {
      if (element.contentStart() <= offset && offset < element.contentEnd()) {
        innermost = element;
      }
    }
    return Optional.ofNullable(innermost);
  }

  /** Whether the character at {@code offset} is inside an XML comment. */
  boolean inComment(int offset) {
    String text = document.text();
    return text.lastIndexOf("<!--", offset) > text.lastIndexOf("-->", offset);
  }
}
