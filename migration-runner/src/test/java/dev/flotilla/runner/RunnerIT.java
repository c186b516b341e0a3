package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.runner.RunRequest.Credential;
import dev.flotilla.runner.RunResult.Phase;
import dev.flotilla.runner.RunResult.Status;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Workspace;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerIT {

  private static final String BRANCH = "flotilla/bump";
  private static final String TOKEN = "ghs_s3cr3tT0kenValue42";

  @TempDir Path tmp;

  private BareRemote remote;
  private int runs;
  private final Runner runner =
      new Runner(TestMigrations.all(), CredentialResolver.withEnvironment(Map.of("GIT_TOKEN", TOKEN)));

  @BeforeEach
  void createRemote() throws Exception {
    remote =
        BareRemote.withFiles(
            tmp.resolve("forge"),
            "main",
            Map.of("README.md", "# Demo\nversion: v1\nend\n", "obsolete.txt", "a\nb\nc\n"));
  }

  @AfterEach
  void closeRemote() {
    remote.close();
  }

  @Test
  void reportsNoChangeWhenTheRepositoryAlreadyConverged() {
    RunResult result = run(replace("v0", "v2"), null);

    assertThat(result.status()).isEqualTo(Status.NO_CHANGE);
  }

  @Test
  void reportsNeedsHumanWithTheMigrationsReasonWhenItLeftSomethingAlone() throws Exception {
    ObjectId main = remote.head("main");

    RunResult result =
        run(request("replace-text", Map.of("from", "v1", "to", "v2", "refuse", "v1 is pinned")), null);

    assertThat(result.status()).isEqualTo(Status.NEEDS_HUMAN);
    assertThat(result.summary()).isEqualTo("left v1 alone: v1 is pinned");
    assertThat(remote.head(BRANCH)).isNull();
    assertThat(remote.head("main")).isEqualTo(main);
  }

  @Test
  void reportsNotApplicableWithTheMigrationsReason() {
    RunResult result = run(request("replace-text", Map.of("from", "a", "to", "b", "file", "pom.xml")), null);

    assertThat(result.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(result.summary()).isEqualTo("no pom.xml");
  }

  @Test
  void pushesOneCommitOnTopOfTheDefaultBranchWithTheCampaignTrailer() throws Exception {
    ObjectId main = remote.head("main");

    RunResult result = run(replace("v1", "v2"), null);

    assertThat(result.status()).isEqualTo(Status.PUSHED);
    assertThat(result.headSha()).isEqualTo(remote.head(BRANCH).name());
    assertThat(result.summary()).isEqualTo("replaced v1 with v2 in README.md");
    assertThat(result.filesChanged()).isEqualTo(1);
    assertThat(result.insertions()).isEqualTo(1);
    assertThat(result.deletions()).isEqualTo(1);
    RevCommit pushed = remote.commitAt(BRANCH);
    assertThat(pushed.getParents()).extracting(RevCommit::getId).containsExactly(main);
    assertThat(pushed.getFullMessage())
        .isEqualTo("Replace text\n\nreplaced v1 with v2 in README.md\n\nFlotilla-Campaign: bump\n");
    assertThat(pushed.getAuthorIdent().getName()).isEqualTo("Flotilla Bot");
    assertThat(pushed.getCommitterIdent().getEmailAddress()).isEqualTo("bot@flotilla.test");
    assertThat(remote.read(BRANCH, "README.md")).isEqualTo("# Demo\nversion: v2\nend\n");
    assertThat(remote.head("main")).isEqualTo(main);
  }

  @Test
  void aDryRunReportsTheDiffAndItsBaseWithoutPushingAnything() throws Exception {
    ObjectId main = remote.head("main");

    RunResult result = runner.run(replace("v1", "v2").asDryRun(), workDir());

    assertThat(result.status()).isEqualTo(Status.WOULD_CHANGE);
    assertThat(result.baseSha()).isEqualTo(main.name());
    assertThat(result.headSha()).isNull();
    assertThat(result.filesChanged()).isEqualTo(1);
    assertThat(result.insertions()).isEqualTo(1);
    assertThat(result.deletions()).isEqualTo(1);
    assertThat(result.summary()).isEqualTo("replaced v1 with v2 in README.md");
    assertThat(result.diff())
        .startsWith("diff --git a/README.md b/README.md")
        .contains("-version: v1\n+version: v2\n");
    assertThat(remote.head(BRANCH)).isNull();
    assertThat(remote.head("main")).isEqualTo(main);
  }

  @Test
  void aDryRunThatFindsNothingToDoSaysWhyAndFromWhichCommit() throws Exception {
    RunResult result =
        runner.run(request("replace-text", Map.of("from", "v1", "to", "v2", "refuse", "v1 is pinned")).asDryRun(), workDir());

    assertThat(result.status()).isEqualTo(Status.NEEDS_HUMAN);
    assertThat(result.summary()).isEqualTo("left v1 alone: v1 is pinned");
    assertThat(result.baseSha()).isEqualTo(remote.head("main").name());
    assertThat(result.diff()).isNull();
  }

  @Test
  void keepsTheDataTablesTheMigrationAttachedWithTheResult() {
    RunResult result = run(request("replace-text", Map.of("from", "v1", "to", "v2", "table", "replacements")), null);

    assertThat(result.status()).isEqualTo(Status.PUSHED);
    assertThat(result.dataTables())
        .containsExactly(new RunResult.DataTable("replacements", "file,found\r\nREADME.md,true\r\n"));
  }

  @Test
  void countsAddedAndDeletedFilesInTheDiffstat() throws Exception {
    RunResult result = run(request("tidy", Map.of()), null);

    assertThat(result.status()).isEqualTo(Status.PUSHED);
    assertThat(result.filesChanged()).isEqualTo(2);
    assertThat(result.insertions()).isEqualTo(2);
    assertThat(result.deletions()).isEqualTo(3);
    assertThat(remote.read(BRANCH, "obsolete.txt")).isNull();
    assertThat(remote.read(BRANCH, "NOTICE")).isEqualTo("Copyright Acme\nAll rights reserved\n");
  }

  @Test
  void forcePushesOntoTheNewBaseWhenTheBranchIsStillAtTheLastPush() throws Exception {
    String first = run(replace("v1", "v2"), null).headSha();
    ObjectId newBase = remote.commit("main", Map.of("CHANGELOG.md", "new\n"), "unrelated change");

    RunResult again = run(replace("v1", "v2"), first);

    assertThat(again.status()).isEqualTo(Status.PUSHED);
    assertThat(again.headSha()).isNotEqualTo(first).isEqualTo(remote.head(BRANCH).name());
    assertThat(remote.commitAt(BRANCH).getParents()).extracting(RevCommit::getId).containsExactly(newBase);
    assertThat(remote.read(BRANCH, "CHANGELOG.md")).isEqualTo("new\n");
  }

  @Test
  void leavesTheBranchAloneWhenAPersonPushedToIt() throws Exception {
    String first = run(replace("v1", "v2"), null).headSha();
    ObjectId theirs = remote.commit(BRANCH, Map.of("README.md", "hand edited\n"), "fix by hand");

    RunResult again = run(replace("v1", "v3"), first);

    assertThat(again.status()).isEqualTo(Status.MODIFIED);
    assertThat(again.headSha()).isEqualTo(theirs.name());
    assertThat(again.reason())
        .isEqualTo(
            "someone pushed to flotilla/bump since Flotilla's last push (expected "
                + first.substring(0, 7)
                + ", found "
                + theirs.name().substring(0, 7)
                + "); Flotilla leaves the branch alone");
    assertThat(remote.head(BRANCH)).isEqualTo(theirs);
  }

  @Test
  void adoptsItsOwnBranchWhenTheLastResultWasLostInACrash() throws Exception {
    String first = run(replace("v1", "v2"), null).headSha();

    RunResult again = run(replace("v1", "v2"), null);

    assertThat(again.status()).isEqualTo(Status.PUSHED);
    assertThat(again.headSha()).isEqualTo(first);
    assertThat(again.filesChanged()).isEqualTo(1);
    assertThat(remote.head(BRANCH).name()).isEqualTo(first);
  }

  @Test
  void pushesNothingWhenTheBranchAlreadyHoldsTheSameChange() throws Exception {
    String first = run(replace("v1", "v2"), null).headSha();

    RunResult again = run(replace("v1", "v2"), first);

    assertThat(again.status()).isEqualTo(Status.PUSHED);
    assertThat(again.headSha()).isEqualTo(first);
    assertThat(remote.head(BRANCH).name()).isEqualTo(first);
  }

  @Test
  void replacesItsOwnEarlierCommitWhenTheLastResultWasLostAndTheChangeDiffers() throws Exception {
    String first = run(replace("v1", "v2"), null).headSha();

    RunResult again = run(replace("v1", "v3"), null);

    assertThat(again.status()).isEqualTo(Status.PUSHED);
    assertThat(again.headSha()).isNotEqualTo(first).isEqualTo(remote.head(BRANCH).name());
    assertThat(remote.read(BRANCH, "README.md")).contains("version: v3");
  }

  @Test
  void leavesAnExistingBranchAloneWhenItIsNotFlotillas() throws Exception {
    remote.branch(BRANCH, "main");
    ObjectId theirs = remote.head(BRANCH);

    RunResult result = run(replace("v1", "v2"), null);

    assertThat(result.status()).isEqualTo(Status.MODIFIED);
    assertThat(result.headSha()).isEqualTo(theirs.name());
    assertThat(result.reason()).contains("was not made by Flotilla for campaign bump");
    assertThat(remote.head(BRANCH)).isEqualTo(theirs);
  }

  @Test
  void reportsTheServersMessageWhenItRejectsThePush() throws Exception {
    String first = run(replace("v1", "v2"), null).headSha();
    remote.configure("receive", "denyNonFastForwards", true);

    RunResult again = run(replace("v1", "v3"), first);

    assertThat(again.status()).isEqualTo(Status.FAILED);
    assertThat(again.phase()).isEqualTo(Phase.PUSH);
    assertThat(again.reason())
        .startsWith("push of flotilla/bump to " + remote.url() + " was rejected")
        .contains("non-fast forward");
    assertThat(remote.head(BRANCH).name()).isEqualTo(first);
  }

  @Test
  void leavesTheBranchAloneWhenSomeoneCreatesItWhileTheRunIsUnderway() throws Exception {
    Migration racing =
        new TestMigrations.ReplaceText() {
          @Override
          public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
            remote.branch(BRANCH, "main");
            return super.apply(workspace, parameters);
          }
        };
    Runner racingRunner = new Runner(Migrations.of(List.of(racing)), CredentialResolver.withEnvironment(Map.of()));

    RunResult result = racingRunner.run(replace("v1", "v2"), workDir());

    assertThat(result.status()).isEqualTo(Status.MODIFIED);
    assertThat(result.headSha()).isEqualTo(remote.head("main").name());
    assertThat(result.reason())
        .startsWith("someone pushed to flotilla/bump while Flotilla was running (expected no branch, found ");
    assertThat(remote.head(BRANCH)).isEqualTo(remote.head("main"));
  }

  @Test
  void failsCloneOnAnEmptyRepository() throws Exception {
    try (BareRemote empty = BareRemote.empty(tmp.resolve("empty"))) {
      RunResult result = runner.run(request("tidy", Map.of(), empty.url(), "main"), workDir());

      assertThat(result.status()).isEqualTo(Status.FAILED);
      assertThat(result.phase()).isEqualTo(Phase.CLONE);
      assertThat(result.reason()).startsWith("repository is empty");
    }
  }

  @Test
  void startsFromADefaultBranchOtherThanMain() throws Exception {
    try (BareRemote trunk = BareRemote.withFiles(tmp.resolve("trunk"), "trunk", Map.of("README.md", "v1\n"))) {
      RunResult result =
          runner.run(
              request("replace-text", Map.of("from", "v1", "to", "v2"), trunk.url(), "trunk"), workDir());

      assertThat(result.status()).isEqualTo(Status.PUSHED);
      assertThat(trunk.commitAt(BRANCH).getParent(0).getId()).isEqualTo(trunk.head("trunk"));
      assertThat(trunk.read(BRANCH, "README.md")).isEqualTo("v2\n");
    }
  }

  @Test
  void namesTheExistingBranchesWhenTheDefaultBranchIsMissing() {
    RunResult result = runner.run(request("tidy", Map.of(), remote.url(), "develop"), workDir());

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.CLONE);
    assertThat(result.reason())
        .startsWith("default branch 'develop' does not exist in " + remote.url() + "; it has main");
  }

  @Test
  void failsCloneOfAPathThatDoesNotExist() {
    String missing = tmp.resolve("nowhere.git").toUri().toString();

    RunResult result = runner.run(request("tidy", Map.of(), missing, "main"), workDir());

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.CLONE);
    assertThat(result.reason()).startsWith("clone of " + missing + " failed: repository not found");
  }

  @Test
  void listsEveryParameterProblemBeforeCloning() {
    RunResult result = run(request("replace-text", Map.of("from", "v1", "colour", "red")), null);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.VALIDATE);
    assertThat(result.reason())
        .contains("invalid parameters for migration 'replace-text'")
        .contains("colour: unknown parameter")
        .contains("to: is required");
    assertThat(tmp.resolve("work-0")).doesNotExist();
  }

  @Test
  void neverPushesToTheDefaultBranch() throws Exception {
    ObjectId main = remote.head("main");
    RunRequest onMain =
        new RunRequest(
            "bump", "acme/demo", "tidy", Map.of(), remote.url(), "main", "main", author(), Credential.NONE, null);

    RunResult result = runner.run(onMain, workDir());

    assertThat(result.phase()).isEqualTo(Phase.VALIDATE);
    assertThat(result.reason()).startsWith("branch 'main' is the default branch");
    assertThat(remote.head("main")).isEqualTo(main);
  }

  @Test
  void namesTheKnownMigrationsForAnUnknownOne() {
    RunResult result = run(request("no-such-migration", Map.of()), null);

    assertThat(result.phase()).isEqualTo(Phase.VALIDATE);
    assertThat(result.reason()).contains("unknown migration 'no-such-migration'").contains("replace-text");
  }

  @Test
  void turnsAThrowingMigrationIntoAnApplyFailure() throws Exception {
    RunResult result = run(request("explode", Map.of()), null);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.APPLY);
    assertThat(result.reason())
        .isEqualTo("migration 'explode' failed: java.lang.IllegalStateException: boom while editing");
    assertThat(remote.head(BRANCH)).isNull();
  }

  @Test
  void endsAMigrationThatRunsOutOfMemoryAsFailed() throws Exception {
    RunResult result = run(request("exhaust", Map.of()), null);

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.phase()).isEqualTo(Phase.APPLY);
    assertThat(result.reason())
        .isEqualTo("migration 'exhaust' failed: java.lang.OutOfMemoryError: Java heap space");
    assertThat(remote.head(BRANCH)).isNull();
  }

  @Test
  void trustsTheFilesOverAMigrationThatClaimsAChange() throws Exception {
    RunResult result = run(request("claim-change", Map.of()), null);

    assertThat(result.status()).isEqualTo(Status.NO_CHANGE);
    assertThat(remote.head(BRANCH)).isNull();
  }

  @Test
  void neverRevealsTheTokenEvenWhenTheRemoteIsWrong() throws Exception {
    Path tokenFile = tmp.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    CapturedLogs.clear();
    // URLs that carry the token themselves, so any error text quoting them would leak it.
    String https = "https://x-access-token:" + TOKEN + "@127.0.0.1:1/acme/" + TOKEN + ".git";
    String file = tmp.resolve("missing-" + TOKEN + ".git").toUri().toString();

    RunResult fromEnv =
        runner.run(withCredential(https, Credential.env("GIT_TOKEN", null)), workDir());
    RunResult fromFile =
        runner.run(withCredential(file, Credential.file(tokenFile.toString(), "bot")), workDir());

    assertThat(fromEnv.status()).isEqualTo(Status.FAILED);
    assertThat(fromEnv.phase()).isEqualTo(Phase.CLONE);
    assertThat(fromFile.status()).isEqualTo(Status.FAILED);
    assertThat(RunJson.writeResult(fromEnv)).doesNotContain(TOKEN).contains("****");
    assertThat(RunJson.writeResult(fromFile)).doesNotContain(TOKEN).contains("****");
    assertThat(CapturedLogs.lines()).isNotEmpty().noneMatch(line -> line.contains(TOKEN));
  }

  @Test
  void saysWhichTokenScopeToCheckWhenTheServerRefusesTheCredentials() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"forge\"");
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/acme/demo.git";

      RunResult result = runner.run(withCredential(url, Credential.env("GIT_TOKEN", null)), workDir());

      assertThat(result.phase()).isEqualTo(Phase.CLONE);
      assertThat(result.reason())
          .startsWith(
              "clone of " + url + " failed: authentication failed; check the token has contents: write on acme/demo")
          .doesNotContain(TOKEN);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void reportsAMissingCredentialWithoutCloning() {
    RunResult result =
        runner.run(withCredential(remote.url(), Credential.env("NO_SUCH_VARIABLE", null)), workDir());

    assertThat(result.phase()).isEqualTo(Phase.VALIDATE);
    assertThat(result.reason()).isEqualTo("environment variable NO_SUCH_VARIABLE holding the git token is not set or empty");
  }

  @Test
  void tagsEveryLogLineOfARunWithCampaignAndRepository() {
    CapturedLogs.clear();

    run(replace("v1", "v2"), null);

    assertThat(CapturedLogs.lines())
        .filteredOn(line -> line.contains("run finished"))
        .singleElement()
        .asString()
        .contains("campaign=bump")
        .contains("repo=acme/demo")
        .contains("run=");
  }

  private RunResult run(RunRequest request, String lastPushedSha) {
    RunRequest withLease =
        new RunRequest(
            request.campaign(),
            request.repository(),
            request.migration(),
            request.parameters(),
            request.cloneUrl(),
            request.defaultBranch(),
            request.branch(),
            request.author(),
            request.credential(),
            lastPushedSha);
    return runner.run(withLease, workDir());
  }

  private Path workDir() {
    return tmp.resolve("work-" + runs++);
  }

  private RunRequest replace(String from, String to) {
    return request("replace-text", Map.of("from", from, "to", to));
  }

  private RunRequest request(String migration, Map<String, Object> parameters) {
    return request(migration, parameters, remote.url(), "main");
  }

  private RunRequest withCredential(String url, Credential credential) {
    return new RunRequest(
        "bump", "acme/demo", "tidy", Map.of(), url, "main", BRANCH, author(), credential, null);
  }

  private static RunRequest request(
      String migration, Map<String, Object> parameters, String url, String defaultBranch) {
    return new RunRequest(
        "bump", "acme/demo", migration, parameters, url, defaultBranch, BRANCH, author(), Credential.NONE, null);
  }

  private static RunRequest.Author author() {
    return new RunRequest.Author("Flotilla Bot", "bot@flotilla.test");
  }
}
