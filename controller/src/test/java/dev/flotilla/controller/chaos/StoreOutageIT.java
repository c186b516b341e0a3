package dev.flotilla.controller.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL is killed with SIGKILL (its postmaster, from {@code postmaster.pid}) twice
 * in the middle of a campaign; the controller keeps running, starts it again and carries on. The
 * campaign must end where the demo fleet says, as in {@link ChaosIT}: no pull request opened or
 * merged twice, none lost, none recorded closed or CI-failed because the store was away, no
 * changeset left running.
 */
class StoreOutageIT {

  @TempDir Path work;

  @Test
  void convergesAfterThePostgresIsKilledWithNothingDuplicatedOrLost() throws Exception {
    ChaosScenario.Config config = new ChaosScenario.Config(12, 0, 7, 0, 0, 2, 2, Duration.ofSeconds(240));

    ChaosScenario.Figures figures = ChaosScenario.run(config, work, System.out);

    assertThat(figures.converged()).as("converged: " + figures.line()).isTrue();
    assertThat(figures.storeKills()).isEqualTo(2);
    assertThat(figures.duplicates()).as("repositories with a duplicate pull request").isZero();
    assertThat(figures.lost()).as("changesets lost or not at their end state").isZero();
    assertThat(figures.doubleMerges()).as("pull requests merged twice").isZero();
  }
}
