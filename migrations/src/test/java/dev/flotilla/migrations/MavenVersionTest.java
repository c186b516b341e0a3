package dev.flotilla.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MavenVersionTest {

  @ParameterizedTest(name = "{0} < {1}")
  @CsvSource({
    "1.0, 1.0.1",
    "2.18.2, 2.18.10",
    "1.9, 1.10",
    "1.0-SNAPSHOT, 1.0",
    "1.0-alpha-1, 1.0-alpha-2",
    "1.0-alpha-2, 1.0-beta-1",
    "1.0-beta-1, 1.0-M1",
    "1.0-M1, 1.0-M2",
    "1.0-M2, 1.0-rc1",
    "1.0-rc1, 1.0-RC2",
    "1.0-rc2, 1.0-SNAPSHOT",
    "1.0, 1.0-sp1",
    "1.0-sp1, 1.0-whatever",
    "1.0-abc, 1.0-xyz",
    "1.0, 1.0.0.1",
    "1-1, 1.1",
    "1.0-SNAPSHOT, 1.0.1-SNAPSHOT",
    "5.9.3, 5.10.0-M1",
    "3.0.0-M9, 3.0.0",
    "2.0.0.Beta1, 2.0.0.CR1",
    "2.0.0.CR1, 2.0.0.Final",
    "1.0-alpha1, 1.0",
    "31.1-android, 31.1-jre",
    "31.1-jre, 32.0.0-android",
  })
  void ordersLikeMaven(String lower, String higher) {
    assertThat(MavenVersion.parse(lower)).isLessThan(MavenVersion.parse(higher));
    assertThat(MavenVersion.parse(higher)).isGreaterThan(MavenVersion.parse(lower));
  }

  @ParameterizedTest(name = "{0} == {1}")
  @CsvSource({
    "1, 1.0",
    "1.0, 1.0.0",
    "1.0, 1-ga",
    "1.0.0.Final, 1.0.0",
    "1.0-final, 1.0-release",
    "1.0-RC1, 1.0-cr1",
    "1.0a1, 1.0-alpha-1",
    "1.0b2, 1.0-beta-2",
    "1.0m3, 1.0-milestone-3",
    "1.0-SNAPSHOT, 1.0-snapshot",
  })
  void treatsSpellingsOfOneVersionAsEqual(String a, String b) {
    assertThat(MavenVersion.parse(a)).isEqualByComparingTo(MavenVersion.parse(b));
    assertThat(MavenVersion.parse(a)).isEqualTo(MavenVersion.parse(b));
  }

  @Test
  void sortsAMixedListInMavenOrder() {
    List<String> sorted =
        List.of("1.0", "1.0-rc1", "1.0-alpha1", "1.0.1", "1.0-SNAPSHOT", "1.0-beta", "1.0-M1", "1.0-sp")
            .stream()
            .map(MavenVersion::parse)
            .sorted()
            .map(MavenVersion::toString)
            .toList();

    assertThat(sorted)
        .containsExactly("1.0-alpha1", "1.0-beta", "1.0-M1", "1.0-rc1", "1.0-SNAPSHOT", "1.0", "1.0-sp", "1.0.1");
  }

  @Test
  void comparesHugeNumbersWithoutOverflow() {
    assertThat(MavenVersion.parse("1.99999999999999999999")).isLessThan(MavenVersion.parse("1.100000000000000000000"));
  }

  /** Versions as real projects spell them, including the odd ones that trip simpler comparators. */
  private static final List<String> SPELLINGS =
      List.of(
          "1", "1.0", "1.0.0", "1.0.1", "1.0.0.1", "1.1", "1.10", "1.9", "1-1", "1-0", "1.0-1", "1.0-0",
          "2.18.2", "2.18.10", "2.18.2.1", "2.18.2-SNAPSHOT", "2.19.0-rc1", "2.19.0-RC1", "2.19.0-cr1",
          "2.13.4.2", "3.0.0-M9", "3.0.0-M10", "3.0.0", "5.10.0-M1", "5.9.3",
          "1.0-alpha", "1.0-alpha1", "1.0-alpha-1", "1.0a1", "1.0-beta", "1.0b2", "1.0-beta-2", "1.0m3",
          "1.0-milestone-3", "1.0-rc", "1.0-SNAPSHOT", "1.0-ga", "1.0-final", "1.0.Final", "1.0-release",
          "1.0-sp", "1.0-sp1", "1.0-abc", "1.0-xyz", "1.0-jre", "1.0-android", "31.1-jre", "32.0.0-android",
          "2.0.0.Beta1", "2.0.0.CR1", "2.0.0.Final", "6.4.4.Final", "9.4.53.v20231009", "12.0.1",
          "1.2.3-20240101.123456-7", "1.0.0-RC-1", "1.0.0.RELEASE", "5.3.31", "1.99999999999999999999",
          "1.100000000000000000000", "0.0.1", "0.9", "1.0-1-1", "1.0-2", "1.0.0-alpha.1", "1.0.0-beta.11",
          "4.13.2", "4.13-beta-3", "1.7.36", "2.0.0-alpha7", "1.2-beta-2-SNAPSHOT", "1.0-a", "1.0-b", "1.0-m");

  @Test
  void agreesWithMavensComparableVersionOnEveryPair() {
    List<String> disagreements = new ArrayList<>();
    for (String a : SPELLINGS) {
      for (String b : SPELLINGS) {
        int maven = Integer.signum(new ComparableVersion(a).compareTo(new ComparableVersion(b)));
        int ours = Integer.signum(MavenVersion.parse(a).compareTo(MavenVersion.parse(b)));
        if (maven != ours) {
          disagreements.add(a + " vs " + b + ": Maven " + maven + ", ours " + ours);
        }
      }
    }

    assertThat(disagreements).isEmpty();
  }
}
