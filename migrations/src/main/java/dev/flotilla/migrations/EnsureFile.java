package dev.flotilla.migrations;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Makes sure a file exists with content rendered from a template, such as a CODEOWNERS file. */
public final class EnsureFile implements Migration {

  static final String PATH = "path";
  static final String TEMPLATE = "template";
  static final String MODE = "mode";

  private static final List<String> PLACEHOLDERS = List.of("repo.name", "repo.owner", "repo.fullName");

  /** When to write the file. */
  enum Mode {
    /** Only when the file is missing; an existing file is never touched. */
    CREATE,
    /** Create it, or replace an existing file whose content differs. */
    OVERWRITE
  }

  @Override
  public String id() {
    return "ensure-file";
  }

  @Override
  public String title() {
    return "Add a standard file";
  }

  @Override
  public String description() {
    return """
        Makes sure a file (for example `catalog-info.yaml` or `.github/CODEOWNERS`) exists with the \
        content of a template.

        - The template may use `${repo.name}`, `${repo.owner}` and `${repo.fullName}` \
          (`owner/name`); write `$${` for a literal `${`.
        - `mode: create` (the default) writes the file only when it is missing; `mode: overwrite` \
          also replaces a file whose content differs.
        - When overwriting, the template's line endings are converted to the ones the existing file \
          mostly uses, so a CRLF file stays CRLF.
        """;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.required(
            PATH, Type.STRING, "where the file goes, relative to the repository root", "catalog-info.yaml"),
        ParameterSpec.required(
            TEMPLATE,
            Type.STRING,
            "the file's content; ${repo.name}, ${repo.owner}, ${repo.fullName} are filled in, $${ is a literal ${",
            "metadata:\\n  name: ${repo.name}\\n"),
        ParameterSpec.optional(
            MODE, Type.STRING, "create", "create (only when missing) or overwrite (create or update)", "overwrite"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    Validation.Builder problems = Validation.builder();
    pathProblem(parameters.string(PATH, "")).ifPresent(p -> problems.problem(PATH, p));
    Template.parse(parameters.string(TEMPLATE, "")).problems().forEach(p -> problems.problem(TEMPLATE, p));
    String mode = parameters.string(MODE, "create");
    problems.check(
        mode.equals("create") || mode.equals("overwrite"),
        MODE,
        "'" + mode + "' is not a mode; use create (only when missing) or overwrite (create or update)");
    return problems.build();
  }

  @Override
  public boolean editsWorkflows(Parameters parameters) {
    return Workflows.selects(java.nio.file.Path.of(parameters.string(PATH, "")).normalize().toString());
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    String path = parameters.string(PATH);
    Mode mode = Mode.valueOf(parameters.string(MODE, "create").toUpperCase(Locale.ROOT));
    String content =
        Template.parse(parameters.string(TEMPLATE))
            .render(
                Map.of(
                    "repo.name", workspace.repositoryName(),
                    "repo.owner", workspace.repositoryOwner(),
                    "repo.fullName", workspace.repositoryOwner() + "/" + workspace.repositoryName()));
    if (!workspace.exists(path)) {
      workspace.write(path, content);
      return Outcome.changed("created " + path);
    }
    if (!workspace.isFile(path)) {
      throw new FlotillaException(
          path + " exists but is not a file; remove it or give ensure-file another path");
    }
    if (mode == Mode.CREATE) {
      return Outcome.unchanged();
    }
    String desired = withLineEndings(content, workspace.lineSeparator(path));
    if (workspace.read(path).equals(desired)) {
      return Outcome.unchanged();
    }
    workspace.write(path, desired);
    return Outcome.changed("updated " + path);
  }

  private static String withLineEndings(String text, String separator) {
    String lf = text.replace("\r\n", "\n");
    return separator.equals("\n") ? lf : lf.replace("\n", separator);
  }

  private static Optional<String> pathProblem(String path) {
    if (path.isBlank()) {
      return Optional.of("must name a file, e.g. catalog-info.yaml");
    }
    if (path.contains("\\")) {
      return Optional.of("'" + path + "' uses \\; separate folders with /");
    }
    if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
      return Optional.of("'" + path + "' is absolute; give a path relative to the repository root");
    }
    if (path.endsWith("/")) {
      return Optional.of("'" + path + "' names a folder; give a file name");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("'" + path + "' climbs out with '..'; stay inside the repository");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return Optional.of("'" + path + "' has an empty or '.' folder; write it without them");
      }
      if (segment.equals(".git")) {
        return Optional.of("'" + path + "' is inside .git, which migrations may not touch");
      }
    }
    return Optional.empty();
  }

  /** A template split into literal text and placeholders, with the problems found while parsing. */
  record Template(List<Part> parts, List<String> problems) {

    /** Literal text, or the name of a placeholder. */
    record Part(String text, boolean isPlaceholder) {}

    static Template parse(String template) {
      List<Part> parts = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      StringBuilder literal = new StringBuilder();
      int i = 0;
      while (i < template.length()) {
        if (template.startsWith("$${", i)) {
          literal.append("${");
          i += 3;
        } else if (template.startsWith("${", i)) {
          int close = template.indexOf('}', i + 2);
          if (close < 0) {
            problems.add("'${' at character " + (i + 1) + " is not closed with '}'; write $${ for a literal ${");
            literal.append(template, i, template.length());
            break;
          }
          String name = template.substring(i + 2, close);
          if (!PLACEHOLDERS.contains(name)) {
            problems.add(
                "unknown placeholder ${" + name + "}; known: ${repo.name}, ${repo.owner}, ${repo.fullName}"
                    + " (write $${ for a literal ${)");
          }
          parts.add(new Part(literal.toString(), false));
          literal.setLength(0);
          parts.add(new Part(name, true));
          i = close + 1;
        } else {
          literal.append(template.charAt(i++));
        }
      }
      parts.add(new Part(literal.toString(), false));
      return new Template(List.copyOf(parts), List.copyOf(problems));
    }

    String render(Map<String, String> values) {
      if (!problems.isEmpty()) {
        throw new FlotillaException("template: " + String.join("; ", problems));
      }
      StringBuilder out = new StringBuilder();
      for (Part part : parts) {
        out.append(part.isPlaceholder() ? values.get(part.text()) : part.text());
      }
      return out.toString();
    }
  }
}
