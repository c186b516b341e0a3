package dev.flotilla.controller.forge.github.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The repositories' CI: on every pushed commit each {@link SimRepo.CheckSpec} starts as a check run
 * or a commit status, and completes after its delay or on command, with the conclusion {@link
 * #verdict} gives (by default: a {@code ci.sh} that says {@code exit 1} fails, with its output as
 * the title). Completion sends {@code check_run} or {@code status} webhooks and moves the merge queue.
 */
public final class Ci {

  static final Set<String> PASSING = Set.of("success", "neutral", "skipped");

  /** What a check concludes: {@code success}, {@code failure}, ... and a one-line title. */
  public record Verdict(String conclusion, String title) {}

  /** One check run or commit status on one commit. */
  static final class Check {
    final long id;
    final String name;
    final boolean commitStatus;
    final String branch;
    final Instant startedAt;
    volatile String status = "in_progress";
    volatile String conclusion;
    volatile String title;
    volatile Instant completedAt;

    Check(long id, String name, boolean commitStatus, String branch, Instant startedAt) {
      this.id = id;
      this.name = name;
      this.commitStatus = commitStatus;
      this.branch = branch;
      this.startedAt = startedAt;
    }

    boolean passed() {
      return "completed".equals(status) && PASSING.contains(conclusion);
    }

    boolean failed() {
      return "completed".equals(status) && !PASSING.contains(conclusion) && !"stale".equals(conclusion);
    }
  }

  private final GitHubSim sim;
  private final Map<String, List<Check>> bySha = new ConcurrentHashMap<>();
  /** The conclusion of check {@code name} on a commit; replace it to script CI. */
  public volatile BiFunction<SimRepo, ObjectId, Verdict> verdict = Ci::fromScript;

  Ci(GitHubSim sim) {
    this.sim = sim;
  }

  /** Fails when the commit's {@code ci.sh} says {@code exit 1}, with its output as the reason; passes otherwise. */
  static Verdict fromScript(SimRepo repo, ObjectId commit) {
    String script = repo.file(commit, "ci.sh");
    if (script != null && script.contains("exit 1")) {
      String output = script.lines().filter(l -> l.startsWith("echo ")).map(l -> l.substring(5).replace("'", "").replace("\"", ""))
          .reduce((a, b) -> a + "; " + b).orElse("ci.sh failed");
      return new Verdict("failure", output);
    }
    return new Verdict("success", "All checks passed");
  }

  void start(SimRepo repo, String sha, String branch) {
    List<Check> started = new CopyOnWriteArrayList<>();
    if (bySha.putIfAbsent(GitHubSim.key(repo.owner, repo.name) + "@" + sha, started) != null) {
      return;
    }
    for (SimRepo.CheckSpec spec : repo.ci) {
      Check check = new Check(sim.nextId(), spec.name(), spec.commitStatus(), branch, sim.now());
      started.add(check);
      if (spec.delay() != null) {
        sim.timers().schedule(() -> {
          if (!"completed".equals(check.status)) {
            Verdict v = verdict.apply(repo, ObjectId.fromString(sha));
            complete(repo, sha, check, v.conclusion(), v.title());
          }
        }, spec.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Whether check {@code name} on {@code sha} completed and passed. */
  public boolean checkPassed(SimRepo repo, String sha, String name) {
    return of(repo, sha).stream().anyMatch(c -> c.name.equals(name) && c.passed());
  }

  /** Every check of {@code sha}, in the order they started. */
  List<Check> of(SimRepo repo, String sha) {
    return bySha.getOrDefault(GitHubSim.key(repo.owner, repo.name) + "@" + sha, List.of());
  }

  void complete(SimRepo repo, String sha, String name, String conclusion, String title) {
    Check check = of(repo, sha).stream().filter(c -> c.name.equals(name)).findFirst().orElseGet(() -> {
      // A check that reports on a commit CI did not start on, such as a late external status.
      Check late = new Check(sim.nextId(), name, false, null, sim.now());
      bySha.computeIfAbsent(GitHubSim.key(repo.owner, repo.name) + "@" + sha, k -> new CopyOnWriteArrayList<>()).add(late);
      return late;
    });
    complete(repo, sha, check, conclusion, title);
  }

  private void complete(SimRepo repo, String sha, Check check, String conclusion, String title) {
    check.conclusion = conclusion;
    check.title = title;
    check.completedAt = sim.now();
    check.status = "completed";
    if (check.commitStatus) {
      ObjectNode payload = sim.templates().webhook("status");
      payload.put("id", check.id).put("sha", sha).put("context", check.name).put("state", statusState(check))
          .put("description", title).put("target_url", sim.base() + "/ci/" + check.id)
          .put("created_at", check.startedAt.toString()).put("updated_at", check.completedAt.toString());
      ArrayNode branches = payload.putArray("branches");
      if (check.branch != null) {
        branches.addObject().put("name", check.branch).putObject("commit").put("sha", sha);
      }
      sim.send("status", repo, payload);
    } else {
      ObjectNode payload = sim.templates().webhook("check_run.completed");
      payload.put("action", "completed");
      payload.set("check_run", checkRunJson(repo, sha, check));
      sim.send("check_run", repo, payload);
    }
    sim.merges.checksChanged(repo, sha);
  }

  static String statusState(Check check) {
    if (!"completed".equals(check.status)) {
      return "pending";
    }
    return PASSING.contains(check.conclusion) ? "success" : "failure";
  }

  /** A check run: from the example of {@code GET /repos/{owner}/{repo}/commits/{ref}/check-runs} (operation checks/list-for-ref). */
  ObjectNode checkRunJson(SimRepo repo, String sha, Check check) {
    ObjectNode n = sim.templates().rest("GET /repos/{owner}/{repo}/commits/{ref}/check-runs 200");
    ObjectNode run = (ObjectNode) n.get("check_runs").get(0);
    run.put("id", check.id).put("node_id", "CR_sim" + check.id).put("head_sha", sha).put("name", check.name)
        .put("external_id", "").put("url", sim.base() + "/repos/" + repo.fullName() + "/check-runs/" + check.id)
        .put("html_url", sim.base() + "/" + repo.fullName() + "/runs/" + check.id).put("details_url", sim.base() + "/ci/" + check.id)
        .put("status", check.status).put("conclusion", check.conclusion)
        .put("started_at", check.startedAt.toString())
        .put("completed_at", check.completedAt == null ? null : check.completedAt.toString());
    ObjectNode output = (ObjectNode) run.get("output");
    output.put("title", check.title).put("summary", check.title).putNull("text");
    output.put("annotations_count", 0);
    ObjectNode suite = (ObjectNode) run.get("check_suite");
    suite.put("id", check.id).put("head_branch", check.branch).put("head_sha", sha);
    ArrayNode pulls = run.putArray("pull_requests");
    repo.pulls.values().stream().filter(p -> p.open && sha.equals(p.headSha)).forEach(p -> {
      ObjectNode pr = pulls.addObject().put("id", p.id).put("number", p.number)
          .put("url", sim.base() + "/repos/" + repo.fullName() + "/pulls/" + p.number);
      pr.putObject("head").put("ref", p.headRef).put("sha", p.headSha);
      pr.putObject("base").put("ref", p.baseRef).put("sha", repo.head(p.baseRef).map(ObjectId::name).orElse(null));
    });
    return run;
  }

  /** A status: from the example of {@code GET /repos/{owner}/{repo}/commits/{ref}/status} (operation repos/get-combined-status-for-ref). */
  ObjectNode statusJson(SimRepo repo, String sha, Check check, ObjectNode example) {
    ObjectNode n = example.deepCopy();
    n.put("id", check.id).put("node_id", "SC_sim" + check.id).put("state", statusState(check)).put("context", check.name)
        .put("description", check.title).put("target_url", sim.base() + "/ci/" + check.id)
        .put("url", sim.base() + "/repos/" + repo.fullName() + "/statuses/" + sha)
        .put("created_at", check.startedAt.toString())
        .put("updated_at", (check.completedAt == null ? check.startedAt : check.completedAt).toString());
    return n;
  }
}
