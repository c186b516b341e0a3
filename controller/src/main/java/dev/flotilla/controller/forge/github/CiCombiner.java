package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.CiStatus.Check;
import dev.flotilla.controller.model.CiStatus.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.kohsuke.github.GHCheckRun;

/**
 * Combines a commit's check runs and commit statuses into one verdict. Every reported check must
 * pass, and every check branch protection requires must have reported: a failure anywhere fails, a
 * required check that has not reported yet keeps it pending.
 */
final class CiCombiner {

  private static final Set<String> PASSING = Set.of("success", "neutral", "skipped");

  private CiCombiner() {}

  static CiStatus combine(List<Check> reported, List<String> required) {
    List<Check> checks = new ArrayList<>(reported);
    for (String name : required) {
      if (reported.stream().noneMatch(c -> c.name().equals(name))) {
        checks.add(new Check(name, State.PENDING, null, "required by branch protection; not reported yet"));
      }
    }
    if (checks.isEmpty()) {
      return CiStatus.none();
    }
    if (checks.stream().anyMatch(c -> c.state() == State.FAILURE)) {
      return new CiStatus(State.FAILURE, checks);
    }
    if (checks.stream().anyMatch(c -> c.state() == State.PENDING)) {
      return new CiStatus(State.PENDING, checks);
    }
    return new CiStatus(State.SUCCESS, checks);
  }

  /** A check run from {@code GET /repos/{owner}/{repo}/commits/{ref}/check-runs}, as hub4j reads it. */
  static Check fromCheckRun(GHCheckRun run) {
    return checkRun(run.getName(), lower(run.getStatus()), lower(run.getConclusion()),
        run.getHtmlUrl() == null ? null : run.getHtmlUrl().toString(), run.getOutput() == null ? null : run.getOutput().getTitle());
  }

  /**
   * A check run from its REST or GraphQL fields, so both reads judge it alike.
   *
   * @param status {@code queued}, {@code in_progress}, {@code completed}, ... (REST's value, or
   *     GraphQL's {@code CheckStatusState} in lower case)
   * @param conclusion {@code success}, {@code failure}, {@code stale}, ... or empty while running
   *     (REST's value, or GraphQL's {@code CheckConclusionState} in lower case)
   */
  static Check checkRun(String name, String status, String conclusion, String url, String title) {
    State state;
    if (!"completed".equals(status)) {
      state = State.PENDING;
    } else {
      // "stale" means GitHub gave up waiting on the check, which is neither a pass nor a verdict.
      state = PASSING.contains(conclusion) ? State.SUCCESS : "stale".equals(conclusion) ? State.PENDING : State.FAILURE;
    }
    String summary = title != null ? title : !conclusion.isEmpty() ? conclusion : status;
    return new Check(name, state, url, summary);
  }

  private static String lower(Enum<?> value) {
    return value == null ? "" : value.name().toLowerCase(Locale.ROOT);
  }

  /** A status from the {@code statuses} of {@code GET /repos/{owner}/{repo}/commits/{ref}/status}. */
  static Check fromStatus(JsonNode status) {
    return status(status.path("context").asText(), status.path("state").asText(), status.path("target_url").asText(null),
        status.path("description").asText(""));
  }

  /**
   * A commit status from its REST or GraphQL fields.
   *
   * @param state {@code success}, {@code failure}, {@code error}, {@code pending} (REST), or
   *     GraphQL's {@code StatusState} in lower case, which adds {@code expected}
   */
  static Check status(String context, String state, String url, String description) {
    State verdict =
        switch (state) {
          case "success" -> State.SUCCESS;
          case "failure", "error" -> State.FAILURE;
          default -> State.PENDING;
        };
    return new Check(context, verdict, url, description == null ? "" : description);
  }
}
