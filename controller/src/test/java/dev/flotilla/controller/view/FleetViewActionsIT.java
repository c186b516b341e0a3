package dev.flotilla.controller.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.engine.EngineObserver;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.model.CampaignStatus;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.dashboard.port.ActionRefusedException;
import dev.flotilla.dashboard.port.Actor;
import dev.flotilla.dashboard.port.NotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetViewActionsIT {

  static final Actor ALICE = new Actor("alice", "10.0.0.7");

  @TempDir static Path dataDir;
  static Database db;
  Jdbc jdbc;
  SeededFleet fleet;
  ControllerFleetActions actions;
  RepositoryRef newcomer = new RepositoryRef("acme", "zulu", "main", "file:///acme/zulu", null);

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
    Controller controller = fleet.controller(List.of(newcomer), EngineObserver.NONE);
    actions = new ControllerFleetActions(controller);
  }

  @AfterEach
  void stop() {
    actions.close();
  }

  @Test
  void pauseAndResumeChangeTheCampaignAndRecordWhoDidIt() {
    assertThat(actions.pause("jackson", ALICE)).startsWith("Paused jackson");
    assertThat(status("jackson")).isEqualTo(CampaignStatus.PAUSED);

    assertThat(actions.resume("jackson", ALICE)).startsWith("Resumed jackson");
    assertThat(status("jackson")).isEqualTo(CampaignStatus.ACTIVE);

    assertThat(audit()).containsExactly("alice@10.0.0.7 paused jackson", "alice@10.0.0.7 active jackson");
  }

  @Test
  void pausingTwiceOrResumingAnActiveCampaignIsNoError() {
    actions.pause("jackson", ALICE);

    assertThat(actions.pause("jackson", ALICE)).isEqualTo("Campaign jackson is already paused.");
    assertThat(actions.resume("checkout", ALICE)).isEqualTo("Campaign checkout is already active.");
    assertThat(audit()).hasSize(1);
  }

  @Test
  void resumesAHaltedCampaign() {
    fleet.campaigns.setStatus("jackson", CampaignStatus.HALTED, "failure rate 40% above 20%", SeededFleet.NOW,
        CampaignStatus.ACTIVE);

    assertThat(actions.resume("jackson", ALICE)).contains("after its halt");
    assertThat(status("jackson")).isEqualTo(CampaignStatus.ACTIVE);
  }

  @Test
  void refusesToPauseOrResumeACancelledCampaign() {
    fleet.campaigns.setStatus("jackson", CampaignStatus.CANCELLED, "cancelled", SeededFleet.NOW, CampaignStatus.ACTIVE);

    assertThatThrownBy(() -> actions.resume("jackson", ALICE)).isInstanceOf(ActionRefusedException.class)
        .hasMessage("Campaign jackson is cancelled and cannot be resumed; apply it again under a new name to start over");
    assertThatThrownBy(() -> actions.pause("jackson", ALICE)).isInstanceOf(ActionRefusedException.class)
        .hasMessageContaining("only an active campaign can");
    assertThat(status("jackson")).isEqualTo(CampaignStatus.CANCELLED);
    assertThat(audit()).isEmpty();
  }

  @Test
  void unknownCampaignsAndChangesetsAreNotFound() {
    assertThatThrownBy(() -> actions.pause("nope", ALICE)).isInstanceOf(NotFoundException.class).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> actions.resume("nope", ALICE)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> actions.retryFailed("nope", ALICE)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> actions.retry(987_654, ALICE)).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("987654");
  }

  @Test
  void retrySendsAFailedChangesetBackWithTheActorInItsHistory() {
    long bravo = fleet.id("jackson/acme/bravo");

    assertThat(actions.retry(bravo, ALICE)).isEqualTo("Changeset " + bravo + " will run again.");

    assertThat(fleet.changesets.byId(bravo).orElseThrow().state()).isEqualTo(ChangesetState.PENDING);
    assertThat(lastEvent(bravo)).isEqualTo("FAILED->PENDING by alice@10.0.0.7");
    assertThat(actions.retry(bravo, ALICE)).as("twice is fine").isEqualTo("Changeset " + bravo + " is already PENDING.");
  }

  @Test
  void retryOfAChangesetThatDidNotFailIsRefused() {
    long delta = fleet.id("jackson/acme/delta");

    assertThatThrownBy(() -> actions.retry(delta, ALICE)).isInstanceOf(ActionRefusedException.class)
        .hasMessage("Changeset " + delta + " is PR_OPEN; only FAILED, CI_FAILED, CONFLICT or NEEDS_HUMAN changesets can be retried");
    assertThat(fleet.changesets.byId(delta).orElseThrow().state()).isEqualTo(ChangesetState.PR_OPEN);
  }

  @Test
  void retryInAPausedCampaignSaysWhenItWillRun() {
    actions.pause("jackson", ALICE);

    assertThat(actions.retry(fleet.id("jackson/payments/echo"), ALICE))
        .endsWith("will run again once campaign jackson is resumed (it is paused).");
  }

  @Test
  void retryFailedSendsBackEveryFailureOfTheCampaignOnly() {
    String message = actions.retryFailed("jackson", ALICE);

    assertThat(message).isEqualTo("Retrying 2 changesets in jackson.");
    assertThat(fleet.changesets.byId(fleet.id("jackson/acme/bravo")).orElseThrow().state()).isEqualTo(ChangesetState.PENDING);
    assertThat(fleet.changesets.byId(fleet.id("jackson/acme/charlie")).orElseThrow().state()).isEqualTo(ChangesetState.PENDING);
    assertThat(lastEvent(fleet.id("jackson/acme/charlie"))).isEqualTo("CI_FAILED->PENDING by alice@10.0.0.7");
    assertThat(audit()).containsExactly("alice@10.0.0.7 retry failed jackson");
    assertThat(actions.retryFailed("jackson", ALICE)).startsWith("Nothing to retry in jackson");
  }

  @Test
  void rescanRunsDiscoveryInTheBackgroundAndRecordsWhoAsked() {
    assertThat(actions.rescan(ALICE)).startsWith("Rescanning the fleet");

    await().atMost(Duration.ofSeconds(20)).until(() -> fleet.repositories.byName("acme", "zulu").isPresent());
    assertThat(audit()).containsExactly("alice@10.0.0.7 rescan null");
  }

  private CampaignStatus status(String campaign) {
    return fleet.campaigns.byName(campaign).orElseThrow().status();
  }

  private List<String> audit() {
    return jdbc.query("SELECT actor, action, target FROM audit_event ORDER BY id",
        rs -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
  }

  private String lastEvent(long changeset) {
    return jdbc.queryOne("SELECT from_state, to_state, actor FROM changeset_event WHERE changeset_id = ? ORDER BY id DESC LIMIT 1",
        rs -> rs.getString(1) + "->" + rs.getString(2) + " by " + rs.getString(3), changeset).orElseThrow();
  }
}
