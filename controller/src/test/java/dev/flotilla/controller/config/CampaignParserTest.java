package dev.flotilla.controller.config;

import dev.flotilla.controller.model.CampaignSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.migration.Migrations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignParserTest {

  private static final Migrations MIGRATIONS = TestMigrations.registry();

  @Test
  void readsEveryFieldOfTheDesignExample() {
    CampaignSpec campaign =
        CampaignParser.parse(
            """
apiVersion: flotilla.dev/v1
kind: Campaign
metadata: {name: jackson-2-18}
spec:
  migration: maven-dependency-version
  parameters: {groupId: com.fasterxml.jackson.core, artifactId: jackson-databind, version: 2.18.2}
  schedule: "0 0 6 ? * MON-FRI"
  automerge: true
  allowNoChecks: true
  rollout: {waves: ["5", "25%", "100%"], haltOnFailureRate: 0.2, waveGracePeriod: 72h}
  limits: {concurrentRuns: 10, pullRequestsPerHour: 60, openPullRequests: 100}
  rebaseAfter: 7d
""",
            "jackson.yaml", MIGRATIONS);

    assertThat(campaign)
        .isEqualTo(
            new CampaignSpec(
                "jackson-2-18",
                "maven-dependency-version",
                Map.of(
                    "groupId",
                    "com.fasterxml.jackson.core",
                    "artifactId",
                    "jackson-databind",
                    "version",
                    "2.18.2"),
                "0 0 6 ? * MON-FRI",
                true,
                true,
                new CampaignSpec.Rollout(List.of("5", "25%", "100%"), 0.2, Duration.ofHours(72)),
                new CampaignSpec.Limits(10, 60, 100),
                Duration.ofDays(7)));
  }

  @Test
  void readsVerifiersThePostMergeWatchAndTheRunnerImage() {
    CampaignSpec campaign =
        CampaignParser.parse(
            """
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: editorconfig}
            spec:
              migration: add-editorconfig
              allowNoChecks: true
              runnerImage: ghcr.io/acme/flotilla-runner-jdk21:1.4
              verifiers:
                - {name: build, command: mvn -B -q verify, when: pom.xml, timeout: 15m}
                - {name: lint, command: ./lint.sh}
              postMerge: {watch: 30m, haltOnFailureRate: 0.1, deployments: [production, staging]}
            """,
            "c.yaml",
            MIGRATIONS);

    assertThat(campaign.verifiers()).containsExactly(
        new CampaignSpec.Verifier("build", "mvn -B -q verify", "pom.xml", Duration.ofMinutes(15)),
        new CampaignSpec.Verifier("lint", "./lint.sh", null, CampaignSpec.Verifier.DEFAULT_TIMEOUT));
    assertThat(campaign.postMerge()).isEqualTo(new CampaignSpec.PostMerge(Duration.ofMinutes(30), 0.1, List.of("production", "staging")));
    assertThat(campaign.runnerImage()).isEqualTo("ghcr.io/acme/flotilla-runner-jdk21:1.4");
    assertThat(campaign.allowNoChecks()).isTrue();
  }

  @Test
  void reportsEveryBadVerifierAndWatchWithItsLine() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: editorconfig}
                    spec:
                      migration: add-editorconfig
                      verifiers:
                        - {name: build}
                        - {command: make}
                      postMerge: {watch: soon}
                    """,
                    "c.yaml",
                    MIGRATIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("verifier 'build' at line 7 has no 'command'")
        .hasMessageContaining("a verifier at line 8 has no 'name'")
        .hasMessageContaining("'watch' at line 9 must be a duration");
  }

  @Test
  void reportsDeploymentsThatAreNotAListOfEnvironmentsWithTheirLine() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: editorconfig}
                    spec:
                      migration: add-editorconfig
                      postMerge:
                        watch: 30m
                        deployments: production
                    """,
                    "c.yaml",
                    MIGRATIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'deployments' at line 8 must be a list such as [production], got 'production'");
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: editorconfig}
                    spec:
                      migration: add-editorconfig
                      postMerge: {watch: 30m, deployments: [production, ""]}
                    """,
                    "c.yaml",
                    MIGRATIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("an item of 'deployments' at line 6 must be a single non-empty value");
  }

  @Test
  void defaultsToNoMergingAndOneWaveRunOnce() {
    CampaignSpec campaign =
        CampaignParser.parse(
            """
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: editorconfig}
            spec: {migration: add-editorconfig}
            """,
            "c.yaml",
            MIGRATIONS);

    assertThat(campaign.automerge()).isFalse();
    assertThat(campaign.allowNoChecks()).isFalse();
    assertThat(campaign.schedule()).isNull();
    assertThat(campaign.rollout()).isEqualTo(CampaignSpec.Rollout.DEFAULT);
    assertThat(campaign.limits()).isEqualTo(CampaignSpec.Limits.DEFAULT);
    assertThat(campaign.rebaseAfter()).isNull();
    assertThat(campaign.parameters()).isEmpty();
    assertThat(campaign.verifiers()).isEmpty();
    assertThat(campaign.postMerge().watched()).isFalse();
    assertThat(campaign.postMerge().deployments()).isEmpty();
    assertThat(campaign.runnerImage()).isNull();
  }

  @Test
  void fillsLimitsThatAreLeftOutFromTheDefaults() {
    CampaignSpec campaign =
        CampaignParser.parse(
            """
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: editorconfig}
            spec: {migration: add-editorconfig, limits: {concurrentRuns: 3}}
            """,
            "c.yaml",
            MIGRATIONS);

    assertThat(campaign.limits()).isEqualTo(new CampaignSpec.Limits(3, 60, 100));
  }

  @Test
  void keepsVersionLikeParametersAsWrittenAndTypesBooleansAndNumbers() {
    CampaignSpec campaign =
        CampaignParser.parse(
            """
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: v}
            spec:
              migration: maven-dependency-version
              parameters: {groupId: g, artifactId: a, version: 2.10}
            """,
            "c.yaml",
            MIGRATIONS);

    assertThat(campaign.parameters()).containsEntry("version", "2.10");
  }

  @Test
  void readsSeveralCampaignsFromOneFile() {
    List<CampaignSpec> campaigns =
        CampaignParser.parseAll(
            """
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: one}
            spec: {migration: add-editorconfig}
            ---
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: two}
            spec: {migration: add-editorconfig, automerge: true}
            """,
            "c.yaml",
            MIGRATIONS);

    assertThat(campaigns).extracting(CampaignSpec::name).containsExactly("one", "two");
  }

  @Test
  void refusesAFileWithSeveralCampaignsWhereOneIsExpected() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: one}
                    spec: {migration: add-editorconfig}
                    ---
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: two}
                    spec: {migration: add-editorconfig}
                    """,
                    "api",
                    MIGRATIONS))
        .hasMessage("api: holds 2 campaigns; give exactly one 'kind: Campaign' document");
  }

  @Test
  void refusesANulCharacterInAParameterNamingItsKeyAndLine() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: editorconfig}
                    spec:
                      migration: add-editorconfig
                      parameters: {template: "x\\0y"}
                    """,
                    "c.yaml",
                    MIGRATIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "c.yaml:6: 'spec.parameters.template' at line 6 holds a NUL character (\\0), which Flotilla"
                + " cannot store; remove it");
  }

  @Test
  void listsEveryParameterProblemEachWithItsName() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: jackson}
                    spec:
                      migration: maven-dependency-version
                      parameters:
                        groupId: [a, b]
                        artifact: jackson-databind
                        version: 2.18.2
                    """,
                    "jackson.yaml",
                    MIGRATIONS))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        """
jackson.yaml: 3 problems:
  - parameter 'artifactId' at line 6: is required (artifact id)
  - parameter 'groupId' at line 7: must be a string, got a list
  - parameter 'artifact' at line 8: unknown parameter for migration 'maven-dependency-version'; \
known parameters: groupId, artifactId, version"""));
  }

  @Test
  void reportsProblemsOfEveryDocumentOfAFileTogether() {
    assertThatThrownBy(
            () ->
                CampaignParser.parseAll(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: Bad_Name}
                    spec: {migration: add-editorconfig}
                    ---
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: good}
                    spec: {migration: add-editorconfig, rollout: {waves: ["0"]}}
                    """,
                    "c.yaml",
                    MIGRATIONS))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException.Problem::line)
                    .containsExactly(3, 9));
  }

  @Test
  void reportsQuartzOwnReasonForABadSchedule() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: c}
                    spec: {migration: add-editorconfig, schedule: "0 0 6 * * MON-FRI"}
                    """,
                    "c.yaml",
                    MIGRATIONS))
        .hasMessageContaining(
            "schedule '0 0 6 * * MON-FRI' at line 4 is not a Quartz cron expression (Support for"
                + " specifying both a day-of-week AND a day-of-month parameter is not"
                + " implemented.)");
  }

  @Test
  void allowsWavesToMixCountsAndShares() {
    CampaignSpec campaign =
        CampaignParser.parse(
            """
apiVersion: flotilla.dev/v1
kind: Campaign
metadata: {name: c}
spec: {migration: add-editorconfig, rollout: {waves: [1, 10, "10%", "50%", "100%"], haltOnFailureRate: 0}}
""",
            "c.yaml", MIGRATIONS);

    assertThat(campaign.rollout().waves()).containsExactly("1", "10", "10%", "50%", "100%");
    assertThat(campaign.rollout().haltOnFailureRate()).isZero();
  }

  @Test
  void readsPausedAndCancelPolicyWithDefaults() {
    CampaignSpec given = CampaignParser.parse(
        """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: c}
        spec: {migration: add-editorconfig, paused: true, cancelPolicy: closePullRequests}
        """, "c.yaml", MIGRATIONS);
    CampaignSpec defaults = CampaignParser.parse(
        """
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: c}
        spec: {migration: add-editorconfig}
        """, "c.yaml", MIGRATIONS);

    assertThat(given.paused()).isTrue();
    assertThat(given.cancelPolicy()).isEqualTo(CampaignSpec.CancelPolicy.CLOSE_PULL_REQUESTS);
    assertThat(defaults.paused()).isFalse();
    assertThat(defaults.cancelPolicy()).isEqualTo(CampaignSpec.CancelPolicy.KEEP_PULL_REQUESTS);
  }

  @Test
  void refusesAnUnknownCancelPolicy() {
    assertThatThrownBy(() -> CampaignParser.parse(
            """
            apiVersion: flotilla.dev/v1
            kind: Campaign
            metadata: {name: c}
            spec: {migration: add-editorconfig, cancelPolicy: burnIt}
            """, "c.yaml", MIGRATIONS))
        .hasMessage("c.yaml:4: 'cancelPolicy' at line 4 must be keepPullRequests or closePullRequests, got 'burnIt'");
  }

  @Test
  void refusesAZeroRebaseInterval() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: c}
                    spec: {migration: add-editorconfig, rebaseAfter: 0s}
                    """,
                    "c.yaml",
                    MIGRATIONS))
        .hasMessage("c.yaml:4: 'rebaseAfter' at line 4 must be more than 0, got '0s'");
  }

  @Test
  void saysWhenNoMigrationsAreOnTheClasspath() {
    assertThatThrownBy(
            () ->
                CampaignParser.parse(
                    """
                    apiVersion: flotilla.dev/v1
                    kind: Campaign
                    metadata: {name: c}
                    spec: {migration: add-editorconfig}
                    """,
                    "c.yaml",
                    Migrations.of(List.of())))
        .hasMessageContaining("known migrations: (none on the classpath)");
  }
}
