package dev.flotilla.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.model.Plan.Entry;
import dev.flotilla.controller.model.Plan.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanReportTest {

  private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
  private static final String DIFF = "diff --git a/pom.xml b/pom.xml\n-a\n+b\n";

  private final Plan plan = new Plan(3, "jackson-2-18", "ab".repeat(32), (CampaignSpec) null, Plan.Status.FINISHED, "maria", AT, AT);
  private final List<Entry> entries = List.of(
      entry("acme/billing", Verdict.WOULD_CHANGE, "bumped jackson-databind", 1, DIFF),
      entry("acme/notifications", Verdict.NO_CHANGE, "already up to date", null, null),
      entry("acme/legacy", Verdict.REFUSED, "excluded by .flotilla.yaml (exclude: maven-dependency-version)", null, null),
      entry("payments/ledger", Verdict.FAILED, "failed in CLONE: repository not found", null, null));

  @Test
  void countsEveryVerdictAndListsEachRepositoryWithWhy() {
    String table = PlanReport.table(plan, entries, false);

    assertThat(table.lines().toList()).containsExactly(
        "plan 3 of campaign jackson-2-18 (finished): 1 would change, 1 no change, 0 not applicable, 0 need a person, 1 refused, 1 failed",
        "REPOSITORY          VERDICT         CHANGES       WHY",
        "acme/billing        WOULD_CHANGE    1 files +1 -1  bumped jackson-databind",
        "acme/notifications  NO_CHANGE                     already up to date",
        "acme/legacy         REFUSED                       excluded by .flotilla.yaml (exclude: maven-dependency-version)",
        "payments/ledger     FAILED                        failed in CLONE: repository not found");
  }

  @Test
  void printsTheDiffsAfterTheTableWhenAsked() {
    assertThat(PlanReport.table(plan, entries, true)).endsWith("=== acme/billing" + System.lineSeparator() + DIFF);
    assertThat(PlanReport.table(plan, entries, false)).doesNotContain("diff --git");
  }

  @Test
  void saysHowManyAreStillToGo() {
    List<Entry> going = List.of(entry("acme/a", Verdict.PENDING, null, null, null), entry("acme/b", Verdict.RUNNING, null, null, null));

    assertThat(PlanReport.counts(plan, going)).endsWith(", 0 failed, 2 to go" + System.lineSeparator());
  }

  @Test
  void writesJsonWithCountsAndEveryRepository() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(PlanReport.json(plan, entries));

    assertThat(json.path("counts").path("WOULD_CHANGE").asInt()).isEqualTo(1);
    assertThat(json.path("repositories")).hasSize(4);
    assertThat(json.path("repositories").get(0).path("diff").asText()).isEqualTo(DIFF);
    assertThat(json.path("repositories").get(2).path("verdict").asText()).isEqualTo("REFUSED");
  }

  private static Entry entry(String repository, Verdict verdict, String reason, Integer one, String diff) {
    return new Entry(3, repository.hashCode(), repository, verdict, reason, "c".repeat(40), one, one, one, diff,
        "plan-3-" + repository.hashCode(), AT);
  }
}
