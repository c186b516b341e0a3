package dev.flotilla.migrations;

import static dev.flotilla.migration.testkit.RewriteTest.crlf;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Validation;
import org.junit.jupiter.api.Test;

class GithubActionsVersionTest {

  private final GithubActionsVersion migration = new GithubActionsVersion();

  @Test
  void bumpsEveryStepKeepingQuotesAndTrailingComments() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4"),
            file(
                ".github/workflows/ci.yml",
                """
                # Build and test ✅
                name: CI
                on:
                  push:
                    branches: [main]
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v3   # v3.5.0
                      - name: Checkout tools
                        uses: 'actions/checkout@v3'
                        with:
                          repository: acme/tools
                          path: tools
                      - uses: "actions/checkout@v2" # old one
                      - uses: actions/setup-java@v3
                        with: {distribution: temurin, java-version: '21'}
                      - run: 'echo "uses: actions/checkout@v3"'
                """,
                """
                # Build and test ✅
                name: CI
                on:
                  push:
                    branches: [main]
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: actions/checkout@v4   # v3.5.0
                      - name: Checkout tools
                        uses: 'actions/checkout@v4'
                        with:
                          repository: acme/tools
                          path: tools
                      - uses: "actions/checkout@v4" # old one
                      - uses: actions/setup-java@v3
                        with: {distribution: temurin, java-version: '21'}
                      - run: 'echo "uses: actions/checkout@v3"'
                """));

    assertThat(outcome.message()).isEqualTo("set actions/checkout to v4 in 1 file");
  }

  @Test
  void keepsCrlfLineEndingsAndTabsBeforeComments() {
    rewrite(
        migration,
        params("action", "actions/setup-node", "ref", "v4"),
        file(
            ".github/workflows/node.yaml",
            crlf(
                """
                jobs:
                  test:
                    runs-on: windows-latest
                    steps:
                      - uses: actions/setup-node@v3\t# pinned by renovate
                        with:
                          node-version: 20
                """),
            crlf(
                """
                jobs:
                  test:
                    runs-on: windows-latest
                    steps:
                      - uses: actions/setup-node@v4\t# pinned by renovate
                        with:
                          node-version: 20
                """)));
  }

  @Test
  void updatesCompositeActionsSubPathsAndReusableWorkflowsInEveryFile() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "acme/workflows", "ref", "v2.1.0"),
            file(
                ".github/workflows/release.yml",
                """
                on: {push: {tags: ['v*']}}
                jobs:
                  release:
                    uses: acme/workflows/.github/workflows/release.yml@v1
                    secrets: inherit
                  notify:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: acme/workflows/actions/slack@v1.4.0
                """,
                """
                on: {push: {tags: ['v*']}}
                jobs:
                  release:
                    uses: acme/workflows/.github/workflows/release.yml@v2.1.0
                    secrets: inherit
                  notify:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: acme/workflows/actions/slack@v2.1.0
                """),
            file(
                "tools/setup/action.yml",
                """
                name: Setup
                runs:
                  using: composite
                  steps:
                    - uses: Acme/Workflows/actions/cache@main
                    - run: ./setup.sh
                      shell: bash
                """,
                """
                name: Setup
                runs:
                  using: composite
                  steps:
                    - uses: Acme/Workflows/actions/cache@v2.1.0
                    - run: ./setup.sh
                      shell: bash
                """));

    assertThat(outcome.message()).isEqualTo("set acme/workflows to v2.1.0 in 2 files");
  }

  @Test
  void leavesShaPinsAloneByDefaultAndSaysSo() {
    String sha = "b4ffde65f46336ab88eb53be808477a3936bae11";
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4"),
            file(
                ".github/workflows/ci.yml",
                """
                jobs:
                  a:
                    steps:
                      - uses: actions/checkout@%s # v4.1.1
                      - uses: actions/checkout@v3
                """.formatted(sha),
                """
                jobs:
                  a:
                    steps:
                      - uses: actions/checkout@%s # v4.1.1
                      - uses: actions/checkout@v4
                """.formatted(sha)));

    assertThat(outcome.message())
        .isEqualTo("set actions/checkout to v4 in 1 file; left 1 use pinned to a commit SHA alone "
            + "(set replacePinnedShas: true to move them to v4's commit)");
  }

  @Test
  void aRepositoryWithOnlyPinsIsLeftAloneWithTheReason() {
    String sha = "b4ffde65f46336ab88eb53be808477a3936bae11";
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4.2.0"),
            file(".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + sha + " # v4.1.1\n"));

    assertThat(outcome.needsHuman()).isTrue();
    assertThat(outcome.message()).contains("pinned to a commit SHA").contains("replacePinnedShas: true");
  }

  @Test
  void neverDowngradesAUseThatIsAhead() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4"),
            file(
                ".github/workflows/ci.yml",
                """
                jobs:
                  build:
                    steps:
                      - uses: actions/checkout@v7
                      - uses: 'actions/checkout@v4.1.2'  # exact, on purpose
                      - uses: actions/checkout@v4.0
                """));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.UNCHANGED);
    assertThat(outcome.needsHuman()).isTrue();
    assertThat(outcome.message())
        .isEqualTo("left alone: .github/workflows/ci.yml:4 actions/checkout@v7 is ahead of v4 (never downgraded); "
            + ".github/workflows/ci.yml:5 actions/checkout@v4.1.2 is ahead of v4 (never downgraded)");
  }

  @Test
  void bumpsWhatIsBehindAndNamesWhatIsAheadInTheSummary() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/setup-java", "ref", "v4.1"),
            file(
                ".github/workflows/ci.yml",
                """
                jobs:
                  build:
                    steps:
                      - uses: actions/setup-java@v4
                      - uses: actions/setup-java@v10
                """,
                """
                jobs:
                  build:
                    steps:
                      - uses: actions/setup-java@v4.1
                      - uses: actions/setup-java@v10
                """));

    assertThat(outcome.message())
        .isEqualTo("set actions/setup-java to v4.1 in 1 file; left alone: "
            + ".github/workflows/ci.yml:5 actions/setup-java@v10 is ahead of v4.1 (never downgraded)");
  }

  @Test
  void movesABarePinToTheGivenCommit() {
    String oldSha = "b4ffde65f46336ab88eb53be808477a3936bae11";
    String newSha = "11bd71901bbe5b1630ceea73d27597364c9af683";
    rewrite(
        migration,
        params("action", "actions/checkout", "ref", newSha, "replacePinnedShas", true),
        file(
            ".github/workflows/ci.yml",
            "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + oldSha + "\n",
            "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + newSha + "\n"));
  }

  @Test
  void refusesToMoveACommentedPinToABareCommitBecauseTheCommentWouldLie() {
    String oldSha = "b4ffde65f46336ab88eb53be808477a3936bae11";
    String newSha = "11bd71901bbe5b1630ceea73d27597364c9af683";
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", newSha, "replacePinnedShas", true),
            file(".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@" + oldSha + " # v4.1.1\n"));

    assertThat(outcome.message())
        .isEqualTo("left alone: .github/workflows/ci.yml:4 actions/checkout@b4ffde6 # v4.1.1: ref is a bare commit SHA,"
            + " so the version comment cannot be rewritten; give the release tag as ref");
  }

  @Test
  void neverTouchesDockerLocalOrLookalikeActions() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4"),
            file(
                ".github/workflows/ci.yml",
                """
                jobs:
                  a:
                    steps:
                      - uses: docker://actions/checkout@v3
                      - uses: ./.github/actions/checkout
                      - uses: actions/checkout-extra@v3
                      - uses: my-actions/checkout@v3
                      - uses: actions/setup-go@v5
                        with:
                          uses: actions/checkout@v3
                """),
            file(
                "docs/ci.yml",
                """
                steps:
                  - uses: actions/checkout@v3
                """));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.UNCHANGED);
  }

  @Test
  void changesNothingWhenAlreadyCurrent() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4"),
            file(
                ".github/workflows/ci.yml",
                """
                ---
                jobs:
                  a:
                    steps:
                      - uses: actions/checkout@v4 # current
                """));

    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void isNotApplicableWithoutWorkflows() {
    Outcome outcome =
        rewrite(
            migration,
            params("action", "actions/checkout", "ref", "v4"),
            file("README.md", "uses: actions/checkout@v3\n"),
            file(".github/dependabot.yml", "version: 2\n"));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.NOT_APPLICABLE);
    assertThat(outcome.message()).contains(".github/workflows");
  }

  @Test
  void reportsEveryBadParameter() {
    Validation validation =
        params("action", "actions/checkout@v4", "ref", "v 4").check(migration);

    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .containsExactly("action", "ref");
    assertThat(validation.describe()).contains("'actions/checkout@v4' is not owner/name");
  }

  @Test
  void refusesAGitBaseUrlThatIsNotAUrl() {
    Validation validation =
        params("action", "actions/checkout", "ref", "v4", "gitBaseUrl", "github.com").check(migration);

    assertThat(validation.problems()).extracting(Validation.Problem::parameter).containsExactly("gitBaseUrl");
    assertThat(validation.describe()).contains("'github.com' is not a git URL such as https://github.com");
  }

  @Test
  void requiresActionAndRef() {
    Validation validation = params().check(migration);

    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .containsExactly("action", "ref");
  }

  @Test
  void isFoundByServiceLoaderAndDocumentsEveryParameter() {
    assertThat(Migrations.load().get(migration.id())).isInstanceOf(GithubActionsVersion.class);
    assertThat(migration.title()).doesNotContain("${").doesNotContain("$1");
    assertThat(migration.description()).isNotBlank();
    assertThat(migration.parameters())
        .allSatisfy(p -> assertThat(p.description()).isNotBlank())
        .allSatisfy(p -> assertThat(p.example()).isNotBlank());
  }
}
