package dev.flotilla.migrations;

import static dev.flotilla.migration.testkit.RewriteTest.binary;
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
import dev.flotilla.migration.testkit.SourceSpec;
import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.Parameters;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegexReplaceTest {

  private final RegexReplace migration = new RegexReplace();

  @Test
  void replacesEveryOccurrenceInEveryMatchingFile() {
    Outcome outcome =
        rewrite(
            migration,
            params("glob", "**/*.properties", "pattern", "(?<=spring\\.version=)5\\.3\\.\\d+", "replacement", "6.1.14"),
            file(
                "gradle.properties",
                """
                # versions 🔧
                spring.version=5.3.31
                #spring.version=5.3.1
                kotlin.version=1.9.22
                """,
                """
                # versions 🔧
                spring.version=6.1.14
                #spring.version=6.1.14
                kotlin.version=1.9.22
                """),
            file(
                "services/api/src/main/resources/build.properties",
                "spring.version=5.3.9\n",
                "spring.version=6.1.14\n"),
            file("services/api/pom.xml", "<spring.version>5.3.9</spring.version>\n"));

    assertThat(outcome).isEqualTo(Outcome.changed("replaced 3 occurrences in 2 files"));
  }

  @Test
  void anchorsAtLineEndsInCrlfFilesWhenMultiline() {
    rewrite(
        migration,
        params(
            "glob", "config/*.ini",
            "pattern", "^(\\s*)timeout\\s*=\\s*\\d+$",
            "replacement", "$1timeout = 30",
            "multiline", true),
        file(
            "config/app.ini",
            crlf("[http]\n  timeout=5\n  ; timeout=5 in comments stays\n[db]\n\ttimeout = 10\n"),
            crlf("[http]\n  timeout = 30\n  ; timeout=5 in comments stays\n[db]\n\ttimeout = 30\n")));
  }

  @Test
  void withoutMultilineAnchorsMatchOnlyTheWholeFile() {
    Outcome outcome =
        rewrite(
            migration,
            params("glob", "*.txt", "pattern", "^old$", "replacement", "new"),
            file("notes.txt", "old\nold\n"),
            file("single.txt", "old", "new"));

    assertThat(outcome.message()).isEqualTo("replaced 1 occurrence in 1 file");
  }

  @Test
  void usesNamedGroupsAndKeepsTabs() {
    rewrite(
        migration,
        params(
            "glob", "Makefile",
            "pattern", "(?<tool>golangci-lint)@v(?<major>1)\\.\\d+\\.\\d+",
            "replacement", "${tool}@v${major}.61.0"),
        file(
            "Makefile",
            "lint:\n\tgo run github.com/golangci/golangci-lint/cmd/golangci-lint@v1.55.2 run\t# lint\n",
            "lint:\n\tgo run github.com/golangci/golangci-lint/cmd/golangci-lint@v1.61.0 run\t# lint\n"));
  }

  @Test
  void skipsBinaryAndHugeFilesAndSaysHowMany() {
    byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 'o', 'l', 'd'};
    String huge = "old\n".repeat(RegexReplace.MAX_FILE_BYTES / 4 + 1);
    Outcome outcome =
        rewrite(
            migration,
            params("glob", "data/*", "pattern", "old", "replacement", "new"),
            binary("data/logo.png", image),
            file("data/dump.sql", huge),
            file("data/readme.txt", "the old way\n", "the new way\n"));

    assertThat(outcome)
        .isEqualTo(Outcome.changed("replaced 1 occurrence in 1 file; skipped 1 binary file and 1 file over 5 MiB"));
  }

  @Test
  void skipsAHugeFileWithoutReadingIt(@TempDir Path repo) throws IOException {
    Files.writeString(repo.resolve("a.txt"), "old\n");
    // Sparse, so cheap to make; read whole it would exhaust the heap.
    try (RandomAccessFile huge = new RandomAccessFile(repo.resolve("huge.bin").toFile(), "rw")) {
      huge.setLength(3L * 1024 * 1024 * 1024);
    }

    Outcome outcome =
        migration.apply(
            new DirectoryWorkspace(repo, "acme", "demo"),
            Parameters.of(java.util.Map.of("glob", "**/*", "pattern", "old", "replacement", "new")));

    assertThat(outcome).isEqualTo(Outcome.changed("replaced 1 occurrence in 1 file; skipped 1 file over 5 MiB"));
  }

  @Test
  void keepsLatin1FilesByteForByte() {
    byte[] before = "name=Caf\u00e9 old\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] after = "name=Caf\u00e9 new\n".getBytes(StandardCharsets.ISO_8859_1);

    rewrite(
        migration,
        params("glob", "*.properties", "pattern", "old", "replacement", "new"),
        new SourceSpec("messages_fr.properties", before, after));
  }

  @Test
  void changesNothingWhenMatchesAlreadyHaveTheirReplacement() {
    Outcome outcome =
        rewrite(
            migration,
            params("glob", "**/*.properties", "pattern", "(?<=java\\.version=)\\d+", "replacement", "21"),
            file("a.properties", "java.version=21\n# java.version=21\n"),
            file("b.properties", "other=1\n"));

    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void isNotApplicableWhenNoFileMatchesTheGlob() {
    Outcome none =
        rewrite(
            migration,
            params("glob", "**/*.properties", "pattern", "x", "replacement", "y"),
            file("README.md", "x\n"));
    Outcome onlyBinary =
        rewrite(
            migration,
            params("glob", "*.bin", "pattern", "x", "replacement", "y"),
            binary("a.bin", new byte[] {'x', 0}));

    assertThat(none).isEqualTo(Outcome.notApplicable("no file matches **/*.properties"));
    assertThat(onlyBinary.kind()).isEqualTo(Outcome.Kind.NOT_APPLICABLE);
  }

  @Test
  void theKitCatchesAReplacementThatMatchesAgain() {
    assertThatThrownBy(
            () ->
                rewrite(
                    migration,
                    params("glob", "*.properties", "pattern", "(version=)(\\d+)", "replacement", "$1$2.0"),
                    file("v.properties", "version=1\n", "version=1.0\n")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("is not idempotent");
  }

  @Test
  void validationCatchesALiteralReplacementThatMatchesAgain() {
    Validation growing = params("glob", "*.md", "pattern", "foo", "replacement", "foobar").check(migration);
    Validation excluded = params("glob", "*.md", "pattern", "foo(?!bar)", "replacement", "foobar").check(migration);
    Validation same = params("glob", "*.md", "pattern", "^v1$", "replacement", "v1").check(migration);

    assertThat(growing.describe()).contains("replacement: 'foobar' is matched by the pattern again");
    assertThat(excluded.isValid()).isTrue();
    assertThat(same.isValid()).isTrue();
  }

  @Test
  void reportsEveryBadParameterWithTheRegexMessage() {
    Validation validation =
        params("glob", "../*.txt", "pattern", "version=(\\d+", "replacement", "x").check(migration);

    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .containsExactly("glob", "pattern");
    assertThat(validation.describe()).contains("Unclosed group");
  }

  @Test
  void checksGroupReferencesInTheReplacement() {
    assertThat(params("glob", "*", "pattern", "(a)", "replacement", "$2").check(migration).describe())
        .contains("refers to group $2 but the pattern has 1 group");
    assertThat(params("glob", "*", "pattern", "(?<v>a)", "replacement", "${w}").check(migration).describe())
        .contains("${w}");
    assertThat(params("glob", "*", "pattern", "a", "replacement", "costs 5$").check(migration).describe())
        .contains("lone $");
    assertThat(params("glob", "*", "pattern", "(a)b", "replacement", "\\$$10").check(migration).isValid()).isTrue();
    assertThat(params("glob", "{a,b", "pattern", "a", "replacement", "b").check(migration).describe())
        .contains("not a valid glob");
  }

  @Test
  void stopsARunawayPatternWithAReasonNamingTheFile() {
    RegexReplace impatient = new RegexReplace(Duration.ofMillis(50));

    assertThatThrownBy(
            () ->
                rewrite(
                    impatient,
                    params("glob", "*.txt", "pattern", "((a+)+)\\2b", "replacement", "x"),
                    // no "b" anywhere: the nested quantifier tries 2^40 splits before it can say so
                    // (the back-reference keeps java.util.regex from memoising the loop), on any
                    // machine, so the deadline and not the machine's speed decides
                    file("slow.txt", "a".repeat(40) + "d\n")))
        .isInstanceOf(FlotillaException.class)
        .hasMessageContaining("slow.txt");
  }

  @Test
  void isFoundByServiceLoaderAndDocumentsEveryParameter() {
    assertThat(Migrations.load().get(migration.id())).isInstanceOf(RegexReplace.class);
    assertThat(migration.title()).doesNotContain("${").doesNotContain("$1");
    assertThat(migration.description()).isNotBlank();
    assertThat(migration.parameters())
        .allSatisfy(p -> assertThat(p.description()).isNotBlank())
        .allSatisfy(p -> assertThat(p.example()).isNotBlank());
  }
}
