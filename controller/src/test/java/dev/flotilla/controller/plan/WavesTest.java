package dev.flotilla.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WavesTest {

  @Test
  void percentagesAreOfTheEligibleFleetAndRoundUp() {
    assertThat(Waves.thresholds(List.of("10%", "100%"), 1000)).containsExactly(100, 1000);
    assertThat(Waves.thresholds(List.of("10%", "100%"), 5)).containsExactly(1, 5);
  }

  @Test
  void countsLargerThanTheFleetTakeEveryone() {
    assertThat(Waves.thresholds(List.of("100", "100%"), 40)).containsExactly(40, 40);
    assertThat(Waves.waveOf(39, Waves.thresholds(List.of("100", "100%"), 40))).isZero();
  }

  @Test
  void theLastWaveTakesTheRestEvenIfItsSizeIsSmaller() {
    assertThat(Waves.thresholds(List.of("5", "10"), 30)).containsExactly(5, 30);
    assertThat(Waves.waveOf(29, new int[] {5, 30})).isEqualTo(1);
  }

  @Test
  void anEmptyFleetHasEmptyWaves() {
    assertThat(Waves.thresholds(List.of("5", "50%", "100%"), 0)).containsExactly(0, 0, 0);
  }

  @Test
  void mixedCountsAndPercentagesAreCumulative() {
    int[] t = Waves.thresholds(List.of("100", "100%"), 1000);
    assertThat(t).containsExactly(100, 1000);
    assertThat(Waves.waveOf(99, t)).isZero();
    assertThat(Waves.waveOf(100, t)).isEqualTo(1);
    assertThat(Waves.waveOf(999, t)).isEqualTo(1);
  }
}
