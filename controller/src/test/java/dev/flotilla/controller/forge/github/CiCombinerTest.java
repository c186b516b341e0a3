package dev.flotilla.controller.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.model.CiStatus.Check;
import dev.flotilla.controller.model.CiStatus.State;
import java.util.List;
import org.junit.jupiter.api.Test;

class CiCombinerTest {

  private static Check check(String name, State state) {
    return new Check(name, state, null, "");
  }

  @Test
  void allGreenWithEveryRequiredCheckIsSuccess() {
    assertThat(CiCombiner.combine(List.of(check("build", State.SUCCESS), check("lint", State.SUCCESS)), List.of("build")).state())
        .isEqualTo(State.SUCCESS);
  }

  @Test
  void aFailureAnywhereFailsEvenWithARequiredCheckMissing() {
    assertThat(CiCombiner.combine(List.of(check("lint", State.FAILURE)), List.of("build")).state()).isEqualTo(State.FAILURE);
  }

  @Test
  void aMissingRequiredCheckIsPendingAndListed() {
    CiStatus ci = CiCombiner.combine(List.of(check("lint", State.SUCCESS)), List.of("build"));

    assertThat(ci.state()).isEqualTo(State.PENDING);
    assertThat(ci.checks()).extracting(Check::name).containsExactly("lint", "build");
  }

  @Test
  void onlyRequiredChecksAndNothingReportedIsPendingNotNone() {
    assertThat(CiCombiner.combine(List.of(), List.of("build")).state()).isEqualTo(State.PENDING);
    assertThat(CiCombiner.combine(List.of(), List.of()).state()).isEqualTo(State.NONE);
  }
}
