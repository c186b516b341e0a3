package dev.flotilla.controller.config;

import dev.flotilla.controller.model.CampaignSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flotilla.migration.Migrations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file of corpus/campaign gives the expected result, quickly. */
class CampaignCorpusTest {

  private static final Migrations MIGRATIONS = TestMigrations.registry();
  private static final Duration QUICKLY = Duration.ofSeconds(1);

  /** Loads the parser's classes once, so the time limit measures parsing, not class loading. */
  @BeforeAll
  static void warmUp() {
    CampaignParser.parseAll(
        Corpus.bytes(
            Corpus.files("campaign")
                .filter(p -> p.endsWith("valid-full.yaml"))
                .findFirst()
                .orElseThrow()),
        "warm-up",
        MIGRATIONS);
  }

  static Stream<Path> corpus() {
    return Corpus.files("campaign");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void givesTheExpectedResult(Path file) {
    Corpus.Expectation expected = Corpus.expectation(file);
    byte[] bytes = Corpus.bytes(file);
    String name = file.getFileName().toString();
    if (expected.kind() == Corpus.Expectation.Kind.VALID) {
      assertThat(parseQuickly(bytes, name)).hasSize(expected.count());
      return;
    }
    assertThatThrownBy(() -> parseQuickly(bytes, name))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.getMessage()).startsWith(name).contains(expected.fragment());
              assertThat(e.line()).as(e.getMessage()).isEqualTo(expected.line());
            });
  }

  @Test
  void refusesAFileOverOneMegabyte() {
    byte[] huge = ("# " + "x".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> parseQuickly(huge, "c.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("more than the limit of 1048576 bytes");
  }

  @Test
  void refusesAliasesThatWouldExpandParametersIntoMillions() {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: bomb}
            spec:
              migration: add-editorconfig
              parameters:
                a: &a [x, x, x, x, x, x, x, x, x, x]
            """);
    for (char c = 'b'; c <= 'h'; c++) {
      String previous = String.valueOf((char) (c - 1));
      yaml.append("    ")
          .append(c)
          .append(": &")
          .append(c)
          .append(" [")
          .append(
              String.join(
                  ", ",
                  List.of(
                      "*" + previous,
                      "*" + previous,
                      "*" + previous,
                      "*" + previous,
                      "*" + previous,
                      "*" + previous)))
          .append("]\n");
    }
    assertThatThrownBy(
            () -> parseQuickly(yaml.toString().getBytes(StandardCharsets.UTF_8), "bomb.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("holds more than 10000 values");
  }

  private static List<CampaignSpec> parseQuickly(byte[] bytes, String file) {
    return assertTimeoutPreemptively(
        QUICKLY, () -> CampaignParser.parseAll(bytes, file, MIGRATIONS));
  }
}
