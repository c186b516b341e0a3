package dev.flotilla.controller.campaign.k8s;

import dev.flotilla.controller.campaign.k8s.CampaignResourceStatus.Condition;
import dev.flotilla.controller.campaign.k8s.CampaignResourceStatus.Phase;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.model.ChangesetState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Builds a Campaign resource's status from what the store holds. Pure: the reconciler reads the
 * store and writes the result; conditions keep their transition time while their status holds.
 */
final class CampaignStatusBuilder {

  static final String READY = "Ready";
  static final String HALTED = "Halted";
  static final String INVALID = "Invalid";

  /** Why the spec could not be applied, as the file loader words it; empty when it was applied. */
  record Problem(String reason, String message) {}

  private CampaignStatusBuilder() {}

  static CampaignResourceStatus build(
      Optional<Campaign> stored,
      Map<ChangesetState, Long> counts,
      Optional<Problem> problem,
      Long generation,
      CampaignResourceStatus previous,
      Instant now) {
    CampaignResourceStatus status = new CampaignResourceStatus();
    stored.ifPresent(campaign -> {
      status.phase = phase(campaign);
      status.currentWave = campaign.currentWave();
      if (status.phase == Phase.Halted) {
        status.haltReason = campaign.statusReason();
      }
    });
    counts.forEach((state, n) -> status.counts.put(state.name(), n.intValue()));
    status.total = sum(counts, s -> true);
    status.merged = sum(counts, s -> s == ChangesetState.MERGED);
    status.open = sum(counts, ChangesetState::hasOpenPullRequest);
    status.failed = sum(counts, s -> s == ChangesetState.FAILED || s == ChangesetState.CI_FAILED);
    status.progress = status.merged + "/" + status.total;
    status.observedGeneration = generation;

    boolean halted = status.phase == Phase.Halted;
    status.conditions.add(ready(stored, problem, generation));
    status.conditions.add(new Condition(HALTED, halted, halted ? "FailureRate" : "NotHalted",
        halted ? status.haltReason : "", generation));
    status.conditions.add(problem
        .map(p -> new Condition(INVALID, true, p.reason(), p.message(), generation))
        .orElseGet(() -> new Condition(INVALID, false, "Valid", "", generation)));
    for (Condition condition : status.conditions) {
      condition.lastTransitionTime = previousTransition(previous, condition).orElse(now.toString());
    }
    return status;
  }

  static Phase phase(Campaign campaign) {
    return switch (campaign.status()) {
      case ACTIVE -> Phase.Active;
      case PAUSED -> Phase.Paused;
      case HALTED -> Phase.Halted;
      case COMPLETED -> Phase.Completed;
      case CANCELLED -> Phase.Cancelled;
    };
  }

  private static Condition ready(Optional<Campaign> stored, Optional<Problem> problem, Long generation) {
    if (problem.isPresent()) {
      String running = stored.isPresent() ? "; the campaign goes on with the last valid spec" : "";
      return new Condition(READY, false, problem.get().reason(), "the spec was not applied" + running, generation);
    }
    if (stored.isEmpty()) {
      return new Condition(READY, false, "Pending", "not applied yet", generation);
    }
    Phase phase = phase(stored.get());
    boolean ready = phase == Phase.Active || phase == Phase.Completed;
    String reason = ready ? "Applied" : phase.name();
    String message = stored.get().statusReason() == null ? "" : stored.get().statusReason();
    return new Condition(READY, ready, reason, message, generation);
  }

  private static int sum(Map<ChangesetState, Long> counts, Predicate<ChangesetState> which) {
    return (int) counts.entrySet().stream().filter(e -> which.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  private static Optional<String> previousTransition(CampaignResourceStatus previous, Condition now) {
    List<Condition> before = previous == null || previous.conditions == null ? List.of() : previous.conditions;
    return before.stream()
        .filter(c -> now.type.equals(c.type) && now.status.equals(c.status) && c.lastTransitionTime != null)
        .map(c -> c.lastTransitionTime)
        .findFirst();
  }

  /** Whether writing {@code next} over {@code current} would change anything a reader sees. */
  static boolean changes(CampaignResourceStatus current, CampaignResourceStatus next) {
    if (current == null) {
      return true;
    }
    if (!Objects.equals(current.phase, next.phase) || !Objects.equals(current.progress, next.progress)
        || !Objects.equals(current.counts, next.counts) || !Objects.equals(current.currentWave, next.currentWave)
        || !Objects.equals(current.haltReason, next.haltReason) || !Objects.equals(current.open, next.open)
        || !Objects.equals(current.failed, next.failed)
        || !Objects.equals(current.observedGeneration, next.observedGeneration)
        || current.conditions == null || current.conditions.size() != next.conditions.size()) {
      return true;
    }
    for (int i = 0; i < next.conditions.size(); i++) {
      if (!next.conditions.get(i).sameAs(current.conditions.get(i))) {
        return true;
      }
    }
    return false;
  }
}
