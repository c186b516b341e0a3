package dev.flotilla.controller.view;

import static dev.flotilla.controller.view.SeededFleet.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.StoreFleetView;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.port.TeamDetail;
import dev.flotilla.dashboard.port.TeamDetail.WaitingOn;
import dev.flotilla.dashboard.port.TeamSummary;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeamViewIT {

  @TempDir static Path dataDir;
  static Database db;
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
    Jdbc jdbc = new Jdbc(db.dataSource());
    SeededFleet.truncate(jdbc);
    SeededFleet fleet = new SeededFleet(jdbc).seed();
    for (String repo : new String[] {"acme/alpha", "acme/bravo", "acme/charlie", "acme/delta", "acme/broken"}) {
      fleet.repositories.recordOwner(fleet.id(repo), Optional.of(Ownership.fresh("core", Ownership.Source.CODEOWNERS, NOW)));
    }
    for (String repo : new String[] {"payments/echo", "payments/fox", "payments/golf"}) {
      fleet.repositories.recordOwner(fleet.id(repo),
          Optional.of(new Ownership("payments", Ownership.Source.BACKSTAGE, NOW, true)));
    }
    view = new StoreFleetView(jdbc, SeededFleet.clock());
  }

  @Test
  void ranksTeamsByMedianTimeToMergeThenByOpenChangesets() {
    assertThat(view.teams()).containsExactly(
        new TeamSummary("payments", 3, 2, 0, 1, 0, 1.0),
        new TeamSummary("core", 5, 5, 3, 1, 2, 1.0));
  }

  @Test
  void showsWhatWaitsOnTheTeamFirstWithWhatToDo() {
    TeamDetail core = view.team("Core").orElseThrow();

    assertThat(core.repositories()).extracting(TeamDetail.Repository::repository)
        .containsExactly("acme/alpha", "acme/bravo", "acme/broken", "acme/charlie", "acme/delta");
    assertThat(core.repositories().get(0).ownerSource()).isEqualTo("codeowners");
    assertThat(core.changesets()).filteredOn(c -> c.waitingOn() == WaitingOn.team)
        .extracting(TeamDetail.Changeset::state)
        .containsExactlyInAnyOrder(ChangesetState.CI_FAILED, ChangesetState.PR_OPEN, ChangesetState.INVALID_CONFIG);
    assertThat(core.changesets().get(0).waitingOn()).isEqualTo(WaitingOn.team);
    TeamDetail.Changeset delta = core.changesets().stream().filter(c -> c.repository().equals("acme/delta")).findFirst().orElseThrow();
    assertThat(delta.pullRequestNumber()).isEqualTo(4);
    assertThat(delta.action()).startsWith("Review the pull request");
    TeamDetail.Changeset broken = core.changesets().stream().filter(c -> c.repository().equals("acme/broken")).findFirst().orElseThrow();
    assertThat(broken.reason()).contains("unknown key 'automerg'");
    // The burndown counts as the campaign's does: a changeset skipped for a broken opt-in file is finished.
    assertThat(core.burndown()).isNotEmpty();
    assertThat(core.burndown().get(core.burndown().size() - 1)).extracting(TeamDetail.Day::open, TeamDetail.Day::merged)
        .containsExactly(4L, 1L);
  }

  @Test
  void saysWhenTheCatalogsAnswerIsStaleAndKnowsNoTeamNobodyNamed() {
    assertThat(view.team("payments").orElseThrow().repositories()).allSatisfy(r -> {
      assertThat(r.ownerSource()).isEqualTo("backstage");
      assertThat(r.ownerStale()).isTrue();
    });
    assertThat(view.repository("payments/echo").orElseThrow())
        .extracting(r -> r.owner(), r -> r.ownerSource(), r -> r.ownerStale())
        .containsExactly("payments", "backstage", true);
    assertThat(view.team("nobody-owns-this")).isEmpty();
  }
}
