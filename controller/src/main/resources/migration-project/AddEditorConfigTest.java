package @PACKAGE@;

import static dev.flotilla.migration.testkit.RewriteTest.created;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import org.junit.jupiter.api.Test;

class AddEditorConfigTest {

  private final AddEditorConfig migration = new AddEditorConfig();

  @Test
  void addsAnEditorConfigWithTheIndentSize() {
    Outcome outcome =
        rewrite(
            migration,
            params("indentSize", 2),
            file("README.md", "# service\n"),
            created(
                ".editorconfig",
                """
                root = true

                [*]
                indent_style = space
                indent_size = 2
                end_of_line = lf
                insert_final_newline = true
                """));

    assertThat(outcome.message()).isEqualTo("added .editorconfig");
  }

  @Test
  void leavesAnExistingEditorConfigAlone() {
    rewrite(migration, params(), file(".editorconfig", "root = true\n[*]\nindent_style = tab\n"));
  }

  @Test
  void refusesAnIndentOutOfRange() {
    assertThat(migration.validate(Parameters.of(java.util.Map.of("indentSize", 12))).isValid()).isFalse();
  }

  @Test
  void isListedForFlotilla() {
    assertThat(Migrations.load().get("add-editorconfig")).isInstanceOf(AddEditorConfig.class);
  }
}
