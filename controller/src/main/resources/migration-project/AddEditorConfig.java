package @PACKAGE@;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.List;

/** Gives every repository an {@code .editorconfig}, so editors agree on indentation and line endings. */
public final class AddEditorConfig implements Migration {

  @Override
  public String id() {
    return "add-editorconfig";
  }

  @Override
  public String title() {
    return "Add .editorconfig";
  }

  @Override
  public String description() {
    return "Adds an `.editorconfig` so every editor indents with the same number of spaces and ends"
        + " files with a newline. A repository that already has one is left alone.";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(ParameterSpec.optional("indentSize", ParameterSpec.Type.INTEGER, 4, "spaces per indentation level", "2"));
  }

  @Override
  public Validation validate(Parameters parameters) {
    long indent = parameters.integer("indentSize", 4);
    return Validation.builder().check(indent >= 1 && indent <= 8, "indentSize", "must be between 1 and 8, not " + indent).build();
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    if (workspace.isFile(".editorconfig")) {
      return Outcome.unchanged();
    }
    workspace.write(".editorconfig", """
        root = true

        [*]
        indent_style = space
        indent_size = %d
        end_of_line = lf
        insert_final_newline = true
        """.formatted(parameters.integer("indentSize", 4)));
    return Outcome.changed("added .editorconfig");
  }
}
