package dev.flotilla.controller.cli;

import dev.flotilla.controller.runtime.FlotillaServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flotilla controller}: the long-running controller. */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = {
      "Run the controller until stopped: discovery, campaigns, runs, pull requests, merges and the dashboard.",
      "Configured with FLOTILLA_* environment variables (see the README's configuration table)."
    })
final class ControllerCommand implements Callable<Integer> {

  @Mixin StoreOptions store;

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    FlotillaServer server = FlotillaServer.start(store.overlay(System.getenv()));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "flotilla-shutdown"));
    System.out.println("flotilla controller running (" + server.database().description() + "), dashboard at "
        + server.dashboardUrl().map(Object::toString).orElse("(none)") + "; Ctrl-C stops it");
    stopped.await();
    return 0;
  }
}
