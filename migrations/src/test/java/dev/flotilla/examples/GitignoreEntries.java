package dev.flotilla.examples;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Makes sure {@code .gitignore} lists the given entries: the worked example of docs/write-a-migration.md. */
public final class GitignoreEntries implements Migration {

  @Override
  public String id() {
    return "gitignore-entries";
  }

  @Override
  public String title() {
    return "Ignore build output in .gitignore";
  }

  @Override
  public String description() {
    return "Adds missing entries to `.gitignore` so build output is never committed.";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.required(
            "entries", ParameterSpec.Type.STRING_LIST, "lines .gitignore must contain", "[target/, '*.log']"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    Validation.Builder problems = Validation.builder();
    List<String> entries = parameters.stringList("entries");
    problems.check(!entries.isEmpty(), "entries", "must list at least one entry");
    for (String entry : entries) {
      problems.check(!entry.isBlank() && !entry.contains("\n"), "entries", "'" + entry + "' must be one non-blank line");
    }
    return problems.build();
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    String text = workspace.isFile(".gitignore") ? workspace.read(".gitignore") : "";
    List<String> present = text.lines().map(String::strip).toList();
    List<String> missing = new ArrayList<>();
    for (String entry : parameters.stringList("entries")) {
      if (!present.contains(entry.strip()) && !missing.contains(entry.strip())) {
        missing.add(entry.strip());
      }
    }
    if (missing.isEmpty()) {
      return Outcome.unchanged();
    }
    // Append in the file's own line ending, after making sure the last line is terminated.
    String eol = workspace.lineSeparator(".gitignore");
    StringBuilder out = new StringBuilder(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      out.append(eol);
    }
    missing.forEach(entry -> out.append(entry).append(eol));
    workspace.write(".gitignore", out.toString());
    return Outcome.changed("added " + String.join(", ", missing) + " to .gitignore");
  }
}
