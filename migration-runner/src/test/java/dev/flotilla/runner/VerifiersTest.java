package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiersTest {

  @TempDir Path work;

  @Test
  void aFailureNamesTheVerifierAndEndsWithItsOutputTheTokenMasked() throws Exception {
    Files.writeString(work.resolve("pom.xml"), "<project/>");
    RunRequest.Verifier build = new RunRequest.Verifier("build",
        "for i in $(seq 1 40); do echo line $i; done; echo 'pushing with ghs_s3cr3t'; exit 2", "pom.xml", 30);

    String failure = Verifiers.run(List.of(build), work, text -> text.replace("ghs_s3cr3t", "****")).orElseThrow();

    assertThat(failure).startsWith("verifier 'build' exited with 2").contains("nothing was pushed")
        .contains("line 40").doesNotContain("line 20\n").endsWith("pushing with ****").doesNotContain("ghs_s3cr3t");
  }

  @Test
  void runsOnlyVerifiersWhoseFilesArePresentAndSeesNoneOfTheRunnersEnvironment() throws Exception {
    Files.writeString(work.resolve("package.json"), "{}");
    RunRequest.Verifier maven = new RunRequest.Verifier("build", "exit 1", "pom.xml", 30);
    RunRequest.Verifier env = new RunRequest.Verifier("env", "test -z \"$GIT_TOKEN\" && test \"$CI\" = true", "**", 30);

    assertThat(Verifiers.applies(maven, work)).isFalse();
    assertThat(Verifiers.run(List.of(maven, env), work, t -> t)).isEmpty();
  }

  @Test
  void aVerifierThatRunsTooLongFails() throws Exception {
    RunRequest.Verifier slow = new RunRequest.Verifier("slow", "echo started; sleep 30", null, 1);

    assertThat(Verifiers.run(List.of(slow), work, t -> t)).hasValueSatisfying(
        failure -> assertThat(failure).startsWith("verifier 'slow' timed out after 1s").contains("Its output ends:\nstarted"));
  }
}
