package dev.flotilla.controller.cli;

import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.engine.CampaignReport;
import dev.flotilla.controller.runtime.FlotillaServer;
import dev.flotilla.controller.store.Jdbc;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla demo}: a sample fleet of bare repositories, three campaigns run to completion on
 * the embedded default, a summary, and the dashboard until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Create a sample fleet under --dir, run three campaigns over it to completion, print a summary,",
      "and keep serving the dashboard until Ctrl-C. A second run reuses the demo; --reset starts clean."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--dir", defaultValue = "flotilla-demo", paramLabel = "DIR", description = "Where the demo lives (default: ./${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--repos", defaultValue = "24", paramLabel = "N", description = "Repositories in a new fleet (default: ${DEFAULT-VALUE}).")
  int repos;

  @Option(names = "--reset", description = "Delete the demo in --dir and start clean.")
  boolean reset;

  @Option(names = "--exit", description = "Stop after the summary instead of serving the dashboard (for scripts).")
  boolean exit;

  @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Dashboard port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", description = "Give up waiting for the campaigns after this long (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    quietLogs();
    Path home = dir.toAbsolutePath().normalize();
    Path forge = home.resolve("forge");
    Path marker = home.resolve("fleet-size");
    if (reset) {
      deleteDemo(home, out);
    }
    DemoFleet fleet;
    if (Files.exists(marker)) {
      int size = Integer.parseInt(Files.readString(marker).trim());
      fleet = DemoFleet.existing(forge, size);
      out.printf("Reusing the demo fleet of %d repositories in %s (--reset starts clean).%n", size, home);
    } else {
      Files.createDirectories(home);
      fleet = DemoFleet.create(forge, repos);
      DemoFleet.writeCampaigns(home.resolve("campaigns"));
      Files.writeString(marker, repos + "\n");
      out.printf("Created a demo fleet of %d repositories in %s.%n", repos, forge);
    }
    out.flush();

    Duration limit = dev.flotilla.controller.config.Durations.parse(timeout);
    FlotillaServer server = FlotillaServer.start(demoEnvironment(home));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "flotilla-demo-shutdown"));

    boolean settled = awaitSettled(new Jdbc(server.database().dataSource()), limit, out);
    List<CampaignReport> reports = CampaignReport.all(new Jdbc(server.database().dataSource()));
    boolean asExpected = printSummary(out, reports, fleet);
    if (!settled) {
      out.printf("The campaigns did not settle within %s; see `flotilla status --data-dir %s` and the logs.%n", timeout, home.resolve("data"));
    }
    server.dashboardUrl().ifPresent(url -> out.printf("%nDashboard: %s%n", url));
    out.printf("Token for the dashboard's actions (pause, resume, retry): in %s%n", home.resolve("dashboard-token"));
    out.flush();
    if (exit) {
      server.close();
      return settled && asExpected ? 0 : 1;
    }
    out.println("Serving the dashboard; Ctrl-C stops the demo.");
    out.flush();
    stopped.await();
    return 0;
  }

  /** The demo prints its own progress; engine logs only when something goes wrong, unless asked. */
  private static void quietLogs() {
    if (System.getenv("FLOTILLA_LOG_LEVEL") == null
        && org.slf4j.LoggerFactory.getLogger("dev.flotilla") instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.WARN);
      // The dry run's messages are part of the demo: they show what each team would be told.
      if (org.slf4j.LoggerFactory.getLogger("dev.flotilla.controller.notify") instanceof ch.qos.logback.classic.Logger notify) {
        notify.setLevel(ch.qos.logback.classic.Level.INFO);
      }
    }
  }

  /** The demo's sample notifications file (docs/notifications.md); its webhooks are placeholders. */
  static final String DEMO_NOTIFICATIONS = """
      # Where each team's nudges go. The demo runs with FLOTILLA_NOTIFICATIONS_DRY_RUN=true, so these
      # placeholder webhooks are never called: the messages are printed instead.
      digestAt: "09:00"
      default: {webhook: "https://hooks.slack.com/services/T0DEMO/B0DEMO/placeholder", format: slack}
      teams:
        payments: {timezone: Europe/Copenhagen}
        fulfilment: {webhook: "https://flotilla-demo.invalid/webhooks/fulfilment", format: json, timezone: America/New_York}
      """;

  private Map<String, String> demoEnvironment(Path home) throws IOException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("FLOTILLA_DATA_DIR", home.resolve("data").toString());
    env.put("FLOTILLA_FORGE", "local");
    env.put("FLOTILLA_EXECUTOR", "local");
    env.put("FLOTILLA_LOCAL_FORGE_DIR", home.resolve("forge").toString());
    env.put("FLOTILLA_CAMPAIGNS_DIR", home.resolve("campaigns").toString());
    env.put("FLOTILLA_DASHBOARD_PORT", String.valueOf(port));
    env.putIfAbsent("FLOTILLA_POLL_INTERVAL", "1s");
    env.putIfAbsent("FLOTILLA_DISCOVERY_INTERVAL", "10m");
    env.remove("FLOTILLA_DB_URL");
    env.put("FLOTILLA_DASHBOARD_TOKEN", demoToken(home));
    Path notifications = home.resolve("notifications.yaml");
    if (!Files.exists(notifications)) {
      Files.writeString(notifications, DEMO_NOTIFICATIONS);
    }
    env.putIfAbsent("FLOTILLA_NOTIFICATIONS_FILE", notifications.toString());
    // The demo's webhooks go nowhere: it prints what it would send unless told otherwise.
    env.putIfAbsent("FLOTILLA_NOTIFICATIONS_DRY_RUN", "true");
    return env;
  }

  /** A token for this demo's dashboard, kept in a file only its owner can read rather than printed. */
  private static String demoToken(Path home) throws IOException {
    Path file = home.resolve("dashboard-token");
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    Files.writeString(file, token + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return token;
  }

  private static boolean awaitSettled(Jdbc jdbc, Duration limit, PrintWriter out) throws InterruptedException {
    Instant deadline = Instant.now().plus(limit);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      List<CampaignReport> reports = CampaignReport.all(jdbc);
      String line = progress(reports);
      if (!line.equals(last)) {
        out.println(line);
        out.flush();
        last = line;
      }
      if (!reports.isEmpty() && reports.stream().allMatch(r -> r.settled() && r.total() > 0)) {
        return true;
      }
      Thread.sleep(1000);
    }
    return false;
  }

  private static String progress(List<CampaignReport> reports) {
    List<String> parts = new ArrayList<>();
    for (CampaignReport r : reports) {
      parts.add(String.format("%s %d/%d done", r.campaign(), r.total() - r.inProgress(), r.total()));
    }
    return "  " + (parts.isEmpty() ? "discovering the fleet..." : String.join(" · ", parts));
  }

  /** Prints the summary and says whether every campaign ended as the demo fleet predicts. */
  static boolean printSummary(PrintWriter out, List<CampaignReport> reports, DemoFleet fleet) {
    out.println();
    String format = "%-14s %7s %18s %10s %10s %12s %8s %15s %18s%n";
    out.printf(format, "CAMPAIGN", "MERGED", "OPEN, IN REVIEW", "CI FAILED", "NO CHANGE", "NEEDS HUMAN", "SKIPPED",
        "INVALID CONFIG", "POST-MERGE FAILED");
    boolean all = true;
    for (CampaignReport r : reports) {
      out.printf(format, r.campaign(), r.merged(), r.awaitingReview(), r.ciFailed(), r.noChange(), r.needsHuman(),
          r.skipped(), r.invalidConfig(), r.postMergeFailed());
      if (DemoFleet.CAMPAIGNS.contains(r.campaign())) {
        DemoFleet.Expected e = fleet.expected(r.campaign());
        boolean ok = e.merged() == r.merged() && e.awaitingReview() == r.awaitingReview() && e.ciFailed() == r.ciFailed()
            && e.noChange() == r.noChange() && e.needsHuman() == r.needsHuman() && e.skipped() == r.skipped()
            && e.invalidConfig() == r.invalidConfig() && e.postMergeFailed() == r.postMergeFailed();
        if (!ok) {
          out.printf("  expected: merged %d, in review %d, CI failed %d, no change %d, needs human %d, skipped %d,"
                  + " invalid config %d, post-merge failed %d%n",
              e.merged(), e.awaitingReview(), e.ciFailed(), e.noChange(), e.needsHuman(), e.skipped(), e.invalidConfig(),
              e.postMergeFailed());
          all = false;
        }
      }
    }
    long absent = fleet.notOptedIn();
    out.printf("%d %s not opt in and %s no pull requests.%n", absent, absent == 1 ? "repository did" : "repositories did",
        absent == 1 ? "gets" : "get");
    out.println(all ? "Every campaign ended as expected." : "Some campaigns did not end as expected (see above).");
    return all;
  }

  private static void deleteDemo(Path home, PrintWriter out) throws IOException {
    if (!Files.exists(home)) {
      return;
    }
    if (!Files.exists(home.resolve("fleet-size")) && !Files.exists(home.resolve("forge"))) {
      throw new CliException(home + " does not look like a Flotilla demo; refusing to delete it");
    }
    stopLeftoverPostgres(home.resolve("data").resolve("postgres").resolve("postmaster.pid"));
    try (Stream<Path> walk = Files.walk(home)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    out.printf("Deleted the old demo in %s.%n", home);
  }

  /** A demo killed hard leaves its PostgreSQL running; stop it before deleting its data. */
  private static void stopLeftoverPostgres(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    ProcessHandle.of(pid).ifPresent(p -> {
      p.destroy();
      p.onExit().join();
    });
  }
}
