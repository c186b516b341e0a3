package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.FlotillaException;
import dev.flotilla.migration.InvalidParametersException;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.UnknownMigrationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewTest {

  @TempDir Path tmp;

  private Path checkout;
  private final Preview preview = new Preview(TestMigrations.all());

  @BeforeEach
  void createCheckout() throws IOException {
    checkout = tmp.resolve("demo");
    Files.createDirectories(checkout.resolve(".git"));
    Files.writeString(
        checkout.resolve(".git/config"), "[remote \"origin\"]\n\turl = git@github.com:acme/payments.git\n");
    Files.writeString(checkout.resolve("README.md"), "# Demo\n\nversion: v1\n\nend\n");
    Files.writeString(checkout.resolve("obsolete.txt"), "a\nb\n");
    Files.write(checkout.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
  }

  @Test
  void showsAChangedFileAsAUnifiedDiff() {
    PreviewResult result = preview.preview("replace-text", params("from", "v1", "to", "v2"), checkout);

    assertThat(result.outcome()).isEqualTo(Outcome.changed("replaced v1 with v2 in README.md"));
    assertThat(result.changedFiles()).containsExactly("README.md");
    assertThat(result.diff())
        .isEqualTo(
            """
            --- a/README.md
            +++ b/README.md
            @@ -1,5 +1,5 @@
             # Demo
            \s
            -version: v1
            +version: v2
            \s
             end
            """);
  }

  @Test
  void showsNewFilesFromDevNullAndDeletedFilesToDevNull() {
    PreviewResult result = preview.preview("tidy", Parameters.empty(), checkout);

    assertThat(result.changedFiles()).containsExactly("NOTICE", "obsolete.txt");
    assertThat(result.diff())
        .isEqualTo(
            """
            --- /dev/null
            +++ b/NOTICE
            @@ -0,0 +1,2 @@
            +Copyright Acme
            +All rights reserved
            --- a/obsolete.txt
            +++ /dev/null
            @@ -1,2 +0,0 @@
            -a
            -b
            """);
  }

  @Test
  void reportsBinaryFilesAndTemplatesOwnerAndNameFromTheOrigin() {
    PreviewResult result = preview.preview("stamp", Parameters.empty(), checkout);

    assertThat(result.diff())
        .contains("--- /dev/null\n+++ b/OWNER\n@@ -0,0 +1 @@\n+acme/payments\n")
        .contains("Binary files a/logo.png and b/logo.png differ\n");
  }

  @Test
  void printsNothingWhenTheMigrationChangesNothing() {
    PreviewResult result = preview.preview("replace-text", params("from", "v9", "to", "v2"), checkout);

    assertThat(result.outcome()).isEqualTo(Outcome.unchanged());
    assertThat(result.diff()).isEmpty();
  }

  @Test
  void neverTouchesTheOriginalCheckout() throws IOException {
    Files.setLastModifiedTime(checkout.resolve("README.md"), FileTime.fromMillis(1_000_000_000_000L));
    Map<String, String> before = snapshot(checkout);

    preview.preview("tidy", Parameters.empty(), checkout);
    preview.preview("replace-text", params("from", "v1", "to", "v2"), checkout);

    assertThat(snapshot(checkout)).isEqualTo(before);
  }

  @Test
  void copiesLinksAsLinksWithoutFollowingThemAndLeavesGitOut() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "do not copy\n");
    Files.createSymbolicLink(checkout.resolve("escape"), outside);
    Files.createSymbolicLink(checkout.resolve("current"), Path.of("README.md"));
    Files.createSymbolicLink(checkout.resolve("dangling"), Path.of("nowhere"));
    Path copy = Files.createDirectories(tmp.resolve("copy"));

    Preview.copy(checkout, copy);

    assertThat(copy.resolve("escape")).isSymbolicLink();
    assertThat(Files.readSymbolicLink(copy.resolve("escape"))).isEqualTo(outside);
    assertThat(Files.readSymbolicLink(copy.resolve("current"))).isEqualTo(Path.of("README.md"));
    assertThat(Files.readSymbolicLink(copy.resolve("dangling"))).isEqualTo(Path.of("nowhere"));
    assertThat(copy.resolve(".git")).doesNotExist();
    assertThat(copy.resolve("README.md")).hasSameTextualContentAs(checkout.resolve("README.md"));
  }

  @Test
  void refusesAnUnknownMigrationNamingTheKnownOnes() {
    assertThatThrownBy(() -> preview.preview("nope", Parameters.empty(), checkout))
        .isInstanceOf(UnknownMigrationException.class)
        .hasMessageContaining("replace-text");
  }

  @Test
  void refusesInvalidParametersListingEveryProblem() {
    assertThatThrownBy(() -> preview.preview("replace-text", params("colour", "red"), checkout))
        .isInstanceOf(InvalidParametersException.class)
        .hasMessageContaining("colour: unknown parameter")
        .hasMessageContaining("from: is required")
        .hasMessageContaining("to: is required");
  }

  @Test
  void reportsAFailingMigrationWithItsExceptionClass() {
    assertThatThrownBy(() -> preview.preview("explode", Parameters.empty(), checkout))
        .isInstanceOf(FlotillaException.class)
        .hasMessage("migration 'explode' failed: java.lang.IllegalStateException: boom while editing");
  }

  private static Parameters params(String... keysAndValues) {
    Map<String, Object> values = new TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Parameters.of(values);
  }

  /** Every path's bytes and modification time, links included but not followed. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> state = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        String content =
            Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                ? java.util.Arrays.toString(Files.readAllBytes(path))
                : "";
        state.put(
            root.relativize(path).toString(),
            content + "@" + Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis());
      }
    }
    return state;
  }
}
