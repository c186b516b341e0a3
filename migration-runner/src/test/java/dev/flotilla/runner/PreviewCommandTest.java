package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PreviewCommandTest {

  @TempDir Path tmp;

  private Path repo;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void createCheckout() throws IOException {
    repo = Files.createDirectories(tmp.resolve("demo"));
    Files.writeString(repo.resolve("README.md"), "version: v1\n");
  }

  @Test
  void printsTheDiffAndTheOutcome() {
    int exit = execute("--migration", "replace-text", "--param", "from=v1", "--param", "to=v2", "--repo", repo.toString());

    assertThat(exit).isZero();
    assertThat(out.toString())
        .isEqualTo(
            """
            --- a/README.md
            +++ b/README.md
            @@ -1 +1 @@
            -version: v1
            +version: v2
            outcome: changed — replaced v1 with v2 in README.md
            """);
    assertThat(repo.resolve("README.md")).hasContent("version: v1");
  }

  @Test
  void saysUnchangedWhenThereIsNothingToDo() {
    int exit = execute("--migration", "replace-text", "--param", "from=v0", "--param", "to=v2", "--repo", repo.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).isEqualTo("outcome: unchanged\n");
  }

  @Test
  void saysWhyTheMigrationLeftSomethingAlone() {
    int exit =
        execute(
            "--migration", "replace-text", "--param", "from=v1", "--param", "to=v2", "--param", "refuse=v1 is pinned",
            "--repo", repo.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).isEqualTo("outcome: unchanged, needs a person — left v1 alone: v1 is pinned\n");
  }

  @Test
  void saysWhyTheMigrationDoesNotApply() {
    int exit =
        execute(
            "--migration", "replace-text", "--param", "from=a", "--param", "to=b", "--param", "file=pom.xml",
            "--repo", repo.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).isEqualTo("outcome: not applicable — no pom.xml\n");
  }

  @Test
  void exitsTwoListingTheKnownMigrations() {
    int exit = execute("--migration", "nope", "--repo", repo.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("flotilla preview: unknown migration 'nope'; known migrations: ")
        .contains("replace-text")
        .doesNotContain("\tat ");
  }

  @Test
  void exitsTwoListingEveryParameterProblem() {
    int exit = execute("--migration", "replace-text", "--param", "colour=red", "--repo", repo.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("colour: unknown parameter").contains("from: is required").contains("to: is required");
  }

  @Test
  void exitsTwoForAParameterWithoutEqualsSign() {
    assertThat(execute("--migration", "replace-text", "--param", "from", "--repo", repo.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("'from' is not of the form key=value");
  }

  @Test
  void exitsOneWhenTheRepoDoesNotExist() {
    Path missing = tmp.resolve("missing");

    int exit = execute("--migration", "tidy", "--repo", missing.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("--repo " + missing + " does not exist");
  }

  @Test
  void exitsOneWhenTheMigrationFails() {
    assertThat(execute("--migration", "explode", "--repo", repo.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("boom while editing");
  }

  @Test
  void showsHelp() {
    assertThat(execute("--help")).isZero();
    assertThat(out.toString()).contains("--migration=ID").contains("--param=KEY=VALUE").contains("--repo=PATH");
  }

  private int execute(String... args) {
    CommandLine cli = PreviewCommand.commandLine(new PreviewCommand(() -> new Preview(TestMigrations.all())));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }
}
