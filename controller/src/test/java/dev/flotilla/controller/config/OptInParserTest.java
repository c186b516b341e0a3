package dev.flotilla.controller.config;

import dev.flotilla.controller.model.MergeWindow;
import dev.flotilla.controller.model.OptIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.model.MergeMethod;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OptInParserTest {

  @Test
  void refusesANulCharacterNamingTheKeyAndLine() {
    assertThatThrownBy(
            () -> OptInParser.parse("enabled: true\nlabels: [ok, \"a\\0b\"]\n", ".flotilla.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            ".flotilla.yaml:2: 'labels' at line 2 holds a NUL character (\\0), which Flotilla cannot"
                + " store; remove it")
        .hasMessageNotContaining("\0");
  }

  @Test
  void refusesAnUnpairedSurrogateNamingTheKeyAndLine() {
    assertThatThrownBy(
            () -> OptInParser.parse("enabled: true\n\nreviewers: [\"\\uD800x\"]\n", ".flotilla.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            ".flotilla.yaml:3: 'reviewers' at line 3 holds an unpaired UTF-16 surrogate (\\uD800), which"
                + " Flotilla cannot store; remove it");
  }

  @Test
  void escapesEveryControlCharacterOfAValueItQuotes() {
    assertThatThrownBy(
            () ->
                OptInParser.parse(
                    "enabled: true\nmergeMethod: \"sq\\e[2J\\rash\\x85\\u2028\\u202E\\x7F\\t\"\n",
                    ".flotilla.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("got 'sq\\u001B[2J\\rash\\u0085\\u2028\\u202E\\u007F\\t'")
        .satisfies(
            e -> assertThat(e.getMessage().chars()).noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f));
  }

  @Test
  void readsEveryKeyOfTheDesignExample() {
    OptIn optIn =
        OptInParser.parse(
            """
enabled: true                 # opt in
automerge: true
mergeMethod: rebase
mergeWindow: {timezone: Europe/Copenhagen, days: [MON, TUE, WED, THU], hours: "09:00-15:00"}
exclude: [dockerfile-base-image]
reviewers: [payments-team, alice]
labels: [dependencies]
wave: early
owner: group:default/Payments
""",
            ".flotilla.yaml");

    assertThat(optIn.enabled()).isTrue();
    assertThat(optIn.automerge()).isTrue();
    assertThat(optIn.mergeMethod()).isEqualTo(MergeMethod.REBASE);
    assertThat(optIn.mergeWindow())
        .isEqualTo(
            new MergeWindow(
                ZoneId.of("Europe/Copenhagen"),
                java.util.Set.of(
                    DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY),
                LocalTime.of(9, 0),
                LocalTime.of(15, 0)));
    assertThat(optIn.exclude()).containsExactly("dockerfile-base-image");
    assertThat(optIn.excludes("dockerfile-base-image")).isTrue();
    assertThat(optIn.reviewers()).containsExactly("payments-team", "alice");
    assertThat(optIn.labels()).containsExactly("dependencies");
    assertThat(optIn.wave()).isEqualTo(OptIn.Wave.EARLY);
    assertThat(optIn.owner()).isEqualTo("payments");
  }

  @Test
  void refusesAnOwnerThatIsNotOneTeamNamingTheLine() {
    assertThatThrownBy(() -> OptInParser.parse("enabled: true\nowner: payments and billing\n", "f"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("owner 'payments and billing' at line 2 is not a team name; write one team such as 'owner: payments'");
    assertThatThrownBy(() -> OptInParser.parse("enabled: true\nowner: [a, b]\n", "f"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'owner' at line 2");
  }

  @Test
  void leavesMergingOffAndTheRestAtDefaultsWhenOnlyEnabled() {
    OptIn optIn = OptInParser.parse("enabled: true\n", "f");

    assertThat(optIn.enabled()).isTrue();
    assertThat(optIn.automerge()).isFalse();
    assertThat(optIn.mergeMethod()).isEqualTo(MergeMethod.SQUASH);
    assertThat(optIn.mergeWindow()).isNull();
    assertThat(optIn.exclude()).isEmpty();
    assertThat(optIn.reviewers()).isEmpty();
    assertThat(optIn.labels()).isEmpty();
    assertThat(optIn.wave()).isEqualTo(OptIn.Wave.DEFAULT);
  }

  @Test
  void treatsAnEmptyOrCommentOnlyFileAsNotOptedIn() {
    assertThat(OptInParser.parse("", "f").enabled()).isFalse();
    assertThat(OptInParser.parse("# nothing yet\n", "f").enabled()).isFalse();
    assertThat(OptInParser.parse(new byte[0], "f").enabled()).isFalse();
  }

  @Test
  void treatsEnabledFalseAsNotOptedInButStillChecksTheRest() {
    assertThat(OptInParser.parse("enabled: false\nautomerge: true\n", "f").enabled()).isFalse();
    assertThatThrownBy(() -> OptInParser.parse("enabled: false\nmergeMethod: fast\n", "f"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'mergeMethod' at line 2 must be one of merge, squash, rebase");
  }

  @Test
  void namesTheFileLineAndKeyOfAnUnknownKeyAndSuggestsTheRightOne() {
    assertThatThrownBy(
            () -> OptInParser.parse("enabled: true\nautomerg: true\n", "payments/.flotilla.yaml"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.file()).isEqualTo("payments/.flotilla.yaml");
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "payments/.flotilla.yaml:2: unknown key 'automerg' at line 2; did you mean"
                          + " 'automerge'? allowed keys: enabled, automerge, mergeMethod,"
                          + " mergeWindow, exclude, reviewers, labels, wave, owner");
            });
  }

  @Test
  void reportsEveryProblemOfTheFileAtOnceInLineOrder() {
    assertThatThrownBy(
            () ->
                OptInParser.parse(
                    """
                    enabled: yes please
                    mergeWindow:
                      timezone: Europe/Copenhagen
                      hours: "25:00-15:00"
                    wave: first
                    """,
                    ".flotilla.yaml"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(ConfigException.Problem::line)
                  .containsExactly(1, 4, 5);
              assertThat(e.getMessage())
                  .isEqualTo(
                      """
.flotilla.yaml: 3 problems:
  - 'enabled' at line 1 must be true or false, got 'yes please'
  - hours '25:00-15:00' at line 4 must be HH:MM-HH:MM in 24-hour time, such as "09:00-15:00" \
(or "22:00-06:00" across midnight)
  - 'wave' at line 5 must be one of canary, early, default, late, got 'first'""");
            });
  }

  @Test
  void showsTheFirstTwentyProblemsOfAGarbledFile() {
    StringBuilder keys = new StringBuilder("enabled: true\n");
    for (int i = 1; i <= 500; i++) {
      keys.append("key").append(i).append(": x\n");
    }

    assertThatThrownBy(() -> OptInParser.parse(keys.toString(), "f"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(500);
              assertThat(e.getMessage().lines()).hasSize(22);
              assertThat(e.getMessage())
                  .startsWith("f: 500 problems:\n  - unknown key 'key1' at line 2")
                  .endsWith("  - ... and 480 more problems");
            });
  }

  @Test
  void acceptsDayNamesInAnyCaseAndRanges() {
    OptIn optIn =
        OptInParser.parse("enabled: true\nmergeWindow: {days: [mon-wed, Friday, sun]}\n", "f");

    assertThat(optIn.mergeWindow().days())
        .containsExactlyInAnyOrder(
            DayOfWeek.MONDAY,
            DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY,
            DayOfWeek.FRIDAY,
            DayOfWeek.SUNDAY);
  }

  @Test
  void aRangeMayWrapTheWeekend() {
    OptIn optIn = OptInParser.parse("enabled: true\nmergeWindow: {days: [FRI-MON]}\n", "f");

    assertThat(optIn.mergeWindow().days())
        .containsExactlyInAnyOrder(
            DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
  }

  @Test
  void defaultsAWindowWithoutTimezoneDaysOrHoursToUtcEveryDayAllDay() {
    MergeWindow window =
        OptInParser.parse("enabled: true\nmergeWindow: {hours: \"09:00-17:00\"}\n", "f")
            .mergeWindow();
    assertThat(window.timezone()).isEqualTo(ZoneOffset.UTC);
    assertThat(window.days()).hasSize(7);

    MergeWindow days =
        OptInParser.parse("enabled: true\nmergeWindow: {days: [SAT]}\n", "f").mergeWindow();
    assertThat(days.from()).isEqualTo(LocalTime.MIDNIGHT);
    assertThat(days.to()).isEqualTo(LocalTime.MAX);
  }

  @Test
  void readsTwentyFourAsTheEndOfTheDay() {
    MergeWindow window =
        OptInParser.parse("enabled: true\nmergeWindow: {hours: \"18:00-24:00\"}\n", "f")
            .mergeWindow();
    assertThat(window.from()).isEqualTo(LocalTime.of(18, 0));
    assertThat(window.to()).isEqualTo(LocalTime.MAX);
  }

  @Test
  void refusesTwentyFourAsAStart() {
    assertThatThrownBy(
            () -> OptInParser.parse("enabled: true\nmergeWindow: {hours: \"24:00-06:00\"}\n", "f"))
        .hasMessageContaining("hours '24:00-06:00' at line 2 must be HH:MM-HH:MM in 24-hour time");
  }

  @Test
  void keepsDuplicateListEntriesOnce() {
    assertThat(OptInParser.parse("enabled: true\nlabels: [deps, deps, ci]\n", "f").labels())
        .containsExactly("deps", "ci");
  }

  @Test
  void readsUtf8WithAByteOrderMarkAndNonAsciiValues() {
    byte[] bytes =
        "\uFEFFenabled: true\nreviewers: [bl\u00e6kspr\u00f8jte]\n"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(OptInParser.parse(bytes, "f").reviewers()).containsExactly("bl\u00e6kspr\u00f8jte");
  }

  @Test
  void refusesANulCharacterInText() {
    assertThatThrownBy(() -> OptInParser.parse("enabled: true\n\0", "f"))
        .hasMessage(
            "f:2: contains a NUL byte at line 2, so it is binary, not YAML text; replace it with a"
                + " UTF-8 text file");
  }
}
