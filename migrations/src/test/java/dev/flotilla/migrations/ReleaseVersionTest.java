package dev.flotilla.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseVersionTest {

  @Test
  void comparesGitTagsNumberByNumber() {
    assertThat(compare("v4", "v4.1")).isNegative();
    assertThat(compare("v4.1", "v4.1.2")).isNegative();
    assertThat(compare("v4.1.2", "v10")).isNegative();
    assertThat(compare("v7", "v4")).isPositive();
    assertThat(compare("v4", "4.0.0")).isZero();
  }

  @Test
  void aReleaseIsAboveItsPreReleases() {
    assertThat(compare("v5.0.0-beta.1", "v5.0.0")).isNegative();
    assertThat(compare("v5.0.0-beta.1", "v4.9")).isPositive();
    assertThat(compare("v5.0.0-beta.1", "v5.0.0-beta.2")).isNegative();
  }

  @Test
  void branchesAreNotVersions() {
    assertThat(ReleaseVersion.ofGitRef("main")).isEmpty();
    assertThat(ReleaseVersion.ofGitRef("release/v1")).isEmpty();
  }

  @Test
  void imageTagsCompareOnlyWithinTheirVariant() {
    assertThat(ReleaseVersion.ofImageTag("21-jre").orElseThrow()
        .compareAsImageTag(ReleaseVersion.ofImageTag("17-jre").orElseThrow())).contains(1);
    assertThat(ReleaseVersion.ofImageTag("3.19").orElseThrow()
        .compareAsImageTag(ReleaseVersion.ofImageTag("3.9").orElseThrow())).contains(1);
    assertThat(ReleaseVersion.ofImageTag("21-jdk").orElseThrow()
        .compareAsImageTag(ReleaseVersion.ofImageTag("17-jre").orElseThrow())).isEmpty();
    assertThat(ReleaseVersion.ofImageTag("latest")).isEmpty();
  }

  private static int compare(String a, String b) {
    return ReleaseVersion.ofGitRef(a).orElseThrow().compareAsGitRef(ReleaseVersion.ofGitRef(b).orElseThrow());
  }
}
