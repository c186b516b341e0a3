package dev.flotilla.dashboard;

import dev.flotilla.dashboard.port.BurndownPoint;
import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.ChangesetState;
import dev.flotilla.dashboard.testkit.InMemoryFleet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** A small fleet with counts a test can state exactly. */
final class TestFleet {

  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final String TOKEN = "test-token-0123456789abcdef";

  private TestFleet() {}

  /**
   * jackson-2-18 (ACTIVE): 3 MERGED (2 this week), 2 PR_OPEN (one 10 days old), 1 FAILED, 1 CI_FAILED, 1 NO_CHANGE.
   * java-21 (PAUSED): 2 PENDING. Plus acme/legacy with an invalid opt-in file.
   */
  static InMemoryFleet build() {
    InMemoryFleet fleet = new InMemoryFleet(Clock.fixed(NOW, ZoneOffset.UTC));
    fleet.campaign("jackson-2-18", "maven-dependency-version", CampaignStatus.ACTIVE, NOW.minus(Duration.ofDays(20)));
    fleet.campaign("java-21", "maven-compiler-release", CampaignStatus.PAUSED, NOW.minus(Duration.ofDays(30)));
    fleet.changeset("jackson-2-18", "acme/billing", "payments", ChangesetState.MERGED, "success", null, days(1));
    fleet.changeset("jackson-2-18", "acme/catalog", "search", ChangesetState.MERGED, "success", null, days(3));
    fleet.changeset("jackson-2-18", "acme/orders", "checkout", ChangesetState.MERGED, "success", null, days(12));
    fleet.changeset("jackson-2-18", "acme/pricing", "checkout", ChangesetState.PR_OPEN, "pending", null, days(10));
    fleet.changeset("jackson-2-18", "acme/search", "search", ChangesetState.PR_OPEN, "pending", null, days(1));
    fleet.changeset("jackson-2-18", "acme/ledger", "payments", ChangesetState.FAILED, null,
        "clone timed out after 120 s", days(2));
    fleet.changeset("jackson-2-18", "acme/gateway", "payments", ChangesetState.CI_FAILED, "failure", null, days(2));
    fleet.changeset("jackson-2-18", "acme/docs", "platform", ChangesetState.NO_CHANGE, null, null, days(5));
    fleet.changeset("java-21", "acme/billing", "payments", ChangesetState.PENDING, null, null, days(4));
    fleet.changeset("java-21", "acme/orders", "checkout", ChangesetState.PENDING, null, null, days(4));
    fleet.repository("acme/legacy", "web", "enabled: true\nautomerg: true\n", "line 2: unknown key 'automerg'");
    fleet.burndown("jackson-2-18", List.of(
        new BurndownPoint(days(20), 8, 0), new BurndownPoint(days(10), 6, 1), new BurndownPoint(NOW, 4, 3)));
    return fleet;
  }

  static Instant days(int ago) {
    return NOW.minus(Duration.ofDays(ago));
  }
}
