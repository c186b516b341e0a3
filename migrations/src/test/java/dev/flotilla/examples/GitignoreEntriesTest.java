package dev.flotilla.examples;

import static dev.flotilla.migration.testkit.RewriteTest.created;
import static dev.flotilla.migration.testkit.RewriteTest.crlf;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class GitignoreEntriesTest {

  private final GitignoreEntries migration = new GitignoreEntries();

  @Test
  void appendsOnlyTheMissingEntries() {
    Outcome outcome =
        rewrite(
            migration,
            params("entries", List.of("target/", "*.log")),
            file(
                ".gitignore",
                """
                # build
                target/
                .idea""",
                """
                # build
                target/
                .idea
                *.log
                """));

    assertThat(outcome.message()).isEqualTo("added *.log to .gitignore");
  }

  @Test
  void createsTheFileWhenThereIsNone() {
    rewrite(migration, params("entries", "target/, *.log"), created(".gitignore", "target/\n*.log\n"));
  }

  @Test
  void keepsWindowsLineEndings() {
    rewrite(
        migration,
        params("entries", List.of("target/")),
        file(".gitignore", crlf("bin/\n"), crlf("bin/\ntarget/\n")));
  }

  @Test
  void changesNothingWhenEverythingIsListed() {
    assertThat(rewrite(migration, params("entries", List.of("target/")), file(".gitignore", "  target/\n")))
        .isEqualTo(Outcome.unchanged());
  }

  @Test
  void refusesBlankEntries() {
    assertThat(params("entries", List.of(" ")).check(migration).describe())
        .isEqualTo("entries: ' ' must be one non-blank line");
  }
}
