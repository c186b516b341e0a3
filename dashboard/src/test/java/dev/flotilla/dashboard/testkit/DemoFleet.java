package dev.flotilla.dashboard.testkit;

import dev.flotilla.dashboard.port.BurndownPoint;
import dev.flotilla.dashboard.port.CampaignStatus;
import dev.flotilla.dashboard.port.ChangesetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A plausible fleet of a few hundred repositories, the same every time, for screenshots and demos. */
public final class DemoFleet {

  private static final String[] TEAMS = {"payments", "checkout", "search", "platform", "identity", "data-eng", "mobile-api"};
  private static final String[] NOUNS = {"ledger", "gateway", "catalog", "indexer", "auth", "billing", "events",
      "profile", "orders", "notifier", "pricing", "inventory", "reports", "scheduler", "ingest", "feeds"};
  private static final String[] SUFFIXES = {"service", "api", "worker", "lib", "batch", "ui"};
  private static final String[] ERRORS = {
      "mvn -q validate failed: Non-resolvable parent POM for com.acme:ledger-service",
      "clone timed out after 120 s: repository is 3.1 GiB; raise limits.cloneTimeout",
      "push refused: branch protection requires signed commits on flotilla/*",
      "migration failed: pom.xml has no <dependencies> section to edit"};

  private DemoFleet() {}

  public static InMemoryFleet build(Instant now) {
    InMemoryFleet fleet = new InMemoryFleet(Clock.fixed(now, ZoneOffset.UTC));
    Random random = new Random(42);
    List<String> repos = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      repos.add("acme/" + NOUNS[i % NOUNS.length] + "-" + SUFFIXES[(i / NOUNS.length) % SUFFIXES.length]
          + (i >= NOUNS.length * SUFFIXES.length ? "-" + (i / (NOUNS.length * SUFFIXES.length) + 1) : ""));
    }

    campaign(fleet, random, repos, now, "jackson-2-18", "maven-dependency-version", CampaignStatus.ACTIVE, 21, Map.of(
        ChangesetState.MERGED, 128, ChangesetState.MERGEABLE, 6, ChangesetState.CI_PENDING, 14,
        ChangesetState.PR_OPEN, 22, ChangesetState.CI_FAILED, 7, ChangesetState.PENDING, 31,
        ChangesetState.RUNNING, 4, ChangesetState.FAILED, 5, ChangesetState.NO_CHANGE, 18, ChangesetState.CONFLICT, 3));
    campaign(fleet, random, repos, now, "actions-checkout-v4", "github-actions-version", CampaignStatus.ACTIVE, 9, Map.of(
        ChangesetState.MERGED, 61, ChangesetState.PR_OPEN, 40, ChangesetState.CI_PENDING, 12,
        ChangesetState.PENDING, 88, ChangesetState.NOT_APPLICABLE, 27, ChangesetState.FAILED, 2));
    campaign(fleet, random, repos, now, "java-21-toolchain", "maven-compiler-release", CampaignStatus.PAUSED, 14, Map.of(
        ChangesetState.MERGED, 34, ChangesetState.PR_OPEN, 9, ChangesetState.PENDING, 140,
        ChangesetState.MODIFIED, 2, ChangesetState.CLOSED, 4));
    campaign(fleet, random, repos, now, "log4j-to-slf4j", "replace-logging-facade", CampaignStatus.HALTED, 6, Map.of(
        ChangesetState.FAILED, 19, ChangesetState.HALTED, 52, ChangesetState.MERGED, 12, ChangesetState.CI_FAILED, 8));
    fleet.campaignStatus("log4j-to-slf4j", CampaignStatus.HALTED, "failure rate 23% exceeded haltOnFailureRate 20%");
    fleet.campaignStatus("java-21-toolchain", CampaignStatus.PAUSED, "paused by maria: release freeze");
    campaign(fleet, random, repos, now, "dockerfile-base-image", "dockerfile-base-image", CampaignStatus.COMPLETED, 40, Map.of(
        ChangesetState.MERGED, 176, ChangesetState.NO_CHANGE, 41, ChangesetState.CLOSED, 3, ChangesetState.SKIPPED, 20));

    fleet.repository("acme/legacy-portal", "web", "enabled: true\nautomerg: true\nmergeMethod: squash\n",
        "line 2: unknown key 'automerg' (did you mean 'automerge'?)");
    return fleet;
  }

  private static void campaign(InMemoryFleet fleet, Random random, List<String> repos, Instant now, String name,
      String migration, CampaignStatus status, int ageDays, Map<ChangesetState, Integer> counts) {
    Instant started = now.minus(Duration.ofDays(ageDays));
    fleet.campaign(name, migration, status, started);
    int r = 0;
    for (ChangesetState state : ChangesetState.values()) {
      for (int i = 0; i < counts.getOrDefault(state, 0); i++) {
        String repo = repos.get(r++ % repos.size());
        Instant since = now.minus(Duration.ofMinutes(random.nextInt(ageDays * 24 * 60)));
        String ci = switch (state) {
          case CI_FAILED -> "failure";
          case CI_PENDING, PR_OPEN -> "pending";
          case MERGEABLE, MERGED -> "success";
          default -> null;
        };
        String error = state == ChangesetState.FAILED ? ERRORS[random.nextInt(ERRORS.length)] : null;
        fleet.changeset(name, repo, TEAMS[Math.floorMod(repo.hashCode(), TEAMS.length)], state, ci, error, since);
      }
    }
    fleet.burndown(name, burndown(started, now, counts));
  }

  private static List<BurndownPoint> burndown(Instant started, Instant now, Map<ChangesetState, Integer> counts) {
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    int merged = counts.getOrDefault(ChangesetState.MERGED, 0);
    int openNow = counts.entrySet().stream().filter(e -> !e.getKey().terminal()).mapToInt(Map.Entry::getValue).sum();
    int settledNow = total - merged - openNow;
    List<BurndownPoint> points = new ArrayList<>();
    long days = Math.max(1, Duration.between(started, now).toDays());
    double end = curve(1);
    for (int d = 0; d <= days; d++) {
      // An S-curve, rescaled to end exactly at today's counts: a slow first wave, the bulk, a tail.
      double progress = curve((double) d / days) / end;
      long m = Math.round(merged * progress);
      long settled = Math.round(settledNow * progress);
      points.add(new BurndownPoint(started.plus(Duration.ofDays(d)), total - m - settled, m));
    }
    return points;
  }

  private static double curve(double f) {
    return 1 / (1 + Math.exp(-9 * (f - 0.4))) - 1 / (1 + Math.exp(3.6));
  }

}
