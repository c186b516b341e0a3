package dev.flotilla.controller.config;

import dev.flotilla.controller.model.OptIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of corpus/optin gives the expected result, quickly; plus inputs too big to keep as
 * files.
 */
class OptInCorpusTest {

  private static final Duration QUICKLY = Duration.ofSeconds(1);

  /** Loads the parser's classes once, so the time limit measures parsing, not class loading. */
  @BeforeAll
  static void warmUp() {
    OptInParser.parse(
        "enabled: true\nmergeWindow: {timezone: UTC, days: [MON], hours: \"09:00-10:00\"}\n",
        "warm-up");
  }

  static Stream<Path> corpus() {
    return Corpus.files("optin");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void givesTheExpectedResult(Path file) {
    Corpus.Expectation expected = Corpus.expectation(file);
    byte[] bytes = Corpus.bytes(file);
    String name = file.getFileName().toString();
    switch (expected.kind()) {
      case VALID -> assertThat(parseQuickly(bytes, name).enabled()).isTrue();
      case DISABLED -> assertThat(parseQuickly(bytes, name).enabled()).isFalse();
      case ERROR ->
          assertThatThrownBy(() -> parseQuickly(bytes, name))
              .isInstanceOfSatisfying(
                  ConfigException.class,
                  e -> {
                    assertThat(e.getMessage()).startsWith(name).contains(expected.fragment());
                    assertThat(e.line()).as(e.getMessage()).isEqualTo(expected.line());
                    assertThat(e.file()).isEqualTo(name);
                  });
    }
  }

  @Test
  void refusesBinaryContent() {
    byte[] png = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };
    assertThatThrownBy(() -> parseQuickly(png, ".flotilla.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            ".flotilla.yaml:3: contains a NUL byte at line 3, so it is binary, not YAML text");
  }

  @Test
  void refusesTenMegabytesBeforeParsing() {
    byte[] huge =
        ("enabled: true\nlabels: [" + "x,".repeat(5 * 1024 * 1024) + "x]\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> parseQuickly(huge, ".flotilla.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            ".flotilla.yaml: is "
                + huge.length
                + " bytes, more than the limit of 65536 bytes (64 KiB); keep only the settings"
                + " Flotilla reads");
  }

  @Test
  void refusesHugeTextGivenAsString() {
    String huge = "enabled: true\n# " + "x".repeat(70_000) + "\n";
    assertThatThrownBy(() -> OptInParser.parse(huge, ".flotilla.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("more than the limit of 65536 bytes");
  }

  @Test
  void refusesTenThousandLevelsOfFlowNesting() {
    byte[] deep =
        ("enabled: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> parseQuickly(deep, ".flotilla.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(".flotilla.yaml: nests deeper than 50 levels; flatten the file");
  }

  @Test
  void refusesDeepBlockNesting() {
    StringBuilder yaml = new StringBuilder("enabled: true\nmergeWindow:\n");
    for (int level = 1; level <= 100; level++) {
      yaml.append(" ".repeat(level)).append("k").append(level).append(":\n");
    }
    assertThatThrownBy(
            () -> parseQuickly(yaml.toString().getBytes(StandardCharsets.UTF_8), "f.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nests deeper than 50 levels");
  }

  @Test
  void readsAVeryLongLineWithinTheLimit() {
    String label = "l".repeat(60_000);
    OptIn optIn =
        parseQuickly(
            ("enabled: true\nlabels: [" + label + "]\n").getBytes(StandardCharsets.UTF_8), "f");
    assertThat(optIn.labels()).containsExactly(label);
  }

  @Test
  void shortensVeryLongValuesInMessages() {
    String value = "v".repeat(10_000);
    assertThatThrownBy(() -> OptInParser.parse("enabled: " + value + "\n", "f"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("got '" + "v".repeat(60) + "...'")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
  }

  @Test
  void refusesAControlCharacter() {
    byte[] bell = "enabled: true\nlabels: [\u0007]\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> parseQuickly(bell, "f.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML");
  }

  @Test
  void refusesTruncatedUtf8() {
    byte[] text = "enabled: true\nlabels: [\u00e6]\n".getBytes(StandardCharsets.UTF_8);
    byte[] truncated = Arrays.copyOf(text, text.length - 3);
    assertThatThrownBy(() -> parseQuickly(truncated, "f.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not UTF-8 text (byte 0xC3 at line 2");
  }

  private static OptIn parseQuickly(byte[] bytes, String file) {
    return assertTimeoutPreemptively(QUICKLY, () -> OptInParser.parse(bytes, file));
  }
}
