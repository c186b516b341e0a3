package dev.flotilla.controller.discovery;

import dev.flotilla.controller.model.Teams;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a team out of the files repositories already keep for other tools. Pure: text in, team out.
 * A file that says nothing usable answers empty, so the next source is asked; these files belong to
 * other tools, so a broken one is not Flotilla's to report.
 */
final class OwnerFiles {

  static final String CATALOG_INFO = "catalog-info.yaml";

  private OwnerFiles() {}

  /** {@code spec.owner} of the first entity in {@code catalog-info.yaml} that names one. */
  static Optional<String> catalogInfoOwner(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(10);
    options.setCodePointLimit(256 * 1024);
    try {
      for (Object document : new Yaml(new SafeConstructor(options)).loadAll(text)) {
        if (document instanceof Map<?, ?> entity
            && entity.get("spec") instanceof Map<?, ?> spec
            && spec.get("owner") instanceof String owner
            && !owner.isBlank()) {
          return Optional.of(Teams.normalise(owner));
        }
      }
    } catch (YAMLException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The first owner on the last rule for the whole repository ({@code *}, {@code /} or {@code /*}):
   * in CODEOWNERS the last matching rule wins, as GitHub reads it.
   */
  static Optional<String> codeOwner(String text) {
    String team = null;
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash).strip();
      }
      List<String> words = List.of(line.split("\\s+"));
      if (words.size() >= 2 && List.of("*", "/", "/*", "/**").contains(words.get(0))) {
        team = Teams.normalise(words.get(1));
      }
    }
    return Optional.ofNullable(team).filter(t -> !t.isBlank());
  }

  /** The first CODEOWNERS among {@code files} by GitHub's order: .github/, the root, docs/. */
  static Optional<String> codeOwner(Map<String, String> files) {
    for (String path : List.of(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")) {
      if (files.containsKey(path)) {
        return codeOwner(files.get(path));
      }
    }
    return Optional.empty();
  }
}
