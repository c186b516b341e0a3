package dev.flotilla.migrations;

import static dev.flotilla.migration.testkit.RewriteTest.created;
import static dev.flotilla.migration.testkit.RewriteTest.crlf;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Validation;
import org.junit.jupiter.api.Test;

class EnsureFileTest {

  private static final String CATALOG =
      """
      # Generated for Backstage; edit freely
      apiVersion: backstage.io/v1alpha1
      kind: Component
      metadata:
        name: ${repo.name}
        annotations:
          github.com/project-slug: ${repo.fullName}
      spec:
        type: service
        owner: group:${repo.owner}
        lifecycle: production
      """;

  private final EnsureFile migration = new EnsureFile();

  @Test
  void createsAMissingFileFromTheTemplate() {
    Outcome outcome =
        rewrite(
            migration,
            params("path", "catalog-info.yaml", "template", CATALOG),
            "payments",
            "ledger-api",
            file("README.md", "# Ledger API\n"),
            created(
                "catalog-info.yaml",
                """
                # Generated for Backstage; edit freely
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: ledger-api
                  annotations:
                    github.com/project-slug: payments/ledger-api
                spec:
                  type: service
                  owner: group:payments
                  lifecycle: production
                """));

    assertThat(outcome).isEqualTo(Outcome.changed("created catalog-info.yaml"));
  }

  @Test
  void writesEscapedDollarBracesLiterallyInNestedFolders() {
    rewrite(
        migration,
        params(
            "path", "build/lint.mk",
            "template", "# ${repo.name}\nlint:\n\tTOKEN=$${GITHUB_TOKEN} ./lint.sh # ${repo.fullName}\n"),
        created(
            "build/lint.mk",
            "# demo-service\nlint:\n\tTOKEN=${GITHUB_TOKEN} ./lint.sh # acme/demo-service\n"));
  }

  @Test
  void leavesAnExistingFileAloneInCreateMode() {
    Outcome outcome =
        rewrite(
            migration,
            params("path", ".github/CODEOWNERS", "template", "* @${repo.owner}/platform\n"),
            file(".github/CODEOWNERS", "# hand-written, keep\n*\t@acme/payments\r\n"));

    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void overwritesInTheExistingFilesLineEndings() {
    Outcome outcome =
        rewrite(
            migration,
            params(
                "path", "CODEOWNERS",
                "template", "# owners of ${repo.fullName}\n*\t@${repo.owner}/platform\n/docs/ @${repo.owner}/docs\n",
                "mode", "overwrite"),
            file(
                "CODEOWNERS",
                crlf("# old owners\n* @someone\n"),
                crlf("# owners of acme/demo-service\n*\t@acme/platform\n/docs/ @acme/docs\n")));

    assertThat(outcome).isEqualTo(Outcome.changed("updated CODEOWNERS"));
  }

  @Test
  void overwriteChangesNothingWhenOnlyLineEndingsDiffer() {
    Outcome outcome =
        rewrite(
            migration,
            params("path", "CODEOWNERS", "template", "* @acme/platform\n# end\n", "mode", "overwrite"),
            file("CODEOWNERS", crlf("* @acme/platform\n# end\n")));

    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void overwritesAnLfFileWithACrlfTemplateAsLf() {
    rewrite(
        migration,
        params("path", "docs/OWNERS.md", "template", "owner: ${repo.owner}\r\nname: ${repo.name}\r\n", "mode", "overwrite"),
        file("docs/OWNERS.md", "owner: nobody\nname: x\n", "owner: acme\nname: demo-service\n"));
  }

  @Test
  void refusesToReplaceAFolder() {
    assertThatThrownBy(
            () ->
                rewrite(
                    migration,
                    params("path", "docs", "template", "x", "mode", "overwrite"),
                    file("docs/index.md", "# docs\n")))
        .isInstanceOf(FlotillaException.class)
        .hasMessageContaining("docs exists but is not a file");
  }

  @Test
  void reportsEveryBadParameterNamingUnknownPlaceholders() {
    Validation validation =
        params("path", "../outside.txt", "template", "${repo.nam} ${org} ${ok", "mode", "append")
            .check(migration);

    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .containsExactly("path", "template", "template", "template", "mode");
    assertThat(validation.describe())
        .contains("unknown placeholder ${repo.nam}")
        .contains("unknown placeholder ${org}")
        .contains("is not closed")
        .contains("climbs out with '..'");
  }

  @Test
  void refusesAbsoluteAndGitPaths() {
    assertThat(params("path", "/etc/passwd", "template", "x").check(migration).describe()).contains("absolute");
    assertThat(params("path", ".git/config", "template", "x").check(migration).describe()).contains(".git");
    assertThat(params("path", "a//b", "template", "x").check(migration).isValid()).isFalse();
    assertThat(params("path", "a/b.txt", "template", "$${x}").check(migration).isValid()).isTrue();
  }

  @Test
  void isFoundByServiceLoaderAndDocumentsEveryParameter() {
    assertThat(Migrations.load().get(migration.id())).isInstanceOf(EnsureFile.class);
    assertThat(migration.title()).doesNotContain("${").doesNotContain("$1");
    assertThat(migration.description()).isNotBlank();
    assertThat(migration.parameters())
        .allSatisfy(p -> assertThat(p.description()).isNotBlank())
        .allSatisfy(p -> assertThat(p.example()).isNotBlank());
  }
}
