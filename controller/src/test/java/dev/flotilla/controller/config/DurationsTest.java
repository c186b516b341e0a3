package dev.flotilla.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void readsShortFormsCombinationsAndIso() {
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("3d")).isEqualTo(Duration.ofDays(3));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("P3D")).isEqualTo(Duration.ofDays(3));
    assertThat(Durations.parse(" 72h ")).isEqualTo(Duration.ofHours(72));
  }

  @Test
  void refusesWhatIsNotADurationSayingWhatToWrite() {
    for (String bad :
        new String[] {
          "", "10", "ten minutes", "3 days", "10M", "PT", "-5m", "99999999999999999999d"
        }) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("30s, 10m, 2h, 3d");
    }
  }

  @Test
  void formatsShortestForm() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofDays(3))).isEqualTo("3d");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
