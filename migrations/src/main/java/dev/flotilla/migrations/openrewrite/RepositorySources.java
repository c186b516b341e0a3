package dev.flotilla.migrations.openrewrite;

import dev.flotilla.migration.Workspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openrewrite.ExecutionContext;
import org.openrewrite.Parser;
import org.openrewrite.SourceFile;
import org.openrewrite.java.JavaParser;
import org.openrewrite.java.search.FindMissingTypes;
import org.openrewrite.java.tree.J;
import org.openrewrite.maven.MavenExecutionContextView;
import org.openrewrite.maven.MavenParser;
import org.openrewrite.maven.cache.InMemoryMavenPomCache;
import org.openrewrite.maven.cache.LocalMavenArtifactCache;
import org.openrewrite.maven.cache.MavenPomCache;
import org.openrewrite.maven.tree.MavenRepository;
import org.openrewrite.maven.tree.MavenResolutionResult;
import org.openrewrite.maven.tree.ResolvedDependency;
import org.openrewrite.maven.tree.Scope;
import org.openrewrite.maven.utilities.MavenArtifactDownloader;
import org.openrewrite.properties.PropertiesParser;
import org.openrewrite.text.PlainTextParser;
import org.openrewrite.tree.ParseError;
import org.openrewrite.xml.XmlParser;
import org.openrewrite.yaml.YamlParser;

/**
 * Reads one repository, through its {@link Workspace} only, into OpenRewrite's lossless trees:
 * poms with their resolved dependencies, Java with the types those dependencies declare, YAML,
 * XML, properties and other text. What could not be resolved or parsed becomes a note, so a run
 * that saw less than the whole repository says so.
 */
final class RepositorySources {

  /** Larger text files are left out: recipes that edit them are rare and their trees are large. */
  static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

  // Poms and their metadata are the same across a fleet; one runner process keeps them.
  private static final MavenPomCache POM_CACHE = new InMemoryMavenPomCache();

  private final RewriteSettings settings;

  RepositorySources(RewriteSettings settings) {
    this.settings = settings;
  }

  /** The parsed files and what the run should tell a person about what it could not see. */
  record Parsed(List<SourceFile> sources, List<String> notes) {}

  Parsed parse(Workspace workspace, ExecutionContext ctx) throws IOException {
    configureMaven(ctx);
    Map<String, List<Parser.Input>> byKind = new LinkedHashMap<>();
    int skipped = 0;
    for (String path : workspace.glob("*")) {
      if (workspace.size(path) > MAX_FILE_BYTES) {
        skipped++;
        continue;
      }
      byte[] bytes = workspace.readBytes(path);
      String kind = kindOf(path, bytes);
      if (kind == null) {
        continue;
      }
      byKind.computeIfAbsent(kind, k -> new ArrayList<>())
          .add(new Parser.Input(Path.of(path), () -> new ByteArrayInputStream(bytes)));
    }
    List<String> notes = new ArrayList<>();
    if (skipped > 0) {
      notes.add(skipped + " files over " + MAX_FILE_BYTES / (1024 * 1024) + " MiB were not read");
    }
    List<SourceFile> sources = new ArrayList<>();
    List<SourceFile> poms = parse(MavenParser.builder().build(), byKind.get("pom"), ctx);
    sources.addAll(poms);
    sources.addAll(parseJava(byKind.get("java"), poms, ctx, notes));
    sources.addAll(parse(YamlParser.builder().build(), byKind.get("yaml"), ctx));
    sources.addAll(parse(XmlParser.builder().build(), byKind.get("xml"), ctx));
    sources.addAll(parse(PropertiesParser.builder().build(), byKind.get("properties"), ctx));
    sources.addAll(parse(PlainTextParser.builder().build(), byKind.get("text"), ctx));
    List<String> failed =
        sources.stream()
            .filter(s -> s instanceof ParseError)
            .map(s -> s.getSourcePath().toString().replace('\\', '/'))
            .sorted()
            .toList();
    if (!failed.isEmpty()) {
      notes.add(failed.size() + " files could not be parsed and were left alone: " + list(failed));
    }
    return new Parsed(sources, notes);
  }

  private void configureMaven(ExecutionContext ctx) {
    MavenExecutionContextView maven = MavenExecutionContextView.view(ctx);
    maven.setPomCache(POM_CACHE);
    maven.setAddLocalRepository(false);
    boolean central = settings.mavenRepository().equals(RewriteSettings.MAVEN_CENTRAL);
    maven.setAddCentralRepository(central);
    if (!central) {
      MavenRepository.Builder repository =
          MavenRepository.builder().id("flotilla").uri(settings.mavenRepository().toString()).knownToExist(true);
      maven.setRepositories(List.of(repository.build()));
    }
  }

  private static List<SourceFile> parse(Parser parser, List<Parser.Input> inputs, ExecutionContext ctx) {
    if (inputs == null || inputs.isEmpty()) {
      return List.of();
    }
    return parser.parseInputs(inputs, null, ctx).collect(Collectors.toList());
  }

  /**
   * Each module's Java files are parsed with the jars of its pom's compile and test dependencies,
   * downloaded through the configured repository; a file outside every module gets the JDK alone.
   */
  private List<SourceFile> parseJava(
      List<Parser.Input> javaFiles, List<SourceFile> poms, ExecutionContext ctx, List<String> notes)
      throws IOException {
    if (javaFiles == null || javaFiles.isEmpty()) {
      return List.of();
    }
    Map<Path, MavenResolutionResult> modules = new LinkedHashMap<>();
    for (SourceFile pom : poms) {
      pom.getMarkers().findFirst(MavenResolutionResult.class).ifPresent(result -> {
        Path dir = pom.getSourcePath().getParent();
        modules.put(dir == null ? Path.of("") : dir, result);
      });
    }
    List<Path> moduleDirs =
        modules.keySet().stream().sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
    Map<Path, List<Parser.Input>> filesByModule = new LinkedHashMap<>();
    for (Parser.Input file : javaFiles) {
      Path module =
          moduleDirs.stream()
              // The root module's folder is the empty path, which no path startsWith.
              .filter(d -> d.toString().isEmpty() || file.getPath().startsWith(d))
              .findFirst()
              .orElse(null);
      filesByModule.computeIfAbsent(module, k -> new ArrayList<>()).add(file);
    }
    Files.createDirectories(settings.artifactCache());
    Set<String> unresolved = new LinkedHashSet<>();
    MavenArtifactDownloader downloader =
        new MavenArtifactDownloader(
            new LocalMavenArtifactCache(settings.artifactCache()),
            null,
            failure -> unresolved.add(Recipes.rootMessage(failure)),
            ctx);
    List<SourceFile> parsed = new ArrayList<>();
    Set<String> missingDependencies = new LinkedHashSet<>();
    for (Map.Entry<Path, List<Parser.Input>> module : filesByModule.entrySet()) {
      List<Path> classpath = new ArrayList<>();
      MavenResolutionResult result = module.getKey() == null ? null : modules.get(module.getKey());
      if (result != null) {
        for (ResolvedDependency dependency : dependencies(result)) {
          Path jar = downloader.downloadArtifact(dependency);
          if (jar == null) {
            missingDependencies.add(dependency.getGav().toString());
          } else {
            classpath.add(jar);
          }
        }
      }
      JavaParser parser = JavaParser.fromJavaVersion().classpath(classpath).build();
      parsed.addAll(parser.parseInputs(module.getValue(), null, ctx).toList());
    }
    List<String> missingTypesIn = new ArrayList<>();
    int missingTypes = 0;
    for (SourceFile source : parsed) {
      if (source instanceof J.CompilationUnit unit) {
        int missing = FindMissingTypes.findMissingTypes(unit, false).size();
        if (missing > 0) {
          missingTypes += missing;
          missingTypesIn.add(unit.getSourcePath().toString().replace('\\', '/'));
        }
      }
    }
    if (!missingDependencies.isEmpty()) {
      notes.add(
          missingDependencies.size() + " dependencies could not be downloaded from "
              + settings.displayRepository() + ": " + list(List.copyOf(missingDependencies)));
    }
    if (missingTypes > 0) {
      notes.add(
          missingTypes + " type references could not be resolved in " + missingTypesIn.size()
              + " Java files (" + list(missingTypesIn) + "); recipes that match on types may have missed them");
    }
    return parsed;
  }

  private static List<ResolvedDependency> dependencies(MavenResolutionResult result) {
    Map<String, ResolvedDependency> unique = new LinkedHashMap<>();
    for (Scope scope : List.of(Scope.Compile, Scope.Provided, Scope.Test)) {
      for (ResolvedDependency dependency : result.getDependencies().getOrDefault(scope, List.of())) {
        unique.putIfAbsent(dependency.getGav().toString(), dependency);
      }
    }
    return List.copyOf(unique.values());
  }

  /** Which parser reads a file, or null for one that is not text. */
  private static String kindOf(String path, byte[] bytes) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.equals("pom.xml")) {
      return "pom";
    }
    if (name.endsWith(".java")) {
      return "java";
    }
    if (name.endsWith(".yml") || name.endsWith(".yaml")) {
      return "yaml";
    }
    if (name.endsWith(".xml")) {
      return "xml";
    }
    if (name.endsWith(".properties")) {
      return "properties";
    }
    return isText(bytes) ? "text" : null;
  }

  private static boolean isText(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String list(List<String> items) {
    int shown = 5;
    return String.join(", ", items.subList(0, Math.min(shown, items.size())))
        + (items.size() > shown ? " and " + (items.size() - shown) + " more" : "");
  }
}
