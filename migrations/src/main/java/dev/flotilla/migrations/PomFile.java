package dev.flotilla.migrations;

import dev.flotilla.migration.edit.XmlDocument;
import dev.flotilla.migration.edit.XmlElement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One parsed {@code pom.xml} of the repository, with the few parts of its model the migrations need. */
record PomFile(String path, XmlDocument document) {

  /** Where a pom can declare a dependency, below the project and below each profile. */
  private static final List<String> DEPENDENCY_PATHS =
      List.of(
          "dependencies/dependency",
          "dependencyManagement/dependencies/dependency",
          "build/plugins/plugin/dependencies/dependency",
          "build/pluginManagement/plugins/plugin/dependencies/dependency");

  /** The {@code <parent>} of a pom: its coordinates and where it says the parent's pom lives. */
  record ParentRef(String groupId, String artifactId, Optional<String> relativePath) {}

  static PomFile parse(String path, String text) {
    return new PomFile(path, XmlDocument.parse(text));
  }

  boolean isProject() {
    return document.root().name().equals("project");
  }

  String groupId() {
    return document.root().childText("groupId").or(() -> parent().map(ParentRef::groupId)).orElse("");
  }

  String artifactId() {
    return document.root().childText("artifactId").orElse("");
  }

  Optional<ParentRef> parent() {
    return document.root()
        .child("parent")
        .map(
            p ->
                new ParentRef(
                    p.childText("groupId").orElse(""),
                    p.childText("artifactId").orElse(""),
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

  /** Every {@code <dependency>} this pom declares, in dependencies, management, plugins and profiles. */
  List<XmlElement> dependencies() {
    List<XmlElement> found = new ArrayList<>();
    for (String base : List.of("project/", "project/profiles/profile/")) {
      for (String path : DEPENDENCY_PATHS) {
        found.addAll(document.select(base + path));
      }
    }
    found.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return found;
  }

  /** The project-wide definitions of a property: {@code <project><properties><name>}. */
  List<XmlElement> projectProperty(String name) {
    return document.select("project/properties/" + name);
  }

  /** The definitions of a property inside {@code <profiles>}. */
  List<XmlElement> profileProperty(String name) {
    return document.select("project/profiles/profile/properties/" + name);
  }
}
