package dev.flotilla.migrations;

import static dev.flotilla.migration.testkit.RewriteTest.crlf;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.testkit.SourceSpec;
import dev.flotilla.migration.DirectoryWorkspace;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenDependencyVersionTest {

  private final MavenDependencyVersion migration = new MavenDependencyVersion();

  private static Parameters jackson(String version) {
    return params("groupId", "com.fasterxml.jackson.core", "artifactId", "jackson-databind", "version", version);
  }

  @Test
  void skipsAPomTooLargeToReadWithANote(@TempDir Path repo) throws IOException {
    Files.createDirectories(repo.resolve("generated"));
    try (RandomAccessFile huge = new RandomAccessFile(repo.resolve("generated/pom.xml").toFile(), "rw")) {
      huge.setLength(300L * 1024 * 1024);
    }

    Outcome outcome = migration.apply(new DirectoryWorkspace(repo, "acme", "demo"), jackson("2.17.2"));

    assertThat(outcome.message())
        .contains("skipped generated/pom.xml: 'generated/pom.xml' is 300 MiB, larger than the 16 MiB");
  }

  @Test
  void setsALiteralVersionKeepingCommentsAndOddWhitespace() {
    Outcome outcome =
        rewrite(
            migration,
            jackson("2.18.2"),
            file(
                "pom.xml",
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Service pom. Do not reformat: <version>1.0</version> -->
                <project xmlns="http://maven.apache.org/POM/4.0.0"   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                    <modelVersion>4.0.0</modelVersion>
                  <groupId>com.acme</groupId> <artifactId>demo</artifactId><version>1.0.0-SNAPSHOT</version>
                  <dependencies>
                    <dependency>
                      <artifactId>jackson-databind</artifactId>  <!-- artifactId first, on purpose -->
                      <groupId>com.fasterxml.jackson.core</groupId>
                      <version>
                          2.15.0
                      </version>
                      <scope>compile</scope>
                    </dependency>
                    <dependency>
                      <groupId>com.fasterxml.jackson.core</groupId>
                      <artifactId>jackson-core</artifactId>
                      <version>2.15.0</version>
                    </dependency>
                  </dependencies>
                </project>
                """,
                """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Service pom. Do not reformat: <version>1.0</version> -->
                <project xmlns="http://maven.apache.org/POM/4.0.0"   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                    <modelVersion>4.0.0</modelVersion>
                  <groupId>com.acme</groupId> <artifactId>demo</artifactId><version>1.0.0-SNAPSHOT</version>
                  <dependencies>
                    <dependency>
                      <artifactId>jackson-databind</artifactId>  <!-- artifactId first, on purpose -->
                      <groupId>com.fasterxml.jackson.core</groupId>
                      <version>
                          2.18.2
                      </version>
                      <scope>compile</scope>
                    </dependency>
                    <dependency>
                      <groupId>com.fasterxml.jackson.core</groupId>
                      <artifactId>jackson-core</artifactId>
                      <version>2.15.0</version>
                    </dependency>
                  </dependencies>
                </project>
                """));

    assertThat(outcome.message()).isEqualTo("set com.fasterxml.jackson.core:jackson-databind to 2.18.2 in 1 pom");
  }

  @Test
  void changesAPropertyDefinedInTheSamePom() {
    rewrite(
        migration,
        jackson("2.18.2"),
        file(
            "pom.xml",
            """
            <project>
              <properties>
                <java.version>17</java.version>
                <jackson-databind.version>2.17.1</jackson-databind.version> <!-- bump with care -->
              </properties>
              <dependencies>
                <dependency>
                  <groupId>com.fasterxml.jackson.core</groupId>
                  <artifactId>jackson-databind</artifactId>
                  <version>${jackson-databind.version}</version>
                </dependency>
              </dependencies>
            </project>
            """,
            """
            <project>
              <properties>
                <java.version>17</java.version>
                <jackson-databind.version>2.18.2</jackson-databind.version> <!-- bump with care -->
              </properties>
              <dependencies>
                <dependency>
                  <groupId>com.fasterxml.jackson.core</groupId>
                  <artifactId>jackson-databind</artifactId>
                  <version>${jackson-databind.version}</version>
                </dependency>
              </dependencies>
            </project>
            """));
  }

  @Test
  void changesAPropertyWhereTheParentPomInTheRepositoryDefinesIt() {
    Outcome outcome =
        rewrite(
            migration,
            jackson("2.18.2"),
            file(
                "pom.xml",
                """
                <project>
                  <groupId>com.acme</groupId>
                  <artifactId>parent</artifactId>
                  <version>1.0</version>
                  <packaging>pom</packaging>
                  <modules><module>api</module><module>core</module></modules>
                  <properties>
                    <databind.version>2.16.0</databind.version>
                  </properties>
                </project>
                """,
                """
                <project>
                  <groupId>com.acme</groupId>
                  <artifactId>parent</artifactId>
                  <version>1.0</version>
                  <packaging>pom</packaging>
                  <modules><module>api</module><module>core</module></modules>
                  <properties>
                    <databind.version>2.18.2</databind.version>
                  </properties>
                </project>
                """),
            file(
                "api/pom.xml",
                """
                <project>
                  <parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0</version></parent>
                  <artifactId>api</artifactId>
                  <dependencies>
                    <dependency>
                      <groupId>com.fasterxml.jackson.core</groupId>
                      <artifactId>jackson-databind</artifactId>
                      <version>${databind.version}</version>
                    </dependency>
                  </dependencies>
                </project>
                """),
            file(
                "core/pom.xml",
                """
                <project>
                  <parent><groupId>com.acme</groupId><artifactId>parent</artifactId><version>1.0</version></parent>
                  <artifactId>core</artifactId>
                  <dependencies>
                    <dependency><groupId>com.acme</groupId><artifactId>api</artifactId><version>${project.version}</version></dependency>
                  </dependencies>
                </project>
                """));

    assertThat(outcome.message()).startsWith("set com.fasterxml.jackson.core:jackson-databind to 2.18.2 in 1 pom");
  }

  @Test
  void findsAParentThroughItsRelativePathOrItsCoordinates() {
    String parent =
        """
        <project>
          <groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>3</version>
          <properties><jackson.databind>2.10.0</jackson.databind></properties>
        </project>
        """;
    String child =
        """
        <project>
          <parent>
            <groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>3</version>
            %s
          </parent>
          <artifactId>%s</artifactId>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.databind}</version></dependency>
          </dependencies>
        </project>
        """;

    rewrite(
        migration,
        jackson("2.18.2"),
        file("build/parent/pom.xml", parent, parent.replace("2.10.0", "2.18.2")),
        file("services/a/pom.xml", child.formatted("<relativePath>../../build/parent</relativePath>", "a")),
        file("services/b/pom.xml", child.formatted("<relativePath/>", "b")));
  }

  @Test
  void leavesAPropertyDefinedOutsideTheRepositoryAndSaysSo() {
    String pom =
        """
        <project>
          <parent>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-parent</artifactId>
            <version>3.3.0</version>
            <relativePath/>
          </parent>
          <artifactId>demo</artifactId>
          <dependencies>
            <dependency>
              <groupId>com.fasterxml.jackson.core</groupId>
              <artifactId>jackson-databind</artifactId>
              <version>${jackson.version}</version>
            </dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("pom.xml", pom));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.UNCHANGED);
    assertThat(outcome.message())
        .contains("${jackson.version}", "outside the repository", "org.springframework.boot:spring-boot-starter-parent");
  }

  @Test
  void updatesDependencyManagementAndLeavesManagedUsesWithoutAVersionAlone() {
    rewrite(
        migration,
        jackson("2.18.2"),
        file(
            "pom.xml",
            """
            <project>
              <groupId>com.acme</groupId><artifactId>root</artifactId><version>1</version>
              <dependencyManagement>
                <dependencies>
                  <dependency>
                    <groupId>com.fasterxml.jackson.core</groupId>
                    <artifactId>jackson-databind</artifactId>
                    <version>2.13.4.2</version>
                  </dependency>
                </dependencies>
              </dependencyManagement>
            </project>
            """,
            """
            <project>
              <groupId>com.acme</groupId><artifactId>root</artifactId><version>1</version>
              <dependencyManagement>
                <dependencies>
                  <dependency>
                    <groupId>com.fasterxml.jackson.core</groupId>
                    <artifactId>jackson-databind</artifactId>
                    <version>2.18.2</version>
                  </dependency>
                </dependencies>
              </dependencyManagement>
            </project>
            """),
        file(
            "app/pom.xml",
            """
            <project>
              <parent><groupId>com.acme</groupId><artifactId>root</artifactId><version>1</version></parent>
              <artifactId>app</artifactId>
              <dependencies>
                <dependency>
                  <groupId>com.fasterxml.jackson.core</groupId>
                  <artifactId>jackson-databind</artifactId>
                </dependency>
              </dependencies>
            </project>
            """));
  }

  @Test
  void updatesPluginDependenciesAndProfiles() {
    Outcome outcome =
        rewrite(
            migration,
            params("groupId", "com.puppycrawl.tools", "artifactId", "checkstyle", "version", "10.20.1"),
            file(
                "pom.xml",
                """
                <project>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-checkstyle-plugin</artifactId>
                        <version>3.6.0</version>
                        <dependencies>
                          <dependency><groupId>com.puppycrawl.tools</groupId><artifactId>checkstyle</artifactId><version>10.12.0</version></dependency>
                        </dependencies>
                      </plugin>
                    </plugins>
                  </build>
                  <profiles>
                    <profile>
                      <id>strict</id>
                      <dependencies>
                        <dependency><groupId>com.puppycrawl.tools</groupId><artifactId>checkstyle</artifactId><version>9.3</version></dependency>
                      </dependencies>
                      <build><pluginManagement><plugins><plugin>
                        <artifactId>maven-checkstyle-plugin</artifactId>
                        <dependencies>
                          <dependency><groupId>com.puppycrawl.tools</groupId><artifactId>checkstyle</artifactId><version>10.0</version></dependency>
                        </dependencies>
                      </plugin></plugins></pluginManagement></build>
                    </profile>
                  </profiles>
                </project>
                """,
                """
                <project>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-checkstyle-plugin</artifactId>
                        <version>3.6.0</version>
                        <dependencies>
                          <dependency><groupId>com.puppycrawl.tools</groupId><artifactId>checkstyle</artifactId><version>10.20.1</version></dependency>
                        </dependencies>
                      </plugin>
                    </plugins>
                  </build>
                  <profiles>
                    <profile>
                      <id>strict</id>
                      <dependencies>
                        <dependency><groupId>com.puppycrawl.tools</groupId><artifactId>checkstyle</artifactId><version>10.20.1</version></dependency>
                      </dependencies>
                      <build><pluginManagement><plugins><plugin>
                        <artifactId>maven-checkstyle-plugin</artifactId>
                        <dependencies>
                          <dependency><groupId>com.puppycrawl.tools</groupId><artifactId>checkstyle</artifactId><version>10.20.1</version></dependency>
                        </dependencies>
                      </plugin></plugins></pluginManagement></build>
                    </profile>
                  </profiles>
                </project>
                """));

    assertThat(outcome.isChanged()).isTrue();
  }

  @Test
  void keepsCrlfLineEndings() {
    String before =
        crlf(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <project>
              <dependencies>
                <dependency>
                  <groupId>com.fasterxml.jackson.core</groupId>
                  <artifactId>jackson-databind</artifactId>
                  <version>2.9.10</version>
                </dependency>
              </dependencies>
            </project>
            """);

    rewrite(migration, jackson("2.18.2"), file("pom.xml", before, before.replace("2.9.10", "2.18.2")));
  }

  @Test
  void keepsTabsAndAByteOrderMarkAndLatin1Bytes() {
    String pom =
        "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project>\n\t<dependencies>\n\t\t<dependency>\n"
            + "\t\t\t<groupId>com.fasterxml.jackson.core</groupId>\n\t\t\t<artifactId>jackson-databind</artifactId>\n"
            + "\t\t\t<version>2.12.0</version>\t<!-- tab before me -->\n\t\t</dependency>\n\t</dependencies>\n</project>\n";
    String latin1 = pom.replace("\uFEFF", "").replace("UTF-8", "ISO-8859-1").replace("tab before me", "caf\u00e9");

    rewrite(
        migration,
        jackson("2.18.2"),
        file("pom.xml", pom, pom.replace("2.12.0", "2.18.2")),
        new SourceSpec(
            "legacy/pom.xml",
            latin1.getBytes(StandardCharsets.ISO_8859_1),
            latin1.replace("2.12.0", "2.18.2").getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void refusesToDowngradeAndChangesNothing() {
    String pom =
        """
        <project>
          <properties><databind.version>2.19.0-rc1</databind.version></properties>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${databind.version}</version></dependency>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>3.0.0</version><classifier>x</classifier></dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("pom.xml", pom));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.UNCHANGED);
    assertThat(outcome.message())
        .contains("left ${databind.version} in pom.xml as is: already at 2.19.0-rc1, newer than 2.18.2")
        .contains("left com.fasterxml.jackson.core:jackson-databind in pom.xml line 5 as is: already at 3.0.0, newer than 2.18.2")
        .contains("allowDowngrade: true");
  }

  @Test
  void upgradesASnapshotToItsRelease() {
    String pom =
        """
        <project><dependencies>
          <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.18.2-SNAPSHOT</version></dependency>
        </dependencies></project>
        """;

    rewrite(migration, jackson("2.18.2"), file("pom.xml", pom, pom.replace("2.18.2-SNAPSHOT", "2.18.2")));
  }

  @Test
  void downgradesWhenAllowed() {
    String pom =
        """
        <project><dependencies>
          <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.19.0</version></dependency>
        </dependencies></project>
        """;

    rewrite(
        migration,
        params(
            "groupId", "com.fasterxml.jackson.core",
            "artifactId", "jackson-databind",
            "version", "2.18.2",
            "allowDowngrade", "true"),
        file("pom.xml", pom, pom.replace("2.19.0", "2.18.2")));
  }

  @Test
  void changesNothingWhenAlreadyAtTheVersion() {
    String pom =
        """
        <project><dependencies>
          <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.18.2</version></dependency>
          <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.18.2.0</version><type>test-jar</type></dependency>
        </dependencies></project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("pom.xml", pom));

    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void isNotApplicableWhenTheDependencyIsAbsent() {
    Outcome outcome =
        rewrite(
            migration,
            jackson("2.18.2"),
            file(
                "pom.xml",
                """
                <project><dependencies>
                  <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-core</artifactId><version>2.15.0</version></dependency>
                </dependencies></project>
                """));

    assertThat(outcome)
        .isEqualTo(
            Outcome.notApplicable(
                "com.fasterxml.jackson.core:jackson-databind is not declared as a dependency, plugin, extension or parent in pom.xml"));
  }

  @Test
  void isNotApplicableWithoutAPom() {
    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("build.gradle", "dependencies {}\n"));

    assertThat(outcome).isEqualTo(Outcome.notApplicable("no pom.xml"));
  }

  @Test
  void isNotApplicableWhenTheVersionIsManagedOutsideTheRepository() {
    Outcome outcome =
        rewrite(
            migration,
            jackson("2.18.2"),
            file(
                "pom.xml",
                """
                <project><dependencies>
                  <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId></dependency>
                </dependencies></project>
                """));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.NOT_APPLICABLE);
    assertThat(outcome.message()).contains("without a version");
  }

  @Test
  void leavesAPropertySharedWithOtherArtifactsAndNamesThem() {
    String pom =
        """
        <project>
          <properties><jackson.version>2.15.0</jackson.version></properties>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.version}</version></dependency>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-core</artifactId><version>${jackson.version}</version></dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("pom.xml", pom));

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.UNCHANGED);
    assertThat(outcome.message())
        .isEqualTo(
            "left ${jackson.version} in pom.xml as is: it is also the version of com.fasterxml.jackson.core:jackson-core,"
                + " which this change does not include (select them too, with a glob or `artifacts`, to move them together)");
  }

  @Test
  void changesAPropertyUsedOnlyByTheTargetInSeveralPlaces() {
    String parent =
        """
        <project>
          <groupId>com.acme</groupId><artifactId>root</artifactId><version>1</version>
          <properties><databind>2.15.0</databind></properties>
          <dependencyManagement><dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${databind}</version></dependency>
          </dependencies></dependencyManagement>
        </project>
        """;
    String child =
        """
        <project>
          <parent><groupId>com.acme</groupId><artifactId>root</artifactId><version>1</version></parent>
          <artifactId>child</artifactId>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${databind}</version><classifier>tests</classifier></dependency>
          </dependencies>
        </project>
        """;

    rewrite(
        migration,
        jackson("2.18.2"),
        file("pom.xml", parent, parent.replace("2.15.0", "2.18.2")),
        file("child/pom.xml", child));
  }

  @Test
  void leavesAPropertyThatAPluginAlsoUses() {
    String pom =
        """
        <project>
          <properties><v>1.0</v></properties>
          <dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>${v}</version></dependency></dependencies>
          <build><plugins><plugin><groupId>g</groupId><artifactId>a-maven-plugin</artifactId><version>${v}</version></plugin></plugins></build>
        </project>
        """;

    Outcome outcome = rewrite(migration, params("groupId", "g", "artifactId", "a", "version", "2.0"), file("pom.xml", pom));

    assertThat(outcome.message()).contains("also the version of g:a-maven-plugin (plugin)");
  }

  @Test
  void leavesRangesAndExpressionsAndSkipsBrokenPoms() {
    String pom =
        """
        <project><dependencies>
          <dependency><groupId>g</groupId><artifactId>a</artifactId><version>[1.0,2.0)</version></dependency>
          <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${major}.3</version><type>pom</type></dependency>
          <dependency><groupId>g</groupId><artifactId>a</artifactId><version>1.0</version><type>zip</type></dependency>
        </dependencies></project>
        """;

    Outcome outcome =
        rewrite(
            migration,
            params("groupId", "g", "artifactId", "a", "version", "2.0"),
            file("pom.xml", pom, pom.replace(">1.0</version>", ">2.0</version>")),
            file("src/test/resources/broken/pom.xml", "<project><dependencies></project>\n"));

    assertThat(outcome.message())
        .startsWith("set g:a to 2.0 in 1 pom; ")
        .contains("'[1.0,2.0)' is a range", "'${major}.3' is an expression", "skipped src/test/resources/broken/pom.xml");
  }

  @Test
  void resolvesProjectGroupIdInCoordinates() {
    String pom =
        """
        <project>
          <groupId>com.acme</groupId><artifactId>root</artifactId><version>1</version>
          <dependencies><dependency><groupId>${project.groupId}</groupId><artifactId>lib</artifactId><version>0.9</version></dependency></dependencies>
        </project>
        """;

    rewrite(
        migration,
        params("groupId", "com.acme", "artifactId", "lib", "version", "1.0"),
        file("pom.xml", pom, pom.replace("0.9", "1.0")));
  }

  @Test
  void updatesEveryDefinitionOfThePropertyInTheOwningPomIncludingProfiles() {
    String pom =
        """
        <project>
          <properties><databind.version>2.15.0</databind.version></properties>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${databind.version}</version></dependency>
          </dependencies>
          <profiles>
            <profile><id>legacy</id><properties><databind.version>2.12.7</databind.version></properties></profile>
          </profiles>
        </project>
        """;

    rewrite(
        migration,
        jackson("2.18.2"),
        file("pom.xml", pom, pom.replace("2.15.0", "2.18.2").replace("2.12.7", "2.18.2")));
  }

  @Test
  void listsOnlyTheFirstFewNotes() {
    SourceSpec[] poms = new SourceSpec[7];
    for (int i = 0; i < poms.length; i++) {
      poms[i] =
          file(
              "m" + i + "/pom.xml",
              "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>9</version></dependency></dependencies></project>");
    }

    Outcome outcome = rewrite(migration, params("groupId", "g", "artifactId", "a", "version", "1"), poms);

    assertThat(outcome.message())
        .contains("left g:a in m4/pom.xml line 1 as is: already at 9, newer than 1")
        .doesNotContain("m5/")
        .endsWith("; and 2 more");
  }

  @Test
  void reportsEveryParameterProblemAtOnce() {
    Validation validation =
        params("groupId", "com acme", "artifactId", "", "version", "${v} 1").check(migration);

    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .containsExactly("groupId", "artifactId", "version", "version");
    assertThat(params("groupId", "g", "artifactId", "a", "version", "  ").check(migration).describe())
        .isEqualTo("version: must not be blank");
    assertThat(params("groupId", "g", "artifactId", "a", "version", "[1,2)").check(migration).describe())
        .contains("not a range");
    assertThat(params("groupId", "org.x_y-z", "artifactId", "a.b", "version", "1.0-rc1").check(migration).isValid())
        .isTrue();
  }

  @Test
  void updatesTheReactorParentPropertyThatEveryModuleInherits() {
    String parent =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.acme.billing</groupId>
          <artifactId>billing-parent</artifactId>
          <version>4.2.0-SNAPSHOT</version>
          <packaging>pom</packaging>
          <modules>
            <module>billing-api</module>
            <module>billing-service</module>
            <module>tools/billing-cli</module>
          </modules>
          <properties>
            <java.version>17</java.version>
            <!-- one Jackson for every module -->
            <jackson-databind.version>2.16.1</jackson-databind.version>
          </properties>
        </project>
        """;
    String api =
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>com.acme.billing</groupId>
            <artifactId>billing-parent</artifactId>
            <version>4.2.0-SNAPSHOT</version>
          </parent>
          <artifactId>billing-api</artifactId>
          <dependencies>
            <dependency>
              <groupId>com.fasterxml.jackson.core</groupId>
              <artifactId>jackson-databind</artifactId>
              <version>${jackson-databind.version}</version>
            </dependency>
          </dependencies>
        </project>
        """;
    String cli =
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>com.acme.billing</groupId>
            <artifactId>billing-parent</artifactId>
            <version>4.2.0-SNAPSHOT</version>
            <relativePath>../../pom.xml</relativePath>
          </parent>
          <artifactId>billing-cli</artifactId>
          <dependencies>
            <dependency><groupId>com.acme.billing</groupId><artifactId>billing-api</artifactId><version>${project.version}</version></dependency>
            <dependency>
              <groupId>com.fasterxml.jackson.core</groupId>
              <artifactId>jackson-databind</artifactId>
              <version>${jackson-databind.version}</version>
              <scope>runtime</scope>
            </dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome =
        rewrite(
            migration,
            jackson("2.18.2"),
            file("pom.xml", parent, parent.replace("2.16.1", "2.18.2")),
            file("billing-api/pom.xml", api),
            file("billing-service/pom.xml", api.replace("billing-api", "billing-service")),
            file("tools/billing-cli/pom.xml", cli));

    assertThat(outcome.message()).isEqualTo("set com.fasterxml.jackson.core:jackson-databind to 2.18.2 in 1 pom");
  }

  @Test
  void updatesAnExternalParentAndLeavesTheReactorsOwnParentAlone() {
    String root =
        """
        <project>
          <parent>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-parent</artifactId>
            <version>3.3.5</version> <!-- Boot line the platform supports -->
            <relativePath/>
          </parent>
          <groupId>com.acme</groupId>
          <artifactId>orders</artifactId>
          <version>1.0.0-SNAPSHOT</version>
          <packaging>pom</packaging>
        </project>
        """;
    String module =
        """
        <project>
          <parent><groupId>com.acme</groupId><artifactId>orders</artifactId><version>1.0.0-SNAPSHOT</version></parent>
          <artifactId>orders-web</artifactId>
        </project>
        """;

    Outcome outcome =
        rewrite(
            migration,
            params("groupId", "org.springframework.boot", "artifactId", "spring-boot-starter-parent", "version", "3.4.1"),
            file("pom.xml", root, root.replace("3.3.5", "3.4.1")),
            file("orders-web/pom.xml", module));

    assertThat(outcome.message())
        .isEqualTo("set org.springframework.boot:spring-boot-starter-parent to 3.4.1 in 1 pom");

    Outcome own =
        rewrite(
            migration,
            params("groupId", "com.acme", "artifactId", "orders", "version", "2.0.0"),
            file("pom.xml", root),
            file("orders-web/pom.xml", module));

    assertThat(own)
        .isEqualTo(
            Outcome.notApplicable(
                "com.acme:orders is not declared as a dependency, plugin, extension or parent in any of the 2 build"
                    + " files; left com.acme:orders as is: it is built in this repository"));
  }

  @Test
  void updatesPluginsInBuildPluginManagementAndReportingWithMavensDefaultGroup() {
    String pom =
        """
        <project>
          <properties>
            <surefire.version>3.2.2</surefire.version>
          </properties>
          <build>
            <pluginManagement>
              <plugins>
                <plugin>
                  <artifactId>maven-surefire-plugin</artifactId>
                  <version>${surefire.version}</version>
                </plugin>
                <plugin>
                  <groupId>org.apache.maven.plugins</groupId>
                  <artifactId>maven-surefire-report-plugin</artifactId>
                  <version>3.2.2</version>
                </plugin>
              </plugins>
            </pluginManagement>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-surefire-plugin</artifactId>
                <configuration><trimStackTrace>false</trimStackTrace></configuration>
              </plugin>
            </plugins>
          </build>
          <reporting>
            <plugins>
              <plugin>
                <artifactId>maven-surefire-report-plugin</artifactId>
                <version>3.1.0</version>
              </plugin>
            </plugins>
          </reporting>
        </project>
        """;

    Outcome outcome =
        rewrite(
            migration,
            params("groupId", "org.apache.maven.plugins", "artifactId", "maven-surefire*", "version", "3.5.2"),
            file(
                "pom.xml",
                pom,
                pom.replace("<surefire.version>3.2.2", "<surefire.version>3.5.2")
                    .replace("<version>3.2.2</version>", "<version>3.5.2</version>")
                    .replace("<version>3.1.0</version>", "<version>3.5.2</version>")));

    assertThat(outcome.message())
        .isEqualTo(
            "set org.apache.maven.plugins:maven-surefire-plugin, org.apache.maven.plugins:maven-surefire-report-plugin"
                + " to 3.5.2 in 1 pom");
  }

  @Test
  void updatesBuildExtensionsAndCoreExtensions() {
    String pom =
        """
        <project>
          <build>
            <extensions>
              <extension>
                <groupId>kr.motd.maven</groupId>
                <artifactId>os-maven-plugin</artifactId>
                <version>1.7.0</version>
              </extension>
            </extensions>
          </build>
        </project>
        """;
    String extensions =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <extensions xmlns="http://maven.apache.org/EXTENSIONS/1.0.0">
          <extension>
            <groupId>kr.motd.maven</groupId>
            <artifactId>os-maven-plugin</artifactId>
            <version>1.6.2</version>
          </extension>
        </extensions>
        """;

    rewrite(
        migration,
        params("groupId", "kr.motd.maven", "artifactId", "os-maven-plugin", "version", "1.7.1"),
        file("pom.xml", pom, pom.replace("1.7.0", "1.7.1")),
        file(".mvn/extensions.xml", extensions, extensions.replace("1.6.2", "1.7.1")),
        file("docs/extensions.xml", extensions));
  }

  @Test
  void updatesABomImportThroughItsProperty() {
    String pom =
        """
        <project>
          <properties>
            <jackson-bom.version>2.15.4</jackson-bom.version>
          </properties>
          <dependencyManagement>
            <dependencies>
              <dependency>
                <groupId>com.fasterxml.jackson</groupId>
                <artifactId>jackson-bom</artifactId>
                <version>${jackson-bom.version}</version>
                <type>pom</type>
                <scope>import</scope>
              </dependency>
            </dependencies>
          </dependencyManagement>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId></dependency>
          </dependencies>
        </project>
        """;

    rewrite(
        migration,
        params("groupId", "com.fasterxml.jackson", "artifactId", "jackson-bom", "version", "2.18.2"),
        file("pom.xml", pom, pom.replace("2.15.4", "2.18.2")));
  }

  @Test
  void followsAPropertyThatNamesAnotherPropertyToWhereItIsWritten() {
    String parent =
        """
        <project>
          <groupId>com.acme</groupId><artifactId>platform</artifactId><version>7</version><packaging>pom</packaging>
          <properties>
            <jackson.line>2.17.2</jackson.line>
            <databind.version>${jackson.line}</databind.version>
          </properties>
        </project>
        """;
    String child =
        """
        <project>
          <parent><groupId>com.acme</groupId><artifactId>platform</artifactId><version>7</version></parent>
          <artifactId>search</artifactId>
          <properties><json.version>${databind.version}</json.version></properties>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${json.version}</version></dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome =
        rewrite(
            migration,
            jackson("2.18.2"),
            file("pom.xml", parent, parent.replace("2.17.2", "2.18.2")),
            file("search/pom.xml", child));

    assertThat(outcome.isChanged()).isTrue();
  }

  @Test
  void refusesAPropertyCycleAndNamesIt() {
    String pom =
        """
        <project>
          <properties>
            <jackson.version>${databind.version}</jackson.version>
            <databind.version>${jackson.version}</databind.version>
          </properties>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${databind.version}</version></dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("pom.xml", pom));

    assertThat(outcome)
        .isEqualTo(
            new Outcome(
                Outcome.Kind.UNCHANGED,
                "left com.fasterxml.jackson.core:jackson-databind in pom.xml line 7 as is: its version ${databind.version}"
                    + " is a property cycle (databind.version -> jackson.version -> databind.version)"));
  }

  @Test
  void refusesAPropertyFromAParentOutsideTheRepositoryNamingTheParent() {
    String pom =
        """
        <project>
          <parent>
            <groupId>com.acme.platform</groupId>
            <artifactId>acme-java-parent</artifactId>
            <version>12</version>
          </parent>
          <artifactId>ledger</artifactId>
          <properties><databind.version>${jackson.version}</databind.version></properties>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${databind.version}</version></dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("ledger/pom.xml", pom));

    assertThat(outcome)
        .isEqualTo(
            new Outcome(
                Outcome.Kind.UNCHANGED,
                "left ${databind.version} (through ${jackson.version}) as is: ledger/pom.xml takes it from its parent"
                    + " com.acme.platform:acme-java-parent:12, which is outside the repository; update the property"
                    + " there, or in a new parent release"));
  }

  @Test
  void refusesADowngradeSayingWhichVersionIsAhead() {
    String pom =
        """
        <project><dependencies>
          <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.19.0</version></dependency>
        </dependencies></project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("pom.xml", pom));

    assertThat(outcome)
        .isEqualTo(
            new Outcome(
                Outcome.Kind.UNCHANGED,
                "left com.fasterxml.jackson.core:jackson-databind in pom.xml line 2 as is: already at 2.19.0, newer than"
                    + " 2.18.2 (allowDowngrade: true would downgrade it)"));
  }

  @Test
  void updatesASharedPropertyWhenAGlobSelectsEveryArtifactThatUsesIt() {
    String pom =
        """
        <project>
          <properties>
            <jackson.version>2.15.3</jackson.version>
          </properties>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.version}</version></dependency>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-core</artifactId><version>${jackson.version}</version></dependency>
            <dependency><groupId>com.fasterxml.jackson.datatype</groupId><artifactId>jackson-datatype-jsr310</artifactId><version>${jackson.version}</version></dependency>
          </dependencies>
        </project>
        """;
    String after = pom.replace("2.15.3", "2.18.2");

    rewrite(
        migration,
        params("groupId", "com.fasterxml.jackson.*", "artifactId", "*", "version", "2.18.2"),
        file("pom.xml", pom, after));
    rewrite(
        migration,
        params(
            "artifacts",
            List.of("com.fasterxml.jackson.core:*", "com.fasterxml.jackson.datatype:jackson-datatype-jsr310"),
            "version",
            "2.18.2"),
        file("pom.xml", pom, after));
    Outcome partial =
        rewrite(
            migration,
            params("groupId", "com.fasterxml.jackson.core", "artifactId", "*", "version", "2.18.2"),
            file("pom.xml", pom));

    assertThat(partial.message())
        .startsWith(
            "left ${jackson.version} in pom.xml as is: it is also the version of"
                + " com.fasterxml.jackson.datatype:jackson-datatype-jsr310, which this change does not include");
  }

  @Test
  void refusesASharedPropertyThatAPluginConfigurationAlsoReads() {
    String pom =
        """
        <project>
          <properties><protobuf.version>3.25.1</protobuf.version></properties>
          <dependencies>
            <dependency><groupId>com.google.protobuf</groupId><artifactId>protobuf-java</artifactId><version>${protobuf.version}</version></dependency>
          </dependencies>
          <build><plugins><plugin>
            <groupId>org.xolstice.maven.plugins</groupId><artifactId>protobuf-maven-plugin</artifactId><version>0.6.1</version>
            <configuration>
              <!-- protoc must match ${protobuf.version} -->
              <protocArtifact>com.google.protobuf:protoc:${protobuf.version}:exe:${os.detected.classifier}</protocArtifact>
            </configuration>
          </plugin></plugins></build>
        </project>
        """;

    Outcome outcome =
        rewrite(
            migration,
            params("groupId", "com.google.protobuf", "artifactId", "protobuf-java", "version", "3.25.5"),
            file("pom.xml", pom));

    assertThat(outcome.message())
        .isEqualTo(
            "left ${protobuf.version} in pom.xml as is: it is also the version of <protocArtifact> in pom.xml line 10,"
                + " which this change does not include (select them too, with a glob or `artifacts`, to move them together)");
  }

  @Test
  void keepsTabsAndCrlfInAMultiModuleBuild() {
    String parent =
        crlf(
            "<project>\n\t<groupId>com.acme</groupId>\n\t<artifactId>root</artifactId>\n\t<version>1</version>\n"
                + "\t<properties>\n\t\t<lombok.version>1.18.30</lombok.version>\t<!-- annotation processing -->\n"
                + "\t</properties>\n\t<build>\n\t\t<pluginManagement>\n\t\t\t<plugins>\n\t\t\t\t<plugin>\n"
                + "\t\t\t\t\t<artifactId>maven-compiler-plugin</artifactId>\n\t\t\t\t\t<version>3.13.0</version>\n"
                + "\t\t\t\t\t<configuration>\n\t\t\t\t\t\t<annotationProcessorPaths>\n\t\t\t\t\t\t\t<path>\n"
                + "\t\t\t\t\t\t\t\t<groupId>org.projectlombok</groupId>\n\t\t\t\t\t\t\t\t<artifactId>lombok</artifactId>\n"
                + "\t\t\t\t\t\t\t\t<version>${lombok.version}</version>\n\t\t\t\t\t\t\t</path>\n"
                + "\t\t\t\t\t\t</annotationProcessorPaths>\n\t\t\t\t\t</configuration>\n\t\t\t\t</plugin>\n"
                + "\t\t\t</plugins>\n\t\t</pluginManagement>\n\t</build>\n</project>\n");
    String module =
        "<project>\n\t<parent>\n\t\t<groupId>com.acme</groupId>\n\t\t<artifactId>root</artifactId>\n"
            + "\t\t<version>1</version>\n\t</parent>\n\t<artifactId>app</artifactId>\n\t<dependencies>\n"
            + "\t\t<dependency>\n\t\t\t<groupId>org.projectlombok</groupId>\n\t\t\t<artifactId>lombok</artifactId>\n"
            + "\t\t\t<version>${lombok.version}</version>\n\t\t\t<scope>provided</scope>\n\t\t</dependency>\n"
            + "\t</dependencies>\n</project>\n";

    rewrite(
        migration,
        params("groupId", "org.projectlombok", "artifactId", "lombok", "version", "1.18.36"),
        file("pom.xml", parent, parent.replace("1.18.30", "1.18.36")),
        file("app/pom.xml", module));
  }

  @Test
  void readsTheFileNamesRenovatesMavenManagerReads() {
    String pom =
        """
        <project><dependencies>
          <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.9</version></dependency>
        </dependencies></project>
        """;
    String after = pom.replace("2.0.9", "2.0.16");

    Outcome outcome =
        rewrite(
            migration,
            params("groupId", "org.slf4j", "artifactId", "slf4j-api", "version", "2.0.16"),
            file("pom.xml", pom, after),
            file("release/flattened.pom.xml", pom, after),
            file("archetype/src/main/resources/pom.template.xml", pom, after),
            file("samples/mypom.xml", pom),
            file("samples/pom.xml.orig", pom));

    assertThat(outcome.message()).isEqualTo("set org.slf4j:slf4j-api to 2.0.16 in 3 poms");
  }

  @Test
  void acceptsGlobsAndListsAndStillTheSingleArtifactParameters() {
    assertThat(jackson("2.18.2").check(migration).isValid()).isTrue();
    assertThat(params("groupId", "com.fasterxml.jackson.*", "artifactId", "*", "version", "2.18.2").check(migration).isValid())
        .isTrue();
    assertThat(params("artifacts", "com.fasterxml.jackson.core:*, org.x:y", "version", "1").check(migration).isValid())
        .isTrue();
    assertThat(params("version", "1").check(migration).describe())
        .isEqualTo(
            "groupId: is required (the artifact's groupId), unless `artifacts` lists them\n"
                + "artifactId: is required (the artifact's artifactId), unless `artifacts` lists them");
    assertThat(params("groupId", "org.x", "version", "1").check(migration).describe())
        .isEqualTo("artifactId: is required with groupId (use * to match any)");
    assertThat(params("artifacts", List.of("org.x", "a:b:c", "o k:x"), "version", "1").check(migration).problems())
        .extracting(Validation.Problem::parameter)
        .containsExactly("artifacts", "artifacts", "artifacts");
  }

  @Test
  void staysPlainlyUpToDateWhenOnlyABrokenFixtureOrAnOwnModuleWasSkipped() {
    String pom =
        """
        <project>
          <groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind-examples</artifactId><version>1</version>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>2.18.2</version></dependency>
            <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind-examples</artifactId><version>1</version><classifier>data</classifier></dependency>
          </dependencies>
        </project>
        """;

    Outcome outcome =
        rewrite(
            migration,
            params("groupId", "com.fasterxml.jackson.core", "artifactId", "jackson-databind*", "version", "2.18.2"),
            file("pom.xml", pom),
            file("src/test/resources/broken/pom.xml", "<project><dependencies></project>\n"));

    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void refusesAPropertyNoPomDefinesSayingWhereItMustComeFrom() {
    String pom =
        """
        <project><dependencies>
          <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId><version>${jackson.version}</version></dependency>
        </dependencies></project>
        """;

    Outcome outcome = rewrite(migration, jackson("2.18.2"), file("pom.xml", pom));

    assertThat(outcome)
        .isEqualTo(
            new Outcome(
                Outcome.Kind.UNCHANGED,
                "left ${jackson.version} as is: no pom of the repository defines it (set with -D or in settings.xml?)"));
  }

  @Test
  void isRegisteredAsAService() {
    assertThat(Migrations.load().get("maven-dependency-version")).isInstanceOf(MavenDependencyVersion.class);
  }
}
