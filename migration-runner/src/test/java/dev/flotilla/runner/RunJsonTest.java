package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.runner.RunJson.BadRequestException;
import dev.flotilla.runner.RunRequest.Credential;
import dev.flotilla.runner.RunResult.Phase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunJsonTest {

  @TempDir Path tmp;

  @Test
  void readsBackTheRequestItWrote() {
    RunRequest request =
        new RunRequest(
            "jackson-2-18",
            "acme/payments",
            "maven-dependency-version",
            Map.of("groupId", "com.fasterxml.jackson.core", "versions", List.of("2.18.2"), "strict", true),
            "https://github.com/acme/payments.git",
            "main",
            "flotilla/jackson-2-18",
            new RunRequest.Author("Flotilla", "flotilla@acme.dev"),
            Credential.file("/var/run/secrets/git/token", "x-access-token"),
            "0123456789abcdef0123456789abcdef01234567");

    assertThat(RunJson.readRequest(RunJson.writeRequest(request), "test")).isEqualTo(request);
  }

  @Test
  void fillsDefaultsForOptionalRequestFields() {
    RunRequest request =
        RunJson.readRequest(
            """
            {"campaign": "c", "repository": "acme/x", "migration": "m", "cloneUrl": "file:///r.git",
             "defaultBranch": "main", "branch": "flotilla/c", "credential": {"source": "env", "location": "T"}}
            """,
            "test");

    assertThat(request.author()).isEqualTo(RunRequest.Author.DEFAULT);
    assertThat(request.parameters()).isEmpty();
    assertThat(request.credential()).isEqualTo(Credential.env("T", null));
    assertThat(request.lastPushedSha()).isNull();
  }

  @Test
  void readsBackEveryKindOfResult() {
    List<RunResult> results =
        List.of(
            RunResult.noChange("already up to date"),
            RunResult.notApplicable("no pom.xml"),
            RunResult.needsHuman("left actions/checkout@v7 alone: it is ahead of v4"),
            RunResult.pushed("0123456789abcdef0123456789abcdef01234567", 3, 10, 4, "bumped 3 workflows"),
            RunResult.modified("fedcba9876543210fedcba9876543210fedcba98", "someone pushed"),
            RunResult.failed(Phase.PUSH, "rejected"),
            RunResult.wouldChange("0123456789abcdef0123456789abcdef01234567", 1, 1, 1, "bumped", "diff --git a/x b/x\n")
                .withDataTables(List.of(new RunResult.DataTable("deps", "a,b\r\n1,2\r\n"))),
            RunResult.noChange("already up to date").withBaseSha("0123456789abcdef0123456789abcdef01234567"));

    for (RunResult result : results) {
      assertThat(RunJson.readResult(RunJson.writeResult(result))).isEqualTo(result);
    }
  }

  @Test
  void keepsTheResultWithinATerminationMessageEvenWithHugeMultibyteTexts() {
    String huge = "é😀\u0001\"".repeat(50_000);
    RunResult result = new RunResult(RunResult.Status.FAILED, null, 0, 0, 0, huge, Phase.APPLY, huge);

    String json = RunJson.writeResult(result);

    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RunJson.MAX_RESULT_BYTES);
    RunResult back = RunJson.readResult(json);
    assertThat(back.phase()).isEqualTo(Phase.APPLY);
    assertThat(back.reason()).startsWith("é😀\u0001\"").endsWith("…").hasSizeGreaterThan(100);
    assertThat(back.summary()).startsWith("é😀").endsWith("…");
  }

  @Test
  void aDryRunsDiffGivesWayInATerminationMessageAndSaysHowMuchWasCut() {
    String diff = "diff --git a/pom.xml b/pom.xml\n" + "+<dependency>é</dependency>\n".repeat(2_000);
    RunResult result = RunResult.wouldChange("0123456789abcdef0123456789abcdef01234567", 1, 2_000, 0, "bumped", diff)
        .withDataTables(List.of(new RunResult.DataTable("deps", "a,b\r\n")));

    String json = RunJson.writeResult(result);

    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RunJson.MAX_RESULT_BYTES);
    RunResult back = RunJson.readResult(json);
    assertThat(back.summary()).isEqualTo("bumped");
    assertThat(back.dataTables()).isEmpty();
    assertThat(back.diff()).startsWith("diff --git a/pom.xml b/pom.xml\n+<dependency>é</dependency>\n")
        .contains(RunResult.CUT_NOTE).endsWith(" characters left out\n").hasSizeGreaterThan(1_000);
  }

  @Test
  void aDryRunKeepsAtMostMaxDiffCharactersOfItsDiff() {
    String diff = "+line\n".repeat(RunResult.MAX_DIFF / 6 + 10);

    String kept = RunResult.wouldChange("0123456789abcdef0123456789abcdef01234567", 1, 1, 0, "x", diff).diff();

    assertThat(kept.length()).isLessThanOrEqualTo(RunResult.MAX_DIFF + 80);
    assertThat(kept).endsWith("# diff cut: 60 of " + diff.length() + " characters left out\n");
  }

  @Test
  void leavesAShortResultAlone() {
    RunResult result = RunResult.failed(Phase.CLONE, "x".repeat(RunResult.MAX_REASON));

    assertThat(RunJson.readResult(RunJson.writeResult(result))).isEqualTo(result);
  }

  @Test
  void namesTheFileAndTheMissingField() throws Exception {
    Path file = tmp.resolve("request.json");
    Files.writeString(file, "{\"campaign\": \"c\", \"repository\": \"acme/x\"}");

    assertThatThrownBy(() -> RunJson.readRequest(file))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("request file " + file + ": field 'migration' is required and must be a non-empty string");
  }

  @Test
  void namesTheFieldWithTheWrongType() {
    assertThatThrownBy(
            () ->
                RunJson.readRequest(
                    """
                    {"campaign": "c", "repository": "acme/x", "migration": "m", "cloneUrl": "file:///r.git",
                     "defaultBranch": "main", "branch": "flotilla/c", "credential": {"source": "VAULT"}}
                    """,
                    "request file r.json"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("request file r.json: field 'credential.source'");
  }

  @Test
  void namesAnUnknownField() {
    assertThatThrownBy(
            () ->
                RunJson.readRequest(
                    """
                    {"campaign": "c", "repository": "acme/x", "migration": "m", "cloneUrl": "file:///r.git",
                     "defaultBranch": "main", "branch": "flotilla/c", "lastPushed": "abc"}
                    """,
                    "request file r.json"))
        .hasMessageStartingWith("request file r.json: field 'lastPushed'");
  }

  @Test
  void givesTheLineOfBrokenJson() {
    assertThatThrownBy(() -> RunJson.readRequest("{\n\"campaign\": \"c\",\n oops}", "request file r.json"))
        .hasMessageStartingWith("request file r.json is not valid JSON at line 3");
  }

  @Test
  void saysWhenTheRequestFileIsMissing() {
    Path missing = tmp.resolve("absent.json");

    assertThatThrownBy(() -> RunJson.readRequest(missing))
        .hasMessage("request file " + missing + " does not exist");
  }
}
