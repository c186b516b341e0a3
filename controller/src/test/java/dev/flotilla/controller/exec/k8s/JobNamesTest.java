package dev.flotilla.controller.exec.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobNamesTest {

  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "payments/ledger",
        "Payments/Ledger.Service",
        "team_a/my_repo.js",
        "owner/---leading-dashes",
        "9lives/123-start",
        "ünïcödé/répo-Ωmega",
        "日本/リポジトリ",
        "owner/" + "a-very-long-repository-name-that-goes-on-and-on-and-on-and-on-for-one-hundred-characters-xx",
        "..../____",
      })
  void makesAValidJobNameFromAnyRepository(String repository) {
    String name = JobNames.jobName("jackson-2.18", repository, "run-1");

    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_1123_LABEL).startsWith("flotilla-");
  }

  @Test
  void keepsTheReadablePartWhenItFits() {
    assertThat(JobNames.jobName("jackson-2.18", "Payments/Ledger_Service", "run-1"))
        .matches("flotilla-jackson-2-18-payments-ledger-service-[0-9a-f]{10}");
  }

  @Test
  void turnsAccentsIntoTheirBaseLetter() {
    assertThat(JobNames.jobName("c", "ünïcödé/répo", "r")).startsWith("flotilla-c-unicode-repo-");
  }

  @Test
  void givesTheSameNameForTheSameRunAndDistinctNamesForDistinctRuns() {
    String longRepo = "owner/" + "x".repeat(100);
    assertThat(JobNames.jobName("c", longRepo, "run-1")).isEqualTo(JobNames.jobName("c", longRepo, "run-1"));

    Set<String> names = new HashSet<>();
    for (int attempt = 0; attempt < 1000; attempt++) {
      names.add(JobNames.jobName("c", longRepo, "c/" + longRepo + "#" + attempt));
    }
    assertThat(names).hasSize(1000);
  }

  @Test
  void separatesRepositoriesWhoseNamesSanitiseAlike() {
    assertThat(JobNames.jobName("c", "a/b.c", "c/a/b.c#1")).isNotEqualTo(JobNames.jobName("c", "a/b-c", "c/a/b-c#1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "payments/ledger",
        "-starts-with-dash",
        "ends-with-dot.",
        "ünïcödé",
        "日本",
        "spaces and/slashes",
        "jackson-2.18.payments/very-long-very-long-very-long-very-long-very-long-very-long-very-long-",
      })
  void makesValidLabelValues(String value) {
    assertThat(JobNames.labelValue(value)).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE);
  }

  @Test
  void keepsLabelValuesThatAreAlreadyValid() {
    assertThat(JobNames.labelValue("jackson-2.18")).isEqualTo("jackson-2.18");
    assertThat(JobNames.labelValue("Team_A.repo")).isEqualTo("Team_A.repo");
  }
}
