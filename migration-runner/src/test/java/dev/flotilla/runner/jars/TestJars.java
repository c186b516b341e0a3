package dev.flotilla.runner.jars;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources against the test's class path and packs them, with resources, into a jar. */
final class TestJars {

  private TestJars() {}

  /** {@code files} maps a path in the jar to its text; {@code .java} files are compiled, the rest copied. */
  static Path jar(Path jar, Map<String, String> files) throws IOException {
    return jar(jar, files, List.of());
  }

  /** As {@link #jar(Path, Map)}, compiling against {@code libraries} too. */
  static Path jar(Path jar, Map<String, String> files, List<Path> libraries) throws IOException {
    Path work = Files.createTempDirectory("flotilla-test-jar-");
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> sources = new ArrayList<>();
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = (file.getKey().endsWith(".java") ? work.resolve("src") : classes).resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
      if (file.getKey().endsWith(".java")) {
        sources.add(path.toString());
      }
    }
    if (!sources.isEmpty()) {
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath(libraries), "-proc:none"));
      args.addAll(sources);
      if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
        throw new IllegalStateException("test sources do not compile");
      }
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
      }
    }
    return jar;
  }

  private static String classPath(List<Path> libraries) {
    List<String> entries = new ArrayList<>();
    libraries.forEach(library -> entries.add(library.toString()));
    entries.add(System.getProperty("java.class.path"));
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** A migration class {@code pkg.Name} with this id whose apply returns {@code body}'s outcome. */
  static String migration(String pkg, String name, String id, String body) {
    return """
        package %s;

        public final class %s implements dev.flotilla.migration.Migration {
          public String id() { return "%s"; }
          public String title() { return "t"; }
          public String description() { return "d"; }
          public dev.flotilla.migration.Outcome apply(dev.flotilla.migration.Workspace ws, dev.flotilla.migration.Parameters p) {
            %s
          }
        }
        """.formatted(pkg, name, id, body);
  }

  static String services(String... classes) {
    return String.join("\n", classes) + "\n";
  }

  static final String SERVICES = "META-INF/services/dev.flotilla.migration.Migration";

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
