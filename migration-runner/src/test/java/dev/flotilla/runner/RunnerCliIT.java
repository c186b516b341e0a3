package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.runner.RunResult.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunnerCliIT {

  @TempDir Path tmp;

  private BareRemote remote;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void createRemote() throws Exception {
    remote = BareRemote.withFiles(tmp.resolve("forge"), "main", Map.of("README.md", "version: v1\n"));
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  @Test
  void printsThePushedResultAndWritesItToTheResultFile() throws Exception {
    Path result = tmp.resolve("termination-log");

    int exit = execute("run", "--request", request("v1", "v2").toString(), "--result", result.toString());

    assertThat(exit).isZero();
    RunResult printed = RunJson.readResult(out.toString().strip());
    assertThat(printed.status()).isEqualTo(Status.PUSHED);
    assertThat(printed.headSha()).isEqualTo(remote.head("flotilla/bump").name());
    assertThat(Files.readString(result)).isEqualTo(out.toString().strip());
  }

  @Test
  void exitsZeroWhenThereIsNothingToChange() throws Exception {
    int exit = execute("run", "--request", request("v0", "v2").toString());

    assertThat(exit).isZero();
    assertThat(RunJson.readResult(out.toString().strip()).status()).isEqualTo(Status.NO_CHANGE);
  }

  @Test
  void keepsTheCloneInTheGivenWorkDir() throws Exception {
    Path work = tmp.resolve("work");

    execute("run", "--request", request("v1", "v2").toString(), "--work-dir", work.toString());

    assertThat(work.resolve("README.md")).hasContent("version: v2");
  }

  @Test
  void exitsOneWithTheFailureAsResult() throws Exception {
    Path request = tmp.resolve("failing.json");
    Files.writeString(request, requestJson("explode", "{}"));

    int exit = execute("run", "--request", request.toString());

    assertThat(exit).isEqualTo(1);
    RunResult printed = RunJson.readResult(out.toString().strip());
    assertThat(printed.status()).isEqualTo(Status.FAILED);
    assertThat(printed.phase()).isEqualTo(RunResult.Phase.APPLY);
  }

  @Test
  void exitsTwoNamingTheFileAndFieldOfABadRequest() throws Exception {
    Path request = tmp.resolve("bad.json");
    Files.writeString(request, "{\"campaign\": \"bump\"}");

    int exit = execute("run", "--request", request.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("request file " + request + ": field 'repository' is required");
  }

  @Test
  void exitsTwoWithoutTheRequestOption() {
    assertThat(execute("run")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--request=FILE'");
  }

  @Test
  void showsHelpAndVersion() {
    assertThat(execute("run", "--help")).isZero();
    assertThat(out.toString()).contains("--request=FILE").contains("--result=FILE").contains("--work-dir=DIR");
    assertThat(execute("--version")).isZero();
    assertThat(out.toString()).contains("flotilla-runner");
  }

  private int execute(String... args) {
    CommandLine cli =
        RunnerCli.commandLine(
            () -> new Runner(TestMigrations.all(), CredentialResolver.withEnvironment(Map.of())));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path request(String from, String to) throws Exception {
    Path file = tmp.resolve("request-" + from + "-" + to + ".json");
    Files.writeString(
        file, requestJson("replace-text", "{\"from\": \"" + from + "\", \"to\": \"" + to + "\"}"));
    return file;
  }

  private String requestJson(String migration, String parameters) {
    return """
        {
          "campaign": "bump",
          "repository": "acme/demo",
          "migration": "%s",
          "parameters": %s,
          "cloneUrl": "%s",
          "defaultBranch": "main",
          "branch": "flotilla/bump",
          "author": {"name": "Flotilla", "email": "flotilla@acme.dev"}
        }
        """
        .formatted(migration, parameters, remote.url());
  }
}
