package dev.flotilla.controller.forge.local;

import dev.flotilla.controller.store.PullRequestRows;
import static dev.flotilla.controller.forge.local.Fixtures.bareRepo;
import static dev.flotilla.controller.forge.local.Fixtures.commit;
import static dev.flotilla.controller.forge.local.Fixtures.head;
import static dev.flotilla.controller.forge.local.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.config.OptInParser;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.runner.RunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalForgeIT {

  @TempDir static Path dataDir;
  static Database db;

  @TempDir Path root;
  LocalCi ci;
  LocalForge forge;
  LocalForgeAdmin admin;
  Path svc;
  RepositoryRef ref;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 8);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void createForge() throws Exception {
    Fixtures.clearTables(db);
    ci = new LocalCi(db.dataSource(), new LocalCi.Settings("./ci.sh", Duration.ofMinutes(1), 2));
    forge = new LocalForge(root, db.dataSource(), ci, "http://localhost:8080");
    admin = new LocalForgeAdmin(forge);
    svc = bareRepo(root, "acme", "svc", "main", Map.of(
        "README.md", "# svc\n",
        "pom.xml", "<project>\n  <version>1</version>\n</project>\n",
        ".flotilla.yaml", "enabled: true\n"));
    ref = forge.listRepositories().stream().filter(r -> r.name().equals("svc")).findFirst().orElseThrow();
  }

  @AfterEach
  void stopCi() {
    ci.close();
  }

  @Test
  void listsNonEmptyRepositoriesSortedWithTheirDefaultBranch() throws Exception {
    bareRepo(root, "payments", "ledger", "trunk", Map.of("a.txt", "a"));
    bareRepo(root, "acme", "api", "master", Map.of("a.txt", "a"));
    bareRepo(root, "acme", "empty", "main", Map.of());
    java.nio.file.Files.createDirectories(root.resolve("acme/broken.git"));

    List<RepositoryRef> repos = forge.listRepositories();

    assertThat(repos).extracting(RepositoryRef::fullName).containsExactly("acme/api", "acme/svc", "payments/ledger");
    assertThat(repos).extracting(RepositoryRef::defaultBranch).containsExactly("master", "main", "trunk");
    assertThat(repos.get(0).cloneUrl()).startsWith("file:/").endsWith("/acme/api.git/");
    assertThat(repos.get(0).webUrl()).isEqualTo("http://localhost:8080/local/acme/api");
    assertThat(forge.runCredential(repos.get(0))).isEqualTo(RunRequest.Credential.NONE);
  }

  @Test
  void readsOptInFilesFromTheDefaultBranchOnly() throws Exception {
    bareRepo(root, "acme", "none", "main", Map.of("a.txt", "a"));
    Path other = bareRepo(root, "acme", "other", "main", Map.of("a.txt", "a"));
    commit(other, "feature", "main", Map.of(".flotilla.yaml", "enabled: true\n"), "opt in on a branch");
    bareRepo(root, "acme", "huge", "main", Map.of(".flotilla.yaml", "#".repeat(OptInParser.MAX_BYTES * 3)));

    Map<String, String> files = forge.readOptInFiles(forge.listRepositories()).entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().fullName(), Map.Entry::getValue));

    assertThat(files).containsOnlyKeys("acme/svc", "acme/huge");
    assertThat(files.get("acme/svc")).isEqualTo("enabled: true\n");
    assertThat(files.get("acme/huge")).hasSize(OptInParser.MAX_BYTES + 1);
  }

  @Test
  void secondOpenAdoptsTheFirstPullRequest() throws Exception {
    commit(svc, "flotilla/jackson", "main", Map.of("pom.xml", "<project><version>2</version></project>\n"), "bump");

    PullRequest first = forge.openPullRequest(ref, spec("flotilla/jackson"));
    PullRequest second = forge.openPullRequest(ref, spec("flotilla/jackson"));

    assertThat(second.number()).isEqualTo(first.number()).isEqualTo(1);
    assertThat(first.url()).isEqualTo("http://localhost:8080/local/acme/svc/pull/1");
    assertThat(first.headSha()).isEqualTo(head(svc, "flotilla/jackson"));
    assertThat(first.state()).isEqualTo(PullRequest.State.OPEN);
    assertThat(forge.findOpenPullRequest(ref, "flotilla/jackson")).map(PullRequest::number).contains(1);
    assertThat(forge.findOpenPullRequest(ref, "flotilla/other")).isEmpty();
  }

  @Test
  void concurrentOpensMakeOnePullRequestAndTheNextBranchGetsTheNextNumber() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("a.txt", "a"), "a");
    commit(svc, "flotilla/b", "main", Map.of("b.txt", "b"), "b");
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> opens = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        opens.add(() -> forge.openPullRequest(ref, spec("flotilla/a")).number());
      }
      Set<Integer> numbers = new java.util.HashSet<>();
      for (Future<Integer> f : threads.invokeAll(opens)) {
        numbers.add(f.get());
      }
      assertThat(numbers).containsExactly(1);
    } finally {
      threads.shutdownNow();
    }
    assertThat(forge.openPullRequest(ref, spec("flotilla/b")).number()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM local_pull_request")).isEqualTo(2);
  }

  @Test
  void refusesToOpenAPullRequestForABranchThatWasNeverPushed() {
    assertThatThrownBy(() -> forge.openPullRequest(ref, spec("flotilla/missing")))
        .isInstanceOf(LocalForgeException.class)
        .hasMessageContaining("branch flotilla/missing does not exist");
  }

  @Test
  void aPersonsPushChangesTheHead() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("a.txt", "a"), "a");
    PullRequest pr = forge.openPullRequest(ref, spec("flotilla/a"));

    String pushed = admin.pushAsPerson("acme/svc", "flotilla/a", "a.txt", "edited by hand\n");

    PullRequest now = forge.getPullRequest(ref, pr.number());
    assertThat(pushed).isNotEqualTo(pr.headSha());
    assertThat(now.headSha()).isEqualTo(pushed).isEqualTo(head(svc, "flotilla/a"));
  }

  @Test
  void aPersonClosesAPullRequest() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("a.txt", "a"), "a");
    PullRequest pr = forge.openPullRequest(ref, spec("flotilla/a"));

    PullRequest closed = admin.closeAsPerson("acme/svc", pr.number());

    assertThat(closed.state()).isEqualTo(PullRequest.State.CLOSED);
    assertThat(forge.findOpenPullRequest(ref, "flotilla/a")).isEmpty();
    assertThat(forge.comments(ref, pr.number())).singleElement().asString().contains("Closed by");
  }

  @Test
  void closingRecordsTheComment() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("a.txt", "a"), "a");
    PullRequest pr = forge.openPullRequest(ref, spec("flotilla/a"));

    forge.closePullRequest(ref, pr.number(), "The campaign was cancelled.");

    assertThat(forge.getPullRequest(ref, pr.number()).state()).isEqualTo(PullRequest.State.CLOSED);
    assertThat(forge.comments(ref, pr.number())).containsExactly("The campaign was cancelled.");
  }

  @Test
  void deletingAnUnmergedBranchClosesItsPullRequest() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("a.txt", "a"), "a");
    PullRequest pr = forge.openPullRequest(ref, spec("flotilla/a"));

    forge.deleteBranch(ref, "flotilla/a");
    forge.deleteBranch(ref, "flotilla/a");

    assertThat(head(svc, "flotilla/a")).isNull();
    assertThat(forge.getPullRequest(ref, pr.number()).state()).isEqualTo(PullRequest.State.CLOSED);
  }

  /**
   * The store went down after the merge moved the base and before it was recorded (or lost the
   * record), and the branch was deleted: the pull request is merged, never closed without merging.
   */
  @Test
  void aMergeTheStoreLostIsReadAsMergedNotClosed() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("a.txt", "a"), "a");
    PullRequest pr = forge.openPullRequest(ref, spec("flotilla/a"));
    var merged = forge.merge(ref, pr.number(), pr.headSha(), dev.flotilla.controller.model.MergeMethod.MERGE);
    assertThat(merged).isInstanceOf(dev.flotilla.controller.model.MergeResult.Merged.class);
    forge.deleteBranch(ref, "flotilla/a");
    new dev.flotilla.controller.store.Jdbc(db.dataSource()).update(
        "UPDATE local_pull_request SET state = 'OPEN', merge_sha = NULL WHERE number = ?", pr.number());

    PullRequest read = forge.getPullRequest(ref, pr.number());

    assertThat(read.state()).isEqualTo(PullRequest.State.MERGED);
    assertThat(forge.getPullRequest(ref, pr.number()).state()).as("and recorded so").isEqualTo(PullRequest.State.MERGED);
    assertThat(forge.comments(ref, pr.number())).noneMatch(c -> c.contains("was deleted"));
  }

  @Test
  void updatesTitleAndBody() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("a.txt", "a"), "a");
    PullRequest pr = forge.openPullRequest(ref, spec("flotilla/a"));

    forge.updatePullRequest(ref, pr.number(), new dev.flotilla.controller.model.PullRequestSpec(
        "flotilla/a", "main", "New title", "New body", List.of(), List.of()));

    assertThat(forge.pullRequests().find("acme/svc", pr.number()).orElseThrow())
        .extracting(PullRequestRows.Row::title, PullRequestRows.Row::body)
        .containsExactly("New title", "New body");
  }

  @Test
  void becomesConflictingWhenTheBaseChangesTheSameLines() throws Exception {
    commit(svc, "flotilla/a", "main", Map.of("pom.xml", "<project>\n  <version>2</version>\n</project>\n"), "bump");
    PullRequest pr = forge.openPullRequest(ref, spec("flotilla/a"));
    assertThat(pr.mergeable()).isEqualTo(PullRequest.Mergeable.MERGEABLE);

    commit(svc, "main", Map.of("README.md", "# svc, documented\n"), "docs");
    assertThat(forge.getPullRequest(ref, pr.number()).mergeable()).isEqualTo(PullRequest.Mergeable.MERGEABLE);

    commit(svc, "main", Map.of("pom.xml", "<project>\n  <version>3</version>\n</project>\n"), "other bump");
    assertThat(forge.getPullRequest(ref, pr.number()).mergeable()).isEqualTo(PullRequest.Mergeable.CONFLICTING);
  }

  long count(String sql) throws Exception {
    try (var c = db.dataSource().getConnection(); var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Git git(Path bare) throws Exception {
    return new Git(Fixtures.open(bare));
  }
}
