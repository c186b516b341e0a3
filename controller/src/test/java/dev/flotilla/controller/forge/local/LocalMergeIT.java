package dev.flotilla.controller.forge.local;

import static dev.flotilla.controller.forge.local.Fixtures.bareRepo;
import static dev.flotilla.controller.forge.local.Fixtures.commit;
import static dev.flotilla.controller.forge.local.Fixtures.head;
import static dev.flotilla.controller.forge.local.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMergeIT {

  static final String BRANCH = "flotilla/jackson-2-18";
  static final String BUMPED = "<project>\n  <version>2</version>\n</project>\n";

  @TempDir static Path dataDir;
  static Database db;

  @TempDir Path root;
  LocalCi ci;
  LocalForge forge;
  Path svc;
  RepositoryRef ref;
  String baseBefore;

  @BeforeAll
  static void startDatabase() {
    db = TestPostgres.open(dataDir, 4);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void createRepository() throws Exception {
    Fixtures.clearTables(db);
    ci = new LocalCi(db.dataSource(), LocalCi.Settings.DEFAULTS);
    forge = new LocalForge(root, db.dataSource(), ci, "http://localhost:8080");
    svc = bareRepo(root, "acme", "svc", "main", Map.of(
        "README.md", "# svc\n", "pom.xml", "<project>\n  <version>1</version>\n</project>\n"));
    commit(svc, "unrelated", "main", Map.of("x.txt", "x"), "someone else's work");
    ref = forge.listRepositories().get(0);
    baseBefore = head(svc, "main");
  }

  @AfterEach
  void stopCi() {
    ci.close();
  }

  @Test
  void squashWritesOneCommitWithTitleNumberTrailerAndTheAuthorsName() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump the version");
    commit(svc, BRANCH, Map.of("CHANGELOG.md", "bumped\n"), "note it");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));
    String unrelated = head(svc, "unrelated");

    MergeResult result = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH);

    String sha = ((MergeResult.Merged) result).sha();
    assertThat(head(svc, "main")).isEqualTo(sha);
    try (Repository repo = Fixtures.open(svc); RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(repo.resolve(sha));
      assertThat(commit.getParentCount()).isEqualTo(1);
      assertThat(commit.getParent(0).name()).isEqualTo(baseBefore);
      assertThat(commit.getFullMessage()).isEqualTo(
          "Bump jackson-databind to 2.18.2 (#1)\n\nBumps the version.\n\nFlotilla-Pull-Request: 1\n");
      assertThat(commit.getAuthorIdent().getName()).isEqualTo("Ada Author");
      assertThat(file(repo, commit, "pom.xml")).isEqualTo(BUMPED);
      assertThat(file(repo, commit, "CHANGELOG.md")).isEqualTo("bumped\n");
    }
    assertThat(head(svc, "unrelated")).isEqualTo(unrelated);
    assertThat(head(svc, BRANCH)).isEqualTo(pr.headSha());
    PullRequest merged = forge.getPullRequest(ref, pr.number());
    assertThat(merged.state()).isEqualTo(PullRequest.State.MERGED);
    assertThat(forge.pullRequests().find("acme/svc", 1).orElseThrow().mergeSha()).isEqualTo(sha);
  }

  @Test
  void aRefLockLeftByAKilledProcessDoesNotRefuseEveryMerge() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump the version");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));
    // What a controller killed in the middle of moving main leaves behind.
    Path lock = svc.resolve("refs/heads/main.lock");
    java.nio.file.Files.writeString(lock, head(svc, "main") + "\n");
    java.nio.file.Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(
        java.time.Instant.now().minus(LocalMerge.STALE_LOCK).minusSeconds(1)));

    MergeResult result = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH);

    assertThat(result).isInstanceOf(MergeResult.Merged.class);
    assertThat(head(svc, "main")).isEqualTo(((MergeResult.Merged) result).sha());
    assertThat(lock).doesNotExist();
  }

  @Test
  void mergeWritesAMergeCommitWithBothParents() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump the version");
    commit(svc, "main", Map.of("README.md", "# svc, documented\n"), "docs");
    String base = head(svc, "main");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));

    MergeResult result = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.MERGE);

    try (Repository repo = Fixtures.open(svc); RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(repo.resolve(((MergeResult.Merged) result).sha()));
      assertThat(commit.getParents()).extracting(RevCommit::name).containsExactly(base, pr.headSha());
      assertThat(commit.getFullMessage()).contains("Merge pull request #1").contains("Flotilla-Pull-Request: 1");
      assertThat(file(repo, commit, "pom.xml")).isEqualTo(BUMPED);
      assertThat(file(repo, commit, "README.md")).isEqualTo("# svc, documented\n");
    }
  }

  @Test
  void rebaseReplaysEachCommitOntoTheBase() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump the version");
    commit(svc, BRANCH, Map.of("CHANGELOG.md", "bumped\n"), "note it");
    commit(svc, "main", Map.of("README.md", "# svc, documented\n"), "docs");
    String base = head(svc, "main");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));

    MergeResult result = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.REBASE);

    try (Repository repo = Fixtures.open(svc); RevWalk walk = new RevWalk(repo)) {
      RevCommit last = walk.parseCommit(repo.resolve(((MergeResult.Merged) result).sha()));
      RevCommit first = walk.parseCommit(last.getParent(0));
      assertThat(first.getParent(0).name()).isEqualTo(base);
      assertThat(first.getFullMessage()).isEqualTo("bump the version");
      assertThat(last.getFullMessage()).isEqualTo("note it\n\nFlotilla-Pull-Request: 1\n");
      assertThat(last.getAuthorIdent().getName()).isEqualTo("Ada Author");
      assertThat(file(repo, last, "pom.xml")).isEqualTo(BUMPED);
      assertThat(file(repo, last, "README.md")).isEqualTo("# svc, documented\n");
    }
  }

  @Test
  void refusesAStaleHeadAndSaysWhereItIs() throws Exception {
    String first = commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump").name();
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));
    String pushed = new LocalForgeAdmin(forge).pushAsPerson("acme/svc", BRANCH, "a.txt", "by hand\n");

    MergeResult result = forge.merge(ref, pr.number(), first, MergeMethod.SQUASH);

    assertThat(result).isEqualTo(new MergeResult.HeadMoved(pushed));
    assertThat(head(svc, "main")).isEqualTo(baseBefore);
  }

  @Test
  void refusesAConflictingPullRequest() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));
    commit(svc, "main", Map.of("pom.xml", "<project>\n  <version>3</version>\n</project>\n"), "other bump");
    String base = head(svc, "main");

    MergeResult result = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH);

    assertThat(result).isInstanceOf(MergeResult.NotMergeable.class);
    assertThat(((MergeResult.NotMergeable) result).reason()).startsWith("conflicts with main").contains("pom.xml");
    assertThat(head(svc, "main")).isEqualTo(base);
    assertThat(forge.getPullRequest(ref, pr.number()).state()).isEqualTo(PullRequest.State.OPEN);
  }

  @Test
  void refusesAClosedPullRequest() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));
    forge.closePullRequest(ref, pr.number(), "no longer needed");

    assertThat(forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH))
        .isEqualTo(new MergeResult.NotMergeable("pull request #1 is closed"));
  }

  @Test
  void mergingAgainAfterACrashRecordsTheFirstMergeInsteadOfMergingTwice() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));
    MergeResult first = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH);
    // The ref moved but the process died before the row said MERGED.
    try (var c = db.dataSource().getConnection()) {
      c.createStatement().execute("UPDATE local_pull_request SET state = 'OPEN', merge_sha = NULL");
    }
    assertThat(forge.getPullRequest(ref, pr.number()).state()).isEqualTo(PullRequest.State.OPEN);

    MergeResult second = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH);

    assertThat(second).isEqualTo(first);
    assertThat(forge.getPullRequest(ref, pr.number()).state()).isEqualTo(PullRequest.State.MERGED);
    assertThat(mainHistory()).filteredOn(m -> m.contains("Flotilla-Pull-Request: 1")).hasSize(1);
    assertThat(mainHistory()).hasSize(2);
  }

  @Test
  void aMergedPullRequestReportsItsMergeAgain() throws Exception {
    commit(svc, BRANCH, "main", Map.of("pom.xml", BUMPED), "bump");
    PullRequest pr = forge.openPullRequest(ref, spec(BRANCH));
    MergeResult first = forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH);
    forge.deleteBranch(ref, BRANCH);

    assertThat(forge.merge(ref, pr.number(), pr.headSha(), MergeMethod.SQUASH)).isEqualTo(first);
    assertThat(head(svc, BRANCH)).isNull();
    assertThat(mainHistory()).hasSize(2);
  }

  @Test
  void movesTheBaseOnlyFromTheHeadItMergedOnto() throws Exception {
    String moved = commit(svc, "main", Map.of("README.md", "# moved meanwhile\n"), "docs").name();
    try (Repository repo = Fixtures.open(svc)) {
      var stale = repo.resolve(baseBefore);
      var next = repo.resolve(head(svc, "unrelated"));

      assertThat(LocalMerge.advance(repo, "main", stale, next, 1, java.time.Instant.now())).isFalse();
    }
    assertThat(head(svc, "main")).isEqualTo(moved);
  }

  List<String> mainHistory() throws Exception {
    List<String> messages = new ArrayList<>();
    try (Repository repo = Fixtures.open(svc); RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(repo.resolve("refs/heads/main")));
      walk.forEach(c -> messages.add(c.getFullMessage()));
    }
    return messages;
  }

  static String file(Repository repo, RevCommit commit, String path) throws Exception {
    try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
      return new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }
}
