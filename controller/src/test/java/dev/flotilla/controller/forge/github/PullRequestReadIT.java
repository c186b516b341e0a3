package dev.flotilla.controller.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.forge.github.sim.GitHubSim;
import dev.flotilla.controller.forge.github.sim.SimApp;
import dev.flotilla.controller.forge.github.sim.SimRepo;
import dev.flotilla.controller.model.BranchRules;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestRef;
import dev.flotilla.controller.model.PullRequestSnapshot;
import dev.flotilla.controller.model.PullRequestSnapshot.Review;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batched GraphQL read of pull requests against the simulated GitHub: for every state a watched
 * pull request can be in, it says what the REST reads say (the pull request, the checks on its head
 * combined with the required ones, the base's rules), in one query for the whole fleet.
 */
class PullRequestReadIT {

  static final String BRANCH = "flotilla/bump";

  @TempDir static Path tmp;
  static GitHubSim sim;
  static GitHubForge github;
  static final Map<String, PullRequestRef> PULLS = new LinkedHashMap<>();

  @BeforeAll
  static void fleet() {
    sim = GitHubSim.start(tmp.resolve("github"));
    sim.install("acme");
    github = SimApp.forge(SimApp.config(sim, tmp.resolve("app"), List.of("acme")), ApiCallCounter.NONE);
    SimRepo running = repo("running");
    SimRepo green = repo("green");
    SimRepo red = repo("red");
    SimRepo stale = repo("stale");
    SimRepo statuses = repo("statuses");
    statuses.ci.add(SimRepo.CheckSpec.status("legacy/jenkins", null));
    SimRepo lateCheck = repo("late-check");
    lateCheck.ruleset = new SimRepo.Rules();
    lateCheck.ruleset.requiredChecks.addAll(List.of("ci", "security"));
    SimRepo conflict = repo("conflict");
    SimRepo behind = repo("behind");
    behind.protection.strict = true;
    SimRepo review = repo("review");
    review.protection.requiredApprovals = 1;
    SimRepo changes = repo("changes");
    SimRepo merged = repo("merged");
    SimRepo closed = repo("closed");
    SimRepo paged = repo("paged");
    for (int i = 0; i < PullRequestQuery.CONTEXTS_PAGE; i++) {
      paged.ci.add(SimRepo.CheckSpec.checkRun("lint-" + i, null));
    }
    Map<String, RepositoryRef> refs = new LinkedHashMap<>();
    github.listRepositories().forEach(ref -> refs.put(ref.name(), ref));
    for (String name : refs.keySet()) {
      sim.commitOn("acme", name, "main", BRANCH, Map.of("pom.xml", "<project>bumped</project>"), "Bump");
      PullRequest pr = github.openPullRequest(refs.get(name),
          new PullRequestSpec(BRANCH, "main", "Bump", "Bumps.", List.of(), List.of()));
      PULLS.put(name, new PullRequestRef(refs.get(name), pr.number()));
    }
    complete("green", "ci", "success");
    complete("red", "ci", "failure");
    complete("stale", "ci", "stale");
    complete("statuses", "ci", "success");
    complete("late-check", "ci", "success");
    complete("review", "ci", "success");
    complete("merged", "ci", "success");
    complete("paged", "ci", "failure");
    sim.commit("acme", "conflict", "main", Map.of("pom.xml", "<project>theirs</project>"), "Their change");
    sim.commit("acme", "behind", "main", Map.of("README.md", "moved on"), "Docs");
    sim.review("acme", "changes", PULLS.get("changes").number(), "maria", "CHANGES_REQUESTED");
    PullRequest toMerge = github.getPullRequest(PULLS.get("merged").repository(), PULLS.get("merged").number());
    assertThat(github.merge(PULLS.get("merged").repository(), toMerge.number(), toMerge.headSha(), MergeMethod.MERGE))
        .isInstanceOf(MergeResult.Merged.class);
    sim.close("acme", "closed", PULLS.get("closed").number());
    // GitHub computes mergeability on the first read after a change; both reads below see the result.
    PULLS.values().forEach(p -> github.getPullRequest(p.repository(), p.number()));
  }

  static SimRepo repo(String name) {
    SimRepo repo = sim.createRepo("acme", name, Map.of("pom.xml", "<project/>", ".flotilla.yaml", "enabled: true\n"));
    repo.ci.clear();
    repo.ci.add(SimRepo.CheckSpec.checkRun("ci", null));
    repo.protection = new SimRepo.Rules();
    repo.protection.requiredChecks.add("ci");
    return repo;
  }

  static void complete(String repo, String check, String conclusion) {
    sim.completeCheck("acme", repo, sim.openPull("acme", repo, BRANCH).orElseThrow().headSha(), check, conclusion);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @Test
  void oneQueryReadsTheFleetAsTheRestReadsDo() {
    int queries = sim.calls("POST /graphql");
    int restReads = restReads();

    Map<PullRequestRef, PullRequestSnapshot> batched = github.readPullRequests(List.copyOf(PULLS.values()));

    assertThat(sim.calls("POST /graphql") - queries).as("one query for the fleet, one more for the page of checks past the first")
        .isEqualTo(2);
    assertThat(restReads()).as("no REST read").isEqualTo(restReads);
    assertThat(batched).containsOnlyKeys(PULLS.values());
    for (Map.Entry<String, PullRequestRef> entry : PULLS.entrySet()) {
      PullRequestRef ref = entry.getValue();
      PullRequestSnapshot snapshot = batched.get(ref);
      github.forgetBranchRules(ref.repository());
      PullRequest rest = github.getPullRequest(ref.repository(), ref.number());
      assertThat(snapshot.pullRequest()).as(entry.getKey()).isEqualTo(rest);
      if (rest.state() == PullRequest.State.OPEN) {
        assertThat(snapshot.ci()).as(entry.getKey() + "'s checks").isEqualTo(github.ciStatus(ref.repository(), rest.headSha()));
        // Classic protection's required approvals show only through GraphQL (REST's needs administration rights).
        BranchRules rules = github.branchRules(ref.repository(), "main");
        assertThat(snapshot.rules()).as(entry.getKey() + "'s rules")
            .isEqualTo(new BranchRules(rules.requiredChecks(), rules.strict(), rules.mergeQueue(), snapshot.rules().requiredApprovals()));
      } else {
        assertThat(snapshot.ci()).as(entry.getKey() + " is not watched for checks").isNull();
      }
    }
  }

  @Test
  void theReadCoversEveryStateTheRulesDecideOn() {
    Map<PullRequestRef, PullRequestSnapshot> read = github.readPullRequests(List.copyOf(PULLS.values()));
    assertThat(read.get(PULLS.get("running")).ci().state()).isEqualTo(CiStatus.State.PENDING);
    assertThat(read.get(PULLS.get("green")).ci().state()).isEqualTo(CiStatus.State.SUCCESS);
    assertThat(read.get(PULLS.get("red")).ci().state()).isEqualTo(CiStatus.State.FAILURE);
    assertThat(read.get(PULLS.get("stale")).ci().state()).isEqualTo(CiStatus.State.PENDING);
    assertThat(read.get(PULLS.get("statuses")).ci().checks()).extracting(CiStatus.Check::name).containsExactly("ci", "legacy/jenkins");
    assertThat(read.get(PULLS.get("late-check")).ci().state()).as("a required check not reported yet").isEqualTo(CiStatus.State.PENDING);
    assertThat(read.get(PULLS.get("paged")).ci().checks()).hasSize(PullRequestQuery.CONTEXTS_PAGE + 1);
    assertThat(read.get(PULLS.get("conflict")).pullRequest().mergeable()).isEqualTo(PullRequest.Mergeable.CONFLICTING);
    assertThat(read.get(PULLS.get("behind")).pullRequest().mergeable()).isEqualTo(PullRequest.Mergeable.BEHIND);
    assertThat(read.get(PULLS.get("review")).pullRequest().mergeable()).isEqualTo(PullRequest.Mergeable.BLOCKED);
    assertThat(read.get(PULLS.get("review")).review()).isEqualTo(Review.REVIEW_REQUIRED);
    assertThat(read.get(PULLS.get("changes")).review()).isEqualTo(Review.CHANGES_REQUESTED);
    assertThat(read.get(PULLS.get("green")).review()).isEqualTo(Review.NOT_REQUIRED);
    assertThat(read.get(PULLS.get("green")).pullRequest().mergeable()).isEqualTo(PullRequest.Mergeable.MERGEABLE);
    assertThat(read.get(PULLS.get("merged")).pullRequest().state()).isEqualTo(PullRequest.State.MERGED);
    assertThat(read.get(PULLS.get("closed")).pullRequest().state()).isEqualTo(PullRequest.State.CLOSED);
    assertThat(read.values()).allSatisfy(s -> assertThat(s.updatedAt()).isNotNull());
  }

  @Test
  void aPullRequestThatIsGoneIsLeftOutAndTheRestIsRead() {
    RepositoryRef gone = new RepositoryRef("acme", "deleted", "main", null, null);
    PullRequestRef missing = new PullRequestRef(gone, 1);
    Map<PullRequestRef, PullRequestSnapshot> read = github.readPullRequests(List.of(missing, PULLS.get("green")));
    assertThat(read).containsOnlyKeys(PULLS.get("green"));
  }

  @Test
  void aHundredPullRequestsGoInOneQuery() {
    List<PullRequestRef> many = new java.util.ArrayList<>();
    for (int i = 0; i < PullRequestQuery.BATCH; i++) {
      many.add(new PullRequestRef(PULLS.get("green").repository(), 1000 + i));
    }
    many.add(PULLS.get("green"));
    int queries = sim.calls("POST /graphql");
    Map<PullRequestRef, PullRequestSnapshot> read = github.readPullRequests(many);
    assertThat(sim.calls("POST /graphql") - queries).isEqualTo(2);
    assertThat(read).containsOnlyKeys(PULLS.get("green"));
  }

  static int restReads() {
    return sim.calls().entrySet().stream().filter(e -> e.getKey().startsWith("GET /repos/")).mapToInt(Map.Entry::getValue).sum();
  }
}
