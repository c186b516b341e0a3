package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.PlanStore;
import dev.flotilla.migration.Migrations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla campaign plan -f FILE}: a dry run of a campaign file over the whole fleet. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {
      "Dry-run the campaigns in a file on every repository they would touch, through the controller's executor,",
      "pushing nothing; wait for the verdicts and print them. A plan is kept per campaign and file content:",
      "planning the same file again shows the same plan (--again makes it anew), and `campaign apply` of that",
      "file starts from it (see docs/plan.md)."
    })
final class PlanCommand implements Callable<Integer> {

  /** How a plan is printed. */
  enum Output {
    table,
    json
  }

  @Mixin StoreOptions store;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "A Campaign YAML file (several documents allowed).")
  Path file;

  @Option(names = "--diff", description = "Print each repository's diff after the table.")
  boolean diff;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(names = "--again", description = "Make a finished plan of this file anew (the fleet may have moved since).")
  boolean again;

  @Option(names = "--no-wait", negatable = false, description = "Only ask for the plan; do not wait for its verdicts.")
  boolean noWait;

  @Option(names = "--timeout", defaultValue = "30m", paramLabel = "DURATION",
      description = "How long to wait for the verdicts, e.g. 90s, 30m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Spec CommandSpec spec;

  /** How often the store is read while waiting. */
  static Duration poll = Duration.ofMillis(500);

  /** After this long with no controller taking the plan, say what to start. */
  static final Duration NOBODY_TOOK_IT = Duration.ofSeconds(20);

  @Override
  public Integer call() throws Exception {
    Duration limit;
    try {
      limit = dev.flotilla.controller.config.Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new CliException("--timeout '" + timeout + "' " + e.getMessage());
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new CliException(file + ": no such file");
    }
    List<CampaignSpec> campaigns = CampaignParser.parseAll(text, file.toString(), Migrations.load());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Database db = Stores.open(store.settings(), false, 2)) {
      PlanStore plans = new PlanStore(new Jdbc(db.dataSource()));
      String actor = System.getProperty("user.name", "cli");
      List<Plan> requested = new ArrayList<>();
      for (CampaignSpec campaign : campaigns) {
        Plan plan = plans.request(campaign, text, actor, again, Instant.now());
        requested.add(plan);
        err.printf("plan %d of campaign %s: %s%n", plan.id(), campaign.name(),
            plan.status() == Plan.Status.FINISHED ? "finished " + plan.finishedAt() + " (make it anew with --again)"
                : "requested; a running controller makes it");
      }
      err.flush();
      if (noWait) {
        return 0;
      }
      List<Plan> finished = waitFor(plans, requested, limit, err);
      for (Plan plan : finished) {
        List<Plan.Entry> entries = plans.entries(plan.id());
        out.print(output == Output.json ? PlanReport.json(plan, entries) : PlanReport.table(plan, entries, diff));
      }
      out.flush();
      return 0;
    }
  }

  private static List<Plan> waitFor(PlanStore plans, List<Plan> requested, Duration limit, PrintWriter err)
      throws InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(limit);
    String lastProgress = "";
    boolean hinted = false;
    while (true) {
      List<Plan> now = requested.stream().map(p -> plans.byId(p.id()).orElseThrow(
          () -> new CliException("plan " + p.id() + " is gone from the store"))).toList();
      if (now.stream().allMatch(p -> p.status() == Plan.Status.FINISHED)) {
        return now;
      }
      StringBuilder progress = new StringBuilder();
      for (Plan plan : now) {
        Plan.Counts counts = Plan.Counts.of(plans.entries(plan.id()));
        int total = counts.byVerdict().values().stream().mapToInt(Integer::intValue).sum();
        progress.append(String.format("plan %d: %s, %d of %d repositories decided%n",
            plan.id(), plan.status().name().toLowerCase(java.util.Locale.ROOT), total - PlanReport.open(counts), total));
      }
      if (!progress.toString().equals(lastProgress)) {
        err.print(progress);
        err.flush();
        lastProgress = progress.toString();
      }
      if (!hinted && Duration.between(start, Instant.now()).compareTo(NOBODY_TOOK_IT) > 0
          && now.stream().anyMatch(p -> p.status() == Plan.Status.REQUESTED)) {
        err.println("no controller has taken the plan yet; is one running on this store? Start one with: flotilla controller");
        err.flush();
        hinted = true;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new CliException("the plan is not finished after " + dev.flotilla.controller.config.Durations.format(limit)
            + "; see it later with: flotilla campaign plan -f FILE (it goes on in the controller)");
      }
      Thread.sleep(poll.toMillis());
    }
  }

  /** After an apply: says which campaigns start from a finished plan of the same file. */
  static void tellAboutPlans(PlanStore plans, List<CampaignSpec> campaigns, String text, PrintWriter out) {
    String hash = Plan.hash(text);
    for (CampaignSpec campaign : campaigns) {
      plans.finished(campaign.name(), hash).ifPresent(plan -> out.printf(
          "campaign %s starts from plan %d: repositories it found nothing to do in are recorded without a run"
              + " while their default branch has not moved%n", campaign.name(), plan.id()));
    }
  }

  /** {@code flotilla campaign plans}: every plan, newest first. */
  @Command(name = "plans", mixinStandardHelpOptions = true, description = "List the plans, newest first, with their counts.")
  static final class ListPlans implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      try (Database db = Stores.open(store.settings(), false, 2)) {
        PlanStore plans = new PlanStore(new Jdbc(db.dataSource()));
        List<Plan> all = plans.all();
        if (all.isEmpty()) {
          spec.commandLine().getOut().println("no plans yet; make one with: flotilla campaign plan -f FILE");
        }
        for (Plan plan : all) {
          spec.commandLine().getOut().print(PlanReport.counts(plan, plans.entries(plan.id())));
        }
        return 0;
      }
    }
  }
}
