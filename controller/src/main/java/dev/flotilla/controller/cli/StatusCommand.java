package dev.flotilla.controller.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.flotilla.controller.engine.CampaignReport;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.RepositoryStore;
import dev.flotilla.controller.store.StoreJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flotilla status}: every campaign with its changeset counts. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show every campaign with its changeset counts by state.")
final class StatusCommand implements Callable<Integer> {

  /** How to print. */
  enum Output {
    table,
    json
  }

  @Mixin StoreOptions store;

  @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Database db = Stores.open(store.settings(), false, 2)) {
      Jdbc jdbc = new Jdbc(db.dataSource());
      List<CampaignReport> reports = CampaignReport.all(jdbc);
      long invalid = RepositoryStore.countByStatusOnEveryForge(jdbc, OptInStatus.INVALID_CONFIG);
      PrintWriter out = spec.commandLine().getOut();
      if (output == Output.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("campaigns", reports);
        doc.put("invalidOptInFiles", invalid);
        out.println(StoreJson.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
      } else {
        printTable(out, reports, invalid);
      }
      out.flush();
      return 0;
    }
  }

  static void printTable(PrintWriter out, List<CampaignReport> reports, long invalidRepos) {
    if (reports.isEmpty()) {
      out.println("No campaigns yet. Add one with: flotilla campaign apply -f campaign.yaml");
      return;
    }
    String format = "%-22s %-10s %6s %7s %9s %9s %9s %11s %7s %10s %7s %8s %7s%n";
    out.printf(format, "CAMPAIGN", "STATUS", "TOTAL", "MERGED", "IN REVIEW", "CI FAILED", "NO CHANGE", "NEEDS HUMAN",
        "FAILED", "POST-MERGE", "SKIPPED", "INVALID", "ACTIVE");
    for (CampaignReport r : reports) {
      out.printf(format, r.campaign(), r.status(), r.total(), r.merged(), r.awaitingReview(), r.ciFailed(), r.noChange(),
          r.needsHuman(), r.failed(), r.postMergeFailed(), r.skipped(), r.invalidConfig(), r.inProgress());
      if (r.statusReason() != null && !"ACTIVE".equals(r.status())) {
        out.printf("  %s: %s%n", r.status().toLowerCase(java.util.Locale.ROOT), r.statusReason());
      }
    }
    if (invalidRepos > 0) {
      out.printf("%d %s an invalid .flotilla.yaml; see the dashboard's \"Needs attention\" view.%n",
          invalidRepos, invalidRepos == 1 ? "repository has" : "repositories have");
    }
  }
}
