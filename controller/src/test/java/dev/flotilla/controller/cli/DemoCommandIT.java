package dev.flotilla.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flotilla demo --exit} as a newcomer runs it: a fresh fleet, three campaigns, the summary. */
class DemoCommandIT {

  @TempDir Path tmp;

  @Test
  void runsThreeCampaignsToTheExpectedSummaryAndReusesTheDemoOnASecondRun() {
    Path dir = tmp.resolve("demo");
    StringWriter first = new StringWriter();
    CommandLine cli = FlotillaCli.commandLine();
    cli.setOut(new PrintWriter(first));
    int code = cli.execute("demo", "--exit", "--port", "0", "--dir", dir.toString(), "--timeout", "4m");
    assertThat(first.toString())
        .contains("Created a demo fleet of 24 repositories")
        .containsPattern("jackson-2-18\\s+17\\s+3\\s+1\\s+1\\s+0\\s+0\\s+1\\s+0\\n")
        .containsPattern("checkout-v4\\s+15\\s+3\\s+1\\s+1\\s+1\\s+0\\s+1\\s+1\\n")
        .containsPattern("temurin-21\\s+16\\s+3\\s+1\\s+1\\s+0\\s+1\\s+1\\s+0\\n")
        .contains("Every campaign ended as expected.");
    assertThat(code).isZero();

    StringWriter second = new StringWriter();
    cli = FlotillaCli.commandLine();
    cli.setOut(new PrintWriter(second));
    assertThat(cli.execute("demo", "--exit", "--port", "0", "--dir", dir.toString())).isZero();
    assertThat(second.toString()).contains("Reusing the demo fleet of 24 repositories").contains("Every campaign ended as expected.");
  }
}
