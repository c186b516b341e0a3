package dev.flotilla.migration.testkit;

import static dev.flotilla.migration.testkit.RewriteTest.created;
import static dev.flotilla.migration.testkit.RewriteTest.deleted;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewriteTestTest {

  /** A migration whose behaviour each test supplies as a lambda. */
  private interface Body {
    Outcome apply(Workspace workspace) throws IOException;
  }

  private static Migration migration(Body body) {
    return new Migration() {
      @Override
      public String id() {
        return "under-test";
      }

      @Override
      public String title() {
        return "Under test";
      }

      @Override
      public String description() {
        return "";
      }

      @Override
      public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
        return body.apply(workspace);
      }
    };
  }

  private static final Migration UPPERCASE_README =
      migration(
          ws -> {
            String text = ws.read("README.md");
            if (text.equals(text.toUpperCase())) {
              return Outcome.unchanged();
            }
            ws.write("README.md", text.toUpperCase());
            return Outcome.changed("shouted");
          });

  @Test
  void passesAnIdempotentMigrationAndReturnsTheFirstOutcome() {
    Outcome outcome =
        rewrite(UPPERCASE_README, Parameters.empty(), file("README.md", "hi\n", "HI\n"), file("other.txt", "keep\n"));

    assertThat(outcome).isEqualTo(Outcome.changed("shouted"));
  }

  @Test
  void failsAMigrationThatIsNotIdempotent() {
    Migration appends =
        migration(
            ws -> {
              ws.write("log.txt", ws.read("log.txt") + "x");
              return Outcome.changed("appended");
            });

    assertThatThrownBy(() -> rewrite(appends, Parameters.empty(), file("log.txt", "", "x")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not idempotent")
        .hasMessageContaining("changed log.txt");
  }

  @Test
  void failsWhenTheSecondRunClaimsAChangeEvenWithoutOne() {
    Migration boasts =
        migration(
            ws -> {
              ws.write("a.txt", "done");
              return Outcome.changed("wrote a.txt");
            });

    assertThatThrownBy(() -> rewrite(boasts, Parameters.empty(), file("a.txt", "todo", "done")))
        .hasMessageContaining("the second outcome claims a change");
  }

  @Test
  void failsWhenAFileAppearsThatTheTestDoesNotExpect() {
    Migration litters =
        migration(
            ws -> {
              if (ws.exists("stray.txt")) {
                return Outcome.unchanged();
              }
              ws.write("stray.txt", "!");
              return Outcome.changed("littered");
            });

    assertThatThrownBy(() -> rewrite(litters, Parameters.empty(), file("README.md", "hi")))
        .hasMessageContaining("created stray.txt, which the test does not expect");
  }

  @Test
  void failsAClaimedChangeWithNoFileChanged() {
    Migration claims = migration(ws -> Outcome.changed("did a lot"));

    assertThatThrownBy(() -> rewrite(claims, Parameters.empty(), file("README.md", "hi")))
        .hasMessageContaining("no file changed but the outcome claims a change");
  }

  @Test
  void failsAChangeReportedAsUnchanged() {
    Migration modest =
        migration(
            ws -> {
              ws.write("README.md", "HI");
              return Outcome.unchanged();
            });

    assertThatThrownBy(() -> rewrite(modest, Parameters.empty(), file("README.md", "hi", "HI")))
        .hasMessageContaining("files changed but the outcome was UNCHANGED");
  }

  @Test
  void showsADiffWithCarriageReturnsWhenContentDiffers() {
    Migration crlf =
        migration(
            ws -> {
              if (ws.read("a.txt").contains("\r")) {
                return Outcome.unchanged();
              }
              ws.write("a.txt", "one\r\ntwo\r\n");
              return Outcome.changed("crlf");
            });

    assertThatThrownBy(() -> rewrite(crlf, Parameters.empty(), file("a.txt", "x\n", "one\ntwo\n")))
        .hasMessageContaining("unexpected content in a.txt")
        .hasMessageContaining(" + one␍");
  }

  @Test
  void checksCreatedAndDeletedFiles() {
    Migration moves =
        migration(
            ws -> {
              if (!ws.exists("old.txt")) {
                return Outcome.unchanged();
              }
              ws.write("new.txt", ws.read("old.txt"));
              ws.delete("old.txt");
              return Outcome.changed("moved");
            });

    rewrite(moves, Parameters.empty(), deleted("old.txt", "data"), created("new.txt", "data"));
    assertThatThrownBy(() -> rewrite(moves, Parameters.empty(), file("old.txt", "data"), created("new.txt", "data")))
        .hasMessageContaining("expected old.txt to exist, but it was deleted");
  }

  @Test
  void refusesParametersTheMigrationDoesNotAccept() {
    Migration typed =
        new Migration() {
          @Override
          public String id() {
            return "typed";
          }

          @Override
          public String title() {
            return "Typed";
          }

          @Override
          public String description() {
            return "";
          }

          @Override
          public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.required("version", ParameterSpec.Type.STRING, "v", "1"));
          }

          @Override
          public Outcome apply(Workspace workspace, Parameters parameters) {
            return Outcome.unchanged();
          }
        };

    assertThatThrownBy(() -> rewrite(typed, params("verison", "1"), file("a", "a")))
        .hasMessageContaining("verison: unknown parameter")
        .hasMessageContaining("version: is required");
  }
}
