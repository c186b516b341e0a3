package dev.flotilla.migrations;

import static dev.flotilla.migration.testkit.RewriteTest.crlf;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinned uses moved to a release's commit, found with git ls-remote on real repositories: local ones
 * standing in for github.com through {@code gitBaseUrl}.
 */
class GithubActionsPinsTest {

  private static final String OLD_PIN = "b4ffde65f46336ab88eb53be808477a3936bae11";

  @TempDir Path forge;

  private final GithubActionsVersion migration = new GithubActionsVersion();
  private String baseUrl;
  private String checkoutV420;
  private String workflowsV2;

  @BeforeEach
  void publishReleases() throws Exception {
    baseUrl = forge.toUri().toString();
    try (Git checkout = repository("actions/checkout")) {
      commit(checkout, "v4.1.7");
      checkoutV420 = commit(checkout, "v4.2.0").name();
      // Annotated, as actions/checkout tags its releases: ls-remote must peel it to the commit.
      checkout.tag().setName("v4.2.0").setAnnotated(true).setMessage("v4.2.0").setTagger(ident()).call();
      checkout.tag().setName("v4").setAnnotated(false).call();
      commit(checkout, "next");
    }
    try (Git workflows = repository("acme/workflows")) {
      workflowsV2 = commit(workflows, "v2.1.0").name();
      workflows.tag().setName("v2.1.0").setAnnotated(false).call();
    }
  }

  @Test
  void movesPinsToTheReleaseCommitAndRewritesTheirVersionComments() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4.2.0", "replacePinnedShas", true, "gitBaseUrl", baseUrl),
            file(
                ".github/workflows/ci.yml",
                crlf("""
                    name: CI
                    on: [push, pull_request]
                    jobs:
                      build:
                        runs-on: ubuntu-latest
                        steps:
                          - uses: actions/checkout@%s # v4.1.1
                          - name: Tools
                            uses: "actions/checkout@%s"   # pin @v4.1.1 (renovate)
                            with: {repository: acme/tools}
                          - uses: actions/checkout@v3
                    """.formatted(OLD_PIN, OLD_PIN)),
                crlf("""
                    name: CI
                    on: [push, pull_request]
                    jobs:
                      build:
                        runs-on: ubuntu-latest
                        steps:
                          - uses: actions/checkout@%s # v4.2.0
                          - name: Tools
                            uses: "actions/checkout@%s"   # pin @v4.2.0 (renovate)
                            with: {repository: acme/tools}
                          - uses: actions/checkout@v4.2.0
                    """.formatted(checkoutV420, checkoutV420))));

    assertThat(outcome.message()).isEqualTo("set actions/checkout to v4.2.0 in 1 file");
  }

  @Test
  void movesPinnedReusableWorkflowsAndCompositeActionSteps() {
    rewrite(
        migration,
        params("action", "acme/workflows", "ref", "v2.1.0", "replacePinnedShas", true, "gitBaseUrl", baseUrl),
        file(
            ".github/workflows/release.yml",
            """
            on: {push: {tags: ['v*']}}
            jobs:
              release:
                uses: acme/workflows/.github/workflows/release.yml@%s # v1.9.3
                secrets: inherit
            """.formatted(OLD_PIN),
            """
            on: {push: {tags: ['v*']}}
            jobs:
              release:
                uses: acme/workflows/.github/workflows/release.yml@%s # v2.1.0
                secrets: inherit
            """.formatted(workflowsV2)),
        file(
            ".github/actions/setup/action.yaml",
            """
            name: Setup
            description: Shared setup
            runs:
              using: composite
              steps:
                - uses: acme/workflows/actions/cache@%s  # tag=v1.9.3
                - run: ./setup.sh
                  shell: bash
            """.formatted(OLD_PIN),
            """
            name: Setup
            description: Shared setup
            runs:
              using: composite
              steps:
                - uses: acme/workflows/actions/cache@%s  # tag=v2.1.0
                - run: ./setup.sh
                  shell: bash
            """.formatted(workflowsV2)));
  }

  @Test
  void leavesAPinAloneWhenTheRefIsNotInTheActionsRepository() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4.3.0", "replacePinnedShas", true, "gitBaseUrl", baseUrl),
            file(".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + OLD_PIN + " # v4.1.1\n"));

    assertThat(outcome.needsHuman()).isTrue();
    assertThat(outcome.message())
        .isEqualTo("left alone: .github/workflows/ci.yml:4 actions/checkout@b4ffde6 stays pinned: "
            + baseUrl + "actions/checkout has no tag or branch v4.3.0");
  }

  @Test
  void leavesAPinAloneWhenTheActionsRepositoryCannotBeListed() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "acme/gone", "ref", "v2", "replacePinnedShas", true, "gitBaseUrl", baseUrl),
            file(".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - uses: acme/gone@" + OLD_PIN + " # v1\n"));

    assertThat(outcome.needsHuman()).isTrue();
    assertThat(outcome.message()).contains("acme/gone@b4ffde6 stays pinned: git ls-remote " + baseUrl + "acme/gone failed");
  }

  @Test
  void leavesAPinWithoutAVersionCommentAlone() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4.2.0", "replacePinnedShas", true, "gitBaseUrl", baseUrl),
            file(".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + OLD_PIN + " # pinned\n"));

    assertThat(outcome.message())
        .isEqualTo("left alone: .github/workflows/ci.yml:4 actions/checkout@b4ffde6 is pinned without a # vX.Y.Z comment,"
            + " so whether v4.2.0 is newer cannot be told; add the version as a comment or move the pin by hand");
  }

  @Test
  void neverMovesAPinThatIsAhead() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4", "replacePinnedShas", true, "gitBaseUrl", baseUrl),
            file(".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + OLD_PIN + " # v5.0.0\n"));

    assertThat(outcome.message())
        .isEqualTo("left alone: .github/workflows/ci.yml:4 actions/checkout@b4ffde6 # v5.0.0 is ahead of v4 (never downgraded)");
  }

  @Test
  void aLightweightTagResolvesToItsCommit() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4", "replacePinnedShas", true, "gitBaseUrl", baseUrl),
            file(
                "action.yml",
                "runs:\n  using: composite\n  steps:\n    - uses: actions/checkout@" + OLD_PIN + " # v3.6.0\n",
                "runs:\n  using: composite\n  steps:\n    - uses: actions/checkout@" + checkoutV420 + " # v4\n"));

    assertThat(outcome.isChanged()).isTrue();
  }

  private Git repository(String ownerAndName) throws Exception {
    Path dir = Files.createDirectories(forge.resolve(ownerAndName));
    return Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
  }

  private static RevCommit commit(Git git, String version) throws Exception {
    Files.writeString(git.getRepository().getWorkTree().toPath().resolve("action.yml"), "name: " + version + "\n");
    git.add().addFilepattern("action.yml").call();
    return git.commit().setMessage("release " + version).setAuthor(ident()).setCommitter(ident()).setSign(false).call();
  }

  private static PersonIdent ident() {
    return new PersonIdent("Release Bot", "release@example.com");
  }
}
