package dev.flotilla.controller.exec.k8s;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.List;

/** Replaces {@code from} with {@code to} in README.md: a migration with a known effect. */
final class ReplaceText implements Migration {

  @Override
  public String id() {
    return "replace-text";
  }

  @Override
  public String title() {
    return "Replace text";
  }

  @Override
  public String description() {
    return "Replaces one string with another in README.md.";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.required("from", ParameterSpec.Type.STRING, "text to replace", "v1"),
        ParameterSpec.required("to", ParameterSpec.Type.STRING, "replacement", "v2"));
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    String text = workspace.read("README.md");
    String from = parameters.string("from");
    if (!text.contains(from)) {
      return Outcome.unchanged();
    }
    workspace.write("README.md", text.replace(from, parameters.string("to")));
    return Outcome.changed("replaced " + from + " in README.md");
  }
}
