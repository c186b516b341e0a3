package dev.flotilla.controller.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos scenario of {@code bench/chaos}, smaller: the controller in its own JVM, a fifth of its
 * forge calls and a tenth of its runs failing, killed with SIGKILL twice. The campaign must still
 * end where the demo fleet says, with no pull request opened or merged twice.
 */
class ChaosIT {

  @TempDir Path work;

  @Test
  void convergesUnderFaultsAndKillsWithNothingDuplicatedOrLost() throws Exception {
    ChaosScenario.Config config = new ChaosScenario.Config(24, 2, 42, 0.2, 0.1, 2, 0, Duration.ofSeconds(180));

    ChaosScenario.Figures figures = ChaosScenario.run(config, work, System.out);

    assertThat(figures.converged()).as("converged: " + figures.line()).isTrue();
    assertThat(figures.kills()).isEqualTo(2);
    assertThat(figures.injectedFaults()).as("faults were injected").isPositive();
    assertThat(figures.duplicates()).as("repositories with a duplicate pull request").isZero();
    assertThat(figures.lost()).as("changesets lost or not at their end state").isZero();
    assertThat(figures.doubleMerges()).as("pull requests merged twice").isZero();
  }
}
