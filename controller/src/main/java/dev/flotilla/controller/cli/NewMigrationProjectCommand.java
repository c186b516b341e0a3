package dev.flotilla.controller.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla new-migration-project DIR}: a Maven project of a team's own migrations, with one
 * example migration, its before/after tests and a campaign that runs it.
 */
@Command(
    name = "new-migration-project",
    mixinStandardHelpOptions = true,
    description = {
      "Create a Maven project for your own migrations: one example migration (add-editorconfig), its",
      "before/after tests with Flotilla's test kit, and a campaign file. Build it with `mvn -B verify` and",
      "put the jar in FLOTILLA_MIGRATIONS_DIR (see docs/write-a-migration.md)."
    })
final class NewMigrationProjectCommand implements Callable<Integer> {

  private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Pattern ARTIFACT_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final String TEMPLATE = "/migration-project/";

  @Parameters(index = "0", paramLabel = "DIR", description = "The folder to create; it must not exist or be empty.")
  Path dir;

  @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = "com.example.platform",
      description = "Maven groupId, also the Java package (default: ${DEFAULT-VALUE}).")
  String groupId;

  @Option(names = "--artifact-id", paramLabel = "ARTIFACT",
      description = "Maven artifactId (default: the folder's name).")
  String artifactId;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    String artifact = artifactId != null ? artifactId : dir.toAbsolutePath().normalize().getFileName().toString();
    check(artifact);
    if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
      throw new CliException(dir + " already exists and is not an empty folder; choose a new folder");
    }
    Map<String, String> values = values(artifact);
    Path sources = Path.of("src/main/java", groupId.split("\\."));
    Path tests = Path.of("src/test/java", groupId.split("\\."));
    write("pom.xml", Path.of("pom.xml"), values);
    write("AddEditorConfig.java", sources.resolve("AddEditorConfig.java"), values);
    write("AddEditorConfigTest.java", tests.resolve("AddEditorConfigTest.java"), values);
    write("dev.flotilla.migration.Migration", Path.of("src/main/resources/META-INF/services/dev.flotilla.migration.Migration"), values);
    write("campaign.yaml", Path.of("campaign.yaml"), values);
    write("README.md", Path.of("README.md"), values);
    write("gitignore", Path.of(".gitignore"), values);
    var out = spec.commandLine().getOut();
    out.printf("Created the migration project %s:%s in %s%n", groupId, artifact, dir);
    out.printf("Next: cd %s && mvn -B verify, then put target/%s-1.0.0-SNAPSHOT.jar in FLOTILLA_MIGRATIONS_DIR"
        + " (docs/write-a-migration.md).%n", dir, artifact);
    return 0;
  }

  private void check(String artifact) {
    if (!GROUP_ID.matcher(groupId).matches()) {
      throw new CliException("--group-id '" + groupId + "' is not a Java package name; use dot-separated words such as com.acme.platform");
    }
    if (!ARTIFACT_ID.matcher(artifact).matches()) {
      throw new CliException("artifactId '" + artifact + "' must be lower-case letters, digits, '.', '-' or '_';"
          + " give one with --artifact-id, such as acme-migrations");
    }
  }

  private Map<String, String> values(String artifact) {
    Properties versions = new Properties();
    try (InputStream in = NewMigrationProjectCommand.class.getResourceAsStream("migration-project.properties")) {
      versions.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("@GROUP_ID@", groupId);
    values.put("@ARTIFACT_ID@", artifact);
    values.put("@PACKAGE@", groupId);
    for (String name : versions.stringPropertyNames()) {
      values.put("@" + name.replace("-", "_").replace(".", "_").toUpperCase(java.util.Locale.ROOT) + "@", versions.getProperty(name));
    }
    return values;
  }

  private void write(String template, Path target, Map<String, String> values) throws IOException {
    String text;
    try (InputStream in = NewMigrationProjectCommand.class.getResourceAsStream(TEMPLATE + template)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace(value.getKey(), value.getValue());
    }
    Path file = dir.resolve(target);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
