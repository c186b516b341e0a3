package dev.flotilla.controller.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code bench/chaos [repos] [seed]}: the chaos scenario at fleet size (200 repositories, three
 * kills of the controller, two of its embedded PostgreSQL, 20% forge faults, 10% run faults). The last line is the figures; the exit status is 1 when
 * anything was duplicated, lost or merged twice, or the campaign did not converge in time.
 */
public final class ChaosBench {

  private ChaosBench() {}

  public static void main(String[] args) throws Exception {
    int repos = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime() % 100_000;
    Path work = Files.createTempDirectory("flotilla-chaos-");
    ChaosScenario.Config config = new ChaosScenario.Config(repos, 3, seed, 0.2, 0.1, 3, 2, Duration.ofMinutes(15));
    ChaosScenario.Figures figures = ChaosScenario.run(config, work, System.out);
    System.out.println("chaos: work folder " + work + " (controller logs, fault log)");
    System.out.println(figures.line());
    System.exit(figures.clean() ? 0 : 1);
  }
}
