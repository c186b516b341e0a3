package dev.flotilla.controller.view;

import static dev.flotilla.controller.view.SeededFleet.NOW;
import static dev.flotilla.controller.view.SeededFleet.days;
import static dev.flotilla.dashboard.port.ChangesetState.CI_FAILED;
import static dev.flotilla.dashboard.port.ChangesetState.CONFLICT;
import static dev.flotilla.dashboard.port.ChangesetState.FAILED;
import static dev.flotilla.dashboard.port.ChangesetState.INVALID_CONFIG;
import static dev.flotilla.dashboard.port.ChangesetState.MERGED;
import static dev.flotilla.dashboard.port.ChangesetState.NEEDS_HUMAN;
import static dev.flotilla.dashboard.port.ChangesetState.NO_CHANGE;
import static dev.flotilla.dashboard.port.ChangesetState.PENDING;
import static dev.flotilla.dashboard.port.ChangesetState.PR_OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.controller.store.StoreFleetView;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.dashboard.port.AttentionItem;
import dev.flotilla.dashboard.port.BurndownPoint;
import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.CampaignSummary;
import dev.flotilla.dashboard.port.ChangesetQuery;
import dev.flotilla.dashboard.port.ChangesetQuery.Sort;
import dev.flotilla.dashboard.port.ChangesetRow;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.port.NotFoundException;
import dev.flotilla.dashboard.port.Page;
import dev.flotilla.dashboard.port.RepositoryDetail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFleetViewIT {

  @TempDir static Path dataDir;
  static Database db;
  Jdbc jdbc;
  SeededFleet fleet;
  StoreFleetView view;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 4);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void seed() {
    jdbc = new Jdbc(db.dataSource());
    SeededFleet.truncate(jdbc);
    fleet = new SeededFleet(jdbc).seed();
    view = new StoreFleetView(jdbc, SeededFleet.clock());
  }

  @Test
  void summarisesEveryCampaignNewestFirstWithCountsByState() {
    List<CampaignSummary> campaigns = view.campaigns();

    assertThat(campaigns).extracting(CampaignSummary::name).containsExactly("checkout", "jackson");
    CampaignSummary jackson = campaigns.get(1);
    assertThat(jackson.counts()).isEqualTo(Map.of(
        MERGED, 2L, FAILED, 1L, CI_FAILED, 1L, PR_OPEN, 1L, CONFLICT, 1L, PENDING, 1L, INVALID_CONFIG, 1L));
    assertThat(jackson.total()).isEqualTo(8);
    assertThat(jackson.migration()).isEqualTo("maven-dependency-version");
    assertThat(jackson.status()).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(jackson.startedAt()).isEqualTo(days(15));
    assertThat(jackson.mergedLast7Days()).as("golf merged 10 days ago, alpha 2 days ago").isEqualTo(1);
    assertThat(campaigns.get(0).counts()).isEqualTo(Map.of(PENDING, 1L, NO_CHANGE, 1L));
  }

  @Test
  void readsOneCampaignAndNothingForAnUnknownOne() {
    fleet.campaigns.setStatus("jackson", dev.flotilla.controller.model.CampaignStatus.PAUSED, "paused by alice", NOW,
        dev.flotilla.controller.model.CampaignStatus.ACTIVE);

    CampaignSummary jackson = view.campaign("jackson").orElseThrow();

    assertThat(jackson.status()).isEqualTo(CampaignStatus.PAUSED);
    assertThat(jackson.statusReason()).isEqualTo("paused by alice");
    assertThat(jackson.count(MERGED)).isEqualTo(2);
    assertThat(view.campaign("nope")).isEmpty();
  }

  @Test
  void campaignWithoutChangesetsHasNoStartYet() {
    fleet.campaign("fresh", NOW);

    CampaignSummary fresh = view.campaign("fresh").orElseThrow();

    assertThat(fresh.total()).isZero();
    assertThat(fresh.startedAt()).isNull();
    assertThat(view.changesets(ChangesetQuery.all("fresh")).total()).isZero();
    assertThat(view.burndown("fresh")).isEmpty();
  }

  @Test
  void listsAPageOfChangesetsByRepositoryWithTheirDetails() {
    Page<ChangesetRow> page = view.changesets(ChangesetQuery.all("jackson"));

    assertThat(page.total()).isEqualTo(8);
    assertThat(page.items()).extracting(ChangesetRow::repository).containsExactly(
        "acme/alpha", "acme/bravo", "acme/broken", "acme/charlie", "acme/delta", "payments/echo", "payments/fox",
        "payments/golf");
    ChangesetRow charlie = page.items().get(3);
    assertThat(charlie.state()).isEqualTo(CI_FAILED);
    assertThat(charlie.owner()).isEqualTo("acme");
    assertThat(charlie.pullRequestUrl()).isEqualTo("https://forge.test/acme/charlie/pull/3");
    assertThat(charlie.ciResult()).isEqualTo("failure");
    assertThat(charlie.lastError()).isEqualTo("CI failed: build");
    assertThat(charlie.stateSince()).isEqualTo(days(1));
    assertThat(charlie.id()).isEqualTo(fleet.id("jackson/acme/charlie"));
    ChangesetRow broken = page.items().get(2);
    assertThat(broken.state()).isEqualTo(INVALID_CONFIG);
    assertThat(broken.lastError()).contains("unknown key 'automerg'");
    assertThat(page.items().get(6).pullRequestUrl()).as("no PR yet").isNull();
    assertThat(page.items().get(6).ciResult()).isNull();
  }

  @Test
  void filtersByStateOwnerAndText() {
    ChangesetQuery all = ChangesetQuery.all("jackson");

    assertThat(repos(view.changesets(all.withStates(Set.of(FAILED, CI_FAILED)))))
        .containsExactly("acme/bravo", "acme/charlie");
    assertThat(repos(view.changesets(all.withStates(Set.of(INVALID_CONFIG))))).containsExactly("acme/broken");
    assertThat(repos(view.changesets(query("jackson", Set.of(), "payments", null)))).containsExactly(
        "payments/echo", "payments/fox", "payments/golf");
    assertThat(repos(view.changesets(query("jackson", Set.of(), null, "NOT FOUND")))).as("matches the error")
        .containsExactly("acme/bravo");
    assertThat(repos(view.changesets(query("jackson", Set.of(), null, "CHARLIE")))).as("matches the name")
        .containsExactly("acme/charlie");
    assertThat(repos(view.changesets(query("jackson", Set.of(MERGED), "payments", "go")))).containsExactly("payments/golf");
    assertThat(view.changesets(query("jackson", Set.of(), null, "100%_")).total()).as("no wildcards").isZero();
  }

  @Test
  void skippedAndInvalidConfigAreToldApartByTheRepository() {
    long optedOut = fleet.repo("acme", "optout", dev.flotilla.controller.model.OptInStatus.OPTED_IN, null);
    fleet.changesets.createIfAbsent("jackson", optedOut, dev.flotilla.controller.model.ChangesetState.SKIPPED,
        "excluded by .flotilla.yaml", 0, "planner", NOW);
    ChangesetQuery all = ChangesetQuery.all("jackson");

    assertThat(repos(view.changesets(all.withStates(Set.of(ChangesetState.SKIPPED))))).containsExactly("acme/optout");
    assertThat(repos(view.changesets(all.withStates(Set.of(INVALID_CONFIG))))).containsExactly("acme/broken");
    assertThat(repos(view.changesets(all.withStates(Set.of(ChangesetState.SKIPPED, INVALID_CONFIG, FAILED)))))
        .containsExactly("acme/bravo", "acme/broken", "acme/optout");
    assertThat(view.changesets(all.withStates(Set.of(ChangesetState.SKIPPED))).total()).isEqualTo(1);
    assertThat(view.campaign("jackson").orElseThrow().counts())
        .containsEntry(ChangesetState.SKIPPED, 1L).containsEntry(INVALID_CONFIG, 1L);
  }

  @Test
  void sortsByEachColumnBothWays() {
    assertThat(repos(view.changesets(sorted(Sort.STATE_SINCE, false))).subList(0, 3))
        .as("longest in state first, ties by repository").containsExactly("acme/broken", "payments/fox", "acme/delta");
    assertThat(repos(view.changesets(sorted(Sort.STATE_SINCE, true))).get(0)).isEqualTo("acme/charlie");
    assertThat(view.changesets(sorted(Sort.STATE, false)).items()).extracting(ChangesetRow::state)
        .as("lifecycle order").containsExactly(PENDING, FAILED, PR_OPEN, CI_FAILED, MERGED, MERGED, CONFLICT, INVALID_CONFIG);
    assertThat(repos(view.changesets(sorted(Sort.STATE, false))).subList(4, 6))
        .as("ties by repository").containsExactly("acme/alpha", "payments/golf");
    assertThat(repos(view.changesets(sorted(Sort.OWNER, true))).get(0)).isEqualTo("payments/echo");
    assertThat(repos(view.changesets(sorted(Sort.REPOSITORY, true))).get(0)).isEqualTo("payments/golf");
  }

  @Test
  void pagesWithATotalEvenPastTheEnd() {
    ChangesetQuery all = ChangesetQuery.all("jackson");

    Page<ChangesetRow> second = view.changesets(all.withPage(3, 3));
    Page<ChangesetRow> last = view.changesets(all.withPage(6, 3));
    Page<ChangesetRow> beyond = view.changesets(all.withPage(30, 3));

    assertThat(repos(second)).containsExactly("acme/charlie", "acme/delta", "payments/echo");
    assertThat(second.total()).isEqualTo(8);
    assertThat(second.offset()).isEqualTo(3);
    assertThat(repos(last)).containsExactly("payments/fox", "payments/golf");
    assertThat(beyond.items()).isEmpty();
    assertThat(beyond.total()).isEqualTo(8);
  }

  @Test
  void unknownCampaignIsNotFound() {
    assertThatThrownBy(() -> view.changesets(ChangesetQuery.all("nope"))).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> view.burndown("nope")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void burndownEndsAtTodaysNumbersAndNeverGoesBackInTime() {
    List<BurndownPoint> points = view.burndown("jackson");

    assertThat(points.size()).isBetween(3, StoreFleetView.MAX_BURNDOWN_POINTS + 2);
    assertThat(points.get(0)).isEqualTo(new BurndownPoint(days(15), 0, 0));
    BurndownPoint last = points.get(points.size() - 1);
    assertThat(last.at()).isEqualTo(NOW);
    assertThat(last.open()).as("pending, failed, CI failed, PR open, conflict").isEqualTo(5);
    assertThat(last.merged()).isEqualTo(2);
    assertThat(points).isSortedAccordingTo(java.util.Comparator.comparing(BurndownPoint::at));
    BurndownPoint beforeAnyMerge = points.stream().filter(p -> p.at().isBefore(days(10))).reduce((a, b) -> b).orElseThrow();
    assertThat(beforeAnyMerge.merged()).isZero();
    assertThat(beforeAnyMerge.open()).as("seven planned, the broken one skipped").isEqualTo(7);
  }

  @Test
  void bucketsKeepLongHistoriesToAFewHundredPoints() {
    assertThat(StoreFleetView.bucketFor(Duration.ofDays(365)).multipliedBy(StoreFleetView.MAX_BURNDOWN_POINTS))
        .isGreaterThanOrEqualTo(Duration.ofDays(365));
    assertThat(StoreFleetView.bucketFor(Duration.ofSeconds(5))).isEqualTo(StoreFleetView.MIN_BUCKET);
  }

  @Test
  void aChangesetLeftAloneShowsItsReasonAndCountsApartFromNoChange() {
    long alpha = fleet.id("checkout/acme/alpha");
    String reason = "left alone: .github/workflows/ci.yml:12 actions/checkout@v7 is ahead of v4 (never downgraded)";
    fleet.changesets.transition(alpha, dev.flotilla.controller.model.ChangesetState.PENDING,
        dev.flotilla.controller.model.ChangesetState.RUNNING, dev.flotilla.controller.model.Lifecycle.By.ENGINE, Changes.none(), "test", "run", NOW.minusSeconds(60));
    fleet.changesets.transition(alpha, dev.flotilla.controller.model.ChangesetState.RUNNING,
        dev.flotilla.controller.model.ChangesetState.NEEDS_HUMAN, dev.flotilla.controller.model.Lifecycle.By.RUNNER, Changes.none(), "runner", reason, NOW.minusSeconds(30));

    assertThat(view.campaign("checkout").orElseThrow().counts()).isEqualTo(Map.of(NEEDS_HUMAN, 1L, NO_CHANGE, 1L));
    ChangesetRow row = view.changesets(ChangesetQuery.all("checkout")).items().stream()
        .filter(r -> r.repository().equals("acme/alpha")).findFirst().orElseThrow();
    assertThat(row.state()).isEqualTo(NEEDS_HUMAN);
    assertThat(row.lastError()).isEqualTo(reason);
    assertThat(view.repository("acme/alpha").orElseThrow().changesets())
        .filteredOn(c -> c.campaign().equals("checkout"))
        .extracting(ChangesetRow::lastError).containsExactly(reason);
    assertThat(view.attention(Duration.ofDays(7)))
        .filteredOn(a -> a.kind() == AttentionItem.Kind.NEEDS_HUMAN)
        .singleElement()
        .satisfies(a -> {
          assertThat(a.repository()).isEqualTo("acme/alpha");
          assertThat(a.reason()).isEqualTo(reason);
          assertThat(a.changesetId()).isEqualTo(alpha);
        });
  }

  @Test
  void repositoryShowsEveryCampaignsChangesetAndItsOptInFile() {
    RepositoryDetail alpha = view.repository("acme/alpha").orElseThrow();
    RepositoryDetail broken = view.repository("acme/broken").orElseThrow();

    assertThat(alpha.owner()).isEqualTo("acme");
    assertThat(alpha.url()).isEqualTo("https://forge.test/acme/alpha");
    assertThat(alpha.optInFile()).isEqualTo("enabled: true\n");
    assertThat(alpha.optInError()).isNull();
    assertThat(alpha.changesets()).extracting(ChangesetRow::campaign, ChangesetRow::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("checkout", PENDING),
            org.assertj.core.groups.Tuple.tuple("jackson", MERGED));
    assertThat(broken.optInError()).isEqualTo("line 3: unknown key 'automerg'");
    assertThat(broken.changesets()).extracting(ChangesetRow::state).containsExactly(INVALID_CONFIG);
    assertThat(view.repository("acme/nope")).isEmpty();
    assertThat(view.repository("no-slash")).isEmpty();
  }

  @Test
  void needsAttentionListsEveryStuckThingWithItsNextActionOldestFirst() {
    List<AttentionItem> items = view.attention(Duration.ofDays(7));

    assertThat(items).extracting(AttentionItem::kind, AttentionItem::repository).containsExactly(
        org.assertj.core.groups.Tuple.tuple(AttentionItem.Kind.INVALID_CONFIG, "acme/broken"),
        org.assertj.core.groups.Tuple.tuple(AttentionItem.Kind.STALE_PULL_REQUEST, "acme/delta"),
        org.assertj.core.groups.Tuple.tuple(AttentionItem.Kind.CONFLICT, "payments/echo"),
        org.assertj.core.groups.Tuple.tuple(AttentionItem.Kind.RUN_FAILED, "acme/bravo"),
        org.assertj.core.groups.Tuple.tuple(AttentionItem.Kind.CI_FAILED, "acme/charlie"));
    AttentionItem stale = items.get(1);
    assertThat(stale.reason()).isEqualTo("pull request open for 10 days, waiting for review");
    assertThat(stale.url()).isEqualTo("https://forge.test/acme/delta/pull/4");
    assertThat(stale.campaign()).isEqualTo("jackson");
    AttentionItem failed = items.get(3);
    assertThat(failed.reason()).isEqualTo("CLONE: repository not found");
    assertThat(failed.nextAction()).startsWith("retry");
    assertThat(failed.changesetId()).isEqualTo(fleet.id("jackson/acme/bravo"));
    AttentionItem invalid = items.get(0);
    assertThat(invalid.campaign()).isNull();
    assertThat(invalid.reason()).contains("unknown key 'automerg'");
    assertThat(invalid.nextAction()).contains("fix .flotilla.yaml");
    assertThat(invalid.url()).isEqualTo("https://forge.test/acme/broken/blob/main/.flotilla.yaml");
  }

  @Test
  void pullRequestsAreStaleOnlyAfterTheGivenTime() {
    assertThat(view.attention(Duration.ofDays(30))).extracting(AttentionItem::kind)
        .doesNotContain(AttentionItem.Kind.STALE_PULL_REQUEST);
  }

  @Test
  void cancelledCampaignsNeedNoAttention() {
    fleet.campaigns.setStatus("jackson", dev.flotilla.controller.model.CampaignStatus.CANCELLED, "cancelled", NOW,
        dev.flotilla.controller.model.CampaignStatus.ACTIVE);

    assertThat(view.attention(Duration.ofDays(7))).extracting(AttentionItem::kind)
        .containsExactly(AttentionItem.Kind.INVALID_CONFIG);
  }

  private static ChangesetQuery query(String campaign, Set<ChangesetState> states, String owner, String text) {
    return new ChangesetQuery(campaign, states, owner, text, Sort.REPOSITORY, false, 0, 50);
  }

  private static ChangesetQuery sorted(Sort sort, boolean descending) {
    return new ChangesetQuery("jackson", Set.of(), null, null, sort, descending, 0, 50);
  }

  private static List<String> repos(Page<ChangesetRow> page) {
    return page.items().stream().map(ChangesetRow::repository).toList();
  }
}
