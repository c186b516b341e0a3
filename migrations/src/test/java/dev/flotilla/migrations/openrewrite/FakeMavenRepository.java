package dev.flotilla.migrations.openrewrite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;

/** A Maven repository on disk with one library in several versions, so no test needs the network. */
final class FakeMavenRepository {

  private FakeMavenRepository() {}

  /** One version whose jar holds the given classes, compiled from source here. */
  static void libraryWithClasses(Path root, String groupId, String artifactId, String version, Map<String, String> sources)
      throws IOException {
    library(root, groupId, artifactId, version);
    Path src = Files.createTempDirectory("fake-src");
    Path classes = Files.createTempDirectory("fake-classes");
    List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      args.add(file.toString());
    }
    if (ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("fake library classes do not compile");
    }
    Path jar = root.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
        .resolve(artifactId + "-" + version + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
    }
  }

  static void library(Path root, String groupId, String artifactId, String... versions) throws IOException {
    Path dir = root.resolve(groupId.replace('.', '/')).resolve(artifactId);
    for (String version : versions) {
      Path versionDir = Files.createDirectories(dir.resolve(version));
      Files.writeString(
          versionDir.resolve(artifactId + "-" + version + ".pom"),
          """
          <project>
            <modelVersion>4.0.0</modelVersion>
            <groupId>%s</groupId>
            <artifactId>%s</artifactId>
            <version>%s</version>
          </project>
          """
              .formatted(groupId, artifactId, version));
      // A pom in a file repository counts only with its jar beside it, as in a local repository.
      try (JarOutputStream jar =
          new JarOutputStream(Files.newOutputStream(versionDir.resolve(artifactId + "-" + version + ".jar")))) {
        jar.putNextEntry(new JarEntry("META-INF/"));
        jar.closeEntry();
      }
    }
    String listed =
        Arrays.stream(versions).map(v -> "      <version>" + v + "</version>").collect(Collectors.joining("\n"));
    Files.writeString(
        dir.resolve("maven-metadata.xml"),
        """
        <metadata>
          <groupId>%s</groupId>
          <artifactId>%s</artifactId>
          <versioning>
            <latest>%s</latest>
            <release>%s</release>
            <versions>
        %s
            </versions>
          </versioning>
        </metadata>
        """
            .formatted(groupId, artifactId, versions[versions.length - 1], versions[versions.length - 1], listed));
  }
}
