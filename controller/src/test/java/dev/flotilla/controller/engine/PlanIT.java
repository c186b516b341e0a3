package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.demo.DemoFleet;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.Plan;
import dev.flotilla.controller.model.Plan.Entry;
import dev.flotilla.controller.model.Plan.Verdict;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.migration.Migrations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan of a demo campaign against what the campaign then does: the real engine, the local forge and
 * its CI, the real runner. One fleet, planned once and applied once, for the whole class.
 */
class PlanIT {

  private static final String CAMPAIGN = "jackson-2-18";
  private static final Set<ChangesetState> MOVING = EnumSet.of(ChangesetState.PENDING, ChangesetState.RUNNING,
      ChangesetState.PUSHED, ChangesetState.PR_OPEN, ChangesetState.CI_PENDING, ChangesetState.CONFLICT);

  @TempDir static Path tmp;
  static TestEngine engine;
  static Controller controller;
  static Plan plan;
  static List<Entry> planned;
  static String movedBase;
  static List<String> branchesAfterPlan;

  @BeforeAll
  static void planThenApply() throws Exception {
    // The command line test opens the store by --data-dir, as a user would.
    engine = TestEngine.builder(tmp).threads(2).ownServer().build();
    controller = engine.controller();
    DemoFleet.create(engine.localForge().root(), 10);
    // One more repository with nothing to do, whose default branch moves between the plan and the apply.
    engine.repos().create("acme", "moved-on", "main", Map.of(
        "pom.xml", EngineIT.OLD_POM.replace("2.15.2", "2.18.2"), ".flotilla.yaml", EngineIT.AUTOMERGE, "ci.sh", EngineIT.GREEN_CI));
    controller.discover();
    Path file = DemoFleet.writeCampaigns(tmp.resolve("campaigns")).stream()
        .filter(p -> p.getFileName().toString().startsWith(CAMPAIGN)).findFirst().orElseThrow();
    String text = Files.readString(file);
    CampaignSpec spec = CampaignParser.parse(text, file.toString(), Migrations.load());

    plan = controller.plans().request(spec, text, "test", false);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.plans().store().byId(plan.id()).orElseThrow().status() == Plan.Status.FINISHED;
    });
    planned = controller.plans().store().entries(plan.id());
    branchesAfterPlan = campaignBranches();
    movedBase = engine.repos().commit("acme", "moved-on", "main", Map.of("NOTES.md", "moved on\n"), "a person's commit");

    controller.applyCampaign(spec, text, "test");
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
      controller.tick();
      return controller.fleet().changesets().forCampaign(CAMPAIGN).stream().noneMatch(c -> MOVING.contains(c.state()));
    });
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void thePlanPushedNothingAndLeftNoBranch() throws Exception {
    assertThat(branchesAfterPlan).isEmpty();
    assertThat(plan.status()).isEqualTo(Plan.Status.REQUESTED);
    assertThat(planned).extracting(Entry::verdict).contains(Verdict.WOULD_CHANGE, Verdict.NO_CHANGE, Verdict.REFUSED);
    // The plan is not a changeset: nothing of it is in the pull request table either.
    assertThat(engine.jdbc().count("SELECT count(*) FROM changeset_event WHERE at < (SELECT finished_at FROM plan WHERE id = ?)",
        plan.id())).isZero();
  }

  @Test
  void everyRepositorysVerdictMatchesWhereItsChangesetEnded() {
    for (Entry entry : planned) {
      Changeset changeset = changeset(entry);
      Set<ChangesetState> expected = switch (entry.verdict()) {
        case WOULD_CHANGE -> EnumSet.of(ChangesetState.MERGED, ChangesetState.MERGEABLE, ChangesetState.CI_FAILED);
        case NO_CHANGE -> EnumSet.of(ChangesetState.NO_CHANGE);
        case NOT_APPLICABLE -> EnumSet.of(ChangesetState.NOT_APPLICABLE);
        case NEEDS_HUMAN -> EnumSet.of(ChangesetState.NEEDS_HUMAN);
        case REFUSED -> EnumSet.of(ChangesetState.SKIPPED);
        default -> EnumSet.noneOf(ChangesetState.class);
      };
      assertThat(changeset.state()).as("%s planned %s (%s)", entry.repository(), entry.verdict(), entry.reason())
          .isIn(expected);
      if (entry.verdict() == Verdict.REFUSED) {
        assertThat(changeset.stateReason()).as(entry.repository()).isEqualTo(entry.reason());
      }
    }
    assertThat(controller.fleet().changesets().forCampaign(CAMPAIGN)).hasSameSizeAs(planned);
  }

  @Test
  void thePlannedDiffIsWhatThePullRequestChanged() throws Exception {
    int compared = 0;
    for (Entry entry : planned) {
      if (entry.verdict() != Verdict.WOULD_CHANGE) {
        continue;
      }
      Changeset changeset = changeset(entry);
      String[] name = entry.repository().split("/");
      Repository repo = controller.fleet().repositories().byName(name[0], name[1]).orElseThrow();
      try (Git git = Git.open(engine.repos().bare(name[0], name[1]).toFile())) {
        var repository = git.getRepository();
        RevCommit main = repository.parseCommit(repository.resolve("refs/heads/" + repo.ref().defaultBranch()));
        String actual;
        if (changeset.state() == ChangesetState.MERGED) {
          actual = diff(git, repository.parseCommit(main.getParent(0)).getTree(), main.getTree());
        } else {
          ObjectId branch = repository.resolve("refs/heads/flotilla/" + CAMPAIGN);
          actual = diff(git, main.getTree(), repository.parseCommit(branch).getTree());
        }
        assertThat(entry.diff()).as("%s (%s)", entry.repository(), changeset.state()).isEqualTo(actual);
        assertThat(entry.baseSha()).as(entry.repository()).isNotNull();
        compared++;
      }
    }
    assertThat(compared).isGreaterThanOrEqualTo(5);
  }

  @Test
  void aRepositoryThePlanFoundNothingToDoInIsRecordedFromThePlanWithoutARun() {
    Entry upToDate = planned.stream().filter(e -> e.repository().equals("acme/notifications")).findFirst().orElseThrow();
    assertThat(upToDate.verdict()).isEqualTo(Verdict.NO_CHANGE);

    Changeset changeset = changeset(upToDate);

    assertThat(changeset.state()).isEqualTo(ChangesetState.NO_CHANGE);
    assertThat(changeset.stateReason()).startsWith("as planned (plan " + plan.id() + " at " + upToDate.baseSha().substring(0, 7) + ")");
  }

  @Test
  void aRepositoryWhoseDefaultBranchMovedSinceThePlanRunsAgain() {
    Entry moved = planned.stream().filter(e -> e.repository().equals("acme/moved-on")).findFirst().orElseThrow();
    assertThat(moved.verdict()).isEqualTo(Verdict.NO_CHANGE);
    assertThat(moved.baseSha()).isNotEqualTo(movedBase);

    Changeset changeset = changeset(moved);

    assertThat(changeset.state()).isEqualTo(ChangesetState.NO_CHANGE);
    assertThat(changeset.stateReason()).doesNotContain("as planned").isEqualTo("already up to date");
  }

  @Test
  void askingForThePlanOfTheSameFileAgainGivesTheSamePlan() throws Exception {
    Path file = DemoFleet.writeCampaigns(tmp.resolve("again")).stream()
        .filter(p -> p.getFileName().toString().startsWith(CAMPAIGN)).findFirst().orElseThrow();
    String text = Files.readString(file);
    CampaignSpec spec = CampaignParser.parse(text, file.toString(), Migrations.load());

    Plan same = controller.plans().request(spec, text, "someone else", false);
    Plan other = controller.plans().request(spec, text + "# another version\n", "someone else", false);

    assertThat(same.id()).isEqualTo(plan.id());
    assertThat(same.status()).isEqualTo(Plan.Status.FINISHED);
    assertThat(other.id()).isNotEqualTo(plan.id());
    assertThat(other.status()).isEqualTo(Plan.Status.REQUESTED);
    assertThat(controller.plans().store().all()).extracting(Plan::id).startsWith(other.id(), plan.id());
  }

  @Test
  void theCommandLineShowsTheFinishedPlanOfTheSameFile() throws Exception {
    Path file = DemoFleet.writeCampaigns(tmp.resolve("cli")).stream()
        .filter(p -> p.getFileName().toString().startsWith(CAMPAIGN)).findFirst().orElseThrow();
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    var cli = dev.flotilla.controller.cli.FlotillaCli.commandLine();
    cli.setOut(new java.io.PrintWriter(out));
    cli.setErr(new java.io.PrintWriter(err));

    int code = cli.execute("campaign", "plan", "-f", file.toString(), "--diff", "--data-dir", tmp.resolve("data").toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).contains("plan " + plan.id() + " of campaign " + CAMPAIGN + ": finished");
    Plan.Counts counts = Plan.Counts.of(planned);
    assertThat(out.toString())
        .startsWith("plan " + plan.id() + " of campaign " + CAMPAIGN + " (finished): " + counts.get(Verdict.WOULD_CHANGE)
            + " would change, " + counts.get(Verdict.NO_CHANGE) + " no change")
        .containsPattern("(?m)^acme/notifications +NO_CHANGE +already up to date$")
        .containsPattern("(?m)^acme/customer-profile +REFUSED +invalid \\.flotilla\\.yaml")
        .contains("=== acme/orders-service" + System.lineSeparator() + "diff --git a/");
  }

  /** Every campaign branch on the forge, as owner/name:branch. */
  private static List<String> campaignBranches() throws Exception {
    List<String> found = new java.util.ArrayList<>();
    for (Repository repo : controller.fleet().repositories().present()) {
      try (Git git = Git.open(engine.repos().bare(repo.ref().owner(), repo.ref().name()).toFile())) {
        for (var ref : git.getRepository().getRefDatabase().getRefsByPrefix("refs/heads/flotilla/")) {
          found.add(repo.fullName() + ":" + ref.getName());
        }
      }
    }
    return found;
  }

  private static Changeset changeset(Entry entry) {
    return controller.fleet().changesets().find(CAMPAIGN, entry.repositoryId()).orElseThrow(
        () -> new AssertionError("no changeset on " + entry.repository()));
  }

  private static String diff(Git git, RevTree from, RevTree to) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DiffFormatter formatter = new DiffFormatter(out)) {
      formatter.setRepository(git.getRepository());
      formatter.setDiffComparator(RawTextComparator.DEFAULT);
      formatter.setDetectRenames(false);
      formatter.format(from, to);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
