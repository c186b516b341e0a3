package dev.flotilla.controller.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.dashboard.port.FleetEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {

  final List<FleetEvent> published = new CopyOnWriteArrayList<>();
  final ChangeEvents events = new ChangeEvents(published::add, Set.of("jackson", "checkout")::contains, Duration.ofMillis(100));

  @AfterEach
  void close() {
    events.close();
  }

  @Test
  void aBurstForOneCampaignBecomesOneEvent() {
    for (int i = 0; i < 500; i++) {
      events.accept("jackson");
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
    events.accept("checkout");
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);

    assertThat(published).extracting(FleetEvent::type, FleetEvent::campaign).containsExactly(
        org.assertj.core.groups.Tuple.tuple(FleetEvent.Type.CAMPAIGN, "jackson"),
        org.assertj.core.groups.Tuple.tuple(FleetEvent.Type.CAMPAIGN, "checkout"));
  }

  @Test
  void aChangeAfterTheWindowIsPublishedAgain() {
    events.accept("jackson");
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 1);

    events.accept("jackson");

    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
  }

  @Test
  void discoveryConcernsTheFleetAndEngineStepsConcernEveryPage() {
    events.accept("discovery");
    events.accept("dispatch");

    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
    assertThat(published).extracting(FleetEvent::type, FleetEvent::campaign).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(FleetEvent.Type.FLEET, null),
        org.assertj.core.groups.Tuple.tuple(FleetEvent.Type.CHANGESET, null));
  }

  @Test
  void nothingIsPublishedAfterClose() {
    events.close();

    events.accept("jackson");

    assertThat(published).isEmpty();
  }
}
