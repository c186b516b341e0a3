package dev.flotilla.controller.chaos;

import dev.flotilla.FlotillaException;
import dev.flotilla.controller.runtime.FlotillaServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real controller, as {@code flotilla controller} starts it, with faults injected into its
 * forge calls and its local runs. Configured like the controller, plus:
 *
 * <ul>
 *   <li>{@code CHAOS_SEED}: the seed of this controller's faults;
 *   <li>{@code CHAOS_FORGE_FAULT_RATE} (default 0.2) and {@code CHAOS_RUN_FAULT_RATE} (default 0.1);
 *   <li>{@code CHAOS_FAULT_LOG}: the file every injected fault is appended to.
 * </ul>
 */
public final class ChaosController {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosController.class);

  private ChaosController() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = System.getenv();
    long seed = Long.parseLong(required(env, "CHAOS_SEED"));
    Path log = Path.of(required(env, "CHAOS_FAULT_LOG"));
    Faults forgeFaults = new Faults(seed, rate(env, "CHAOS_FORGE_FAULT_RATE", 0.2), log);
    Faults runFaults = new Faults(seed * 31 + 7, rate(env, "CHAOS_RUN_FAULT_RATE", 0.1), log);
    FlotillaServer server = FlotillaServer.start(env, new FlotillaServer.Decorators(
        forge -> new FaultyForge(forge, forgeFaults),
        run -> new FaultyRun(run, runFaults)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "chaos-shutdown"));
    LOG.info("chaos controller running with seed {}, dashboard at {}", seed, server.dashboardUrl().orElse(null));
    stopped.await();
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new FlotillaException(name + " is not set; the chaos driver sets it for every controller it starts");
    }
    return value;
  }

  private static double rate(Map<String, String> env, String name, double fallback) {
    String value = env.get(name);
    try {
      return value == null || value.isBlank() ? fallback : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new FlotillaException(name + " is '" + value + "', not a number between 0 and 1, e.g. 0.2", e);
    }
  }
}
