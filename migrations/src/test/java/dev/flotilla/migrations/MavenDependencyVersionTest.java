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
        .contains("kept com.fasterxml.jackson.core:jackson-databind at 2.19.0-rc1 in pom.xml")
        .contains("at 3.0.0 in pom.xml")
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

    assertThat(outcome).isEqualTo(Outcome.notApplicable("com.fasterxml.jackson.core:jackson-databind is not declared"));
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
        .isEqualTo("left ${jackson.version} in pom.xml as is: it is also used by com.fasterxml.jackson.core:jackson-core");
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

    assertThat(outcome.message()).contains("also used by other elements of pom.xml");
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

    assertThat(outcome.message()).contains("kept g:a at 9 in m4/pom.xml").doesNotContain("m5/").endsWith("; and 2 more");
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
  void isRegisteredAsAService() {
    assertThat(Migrations.load().get("maven-dependency-version")).isInstanceOf(MavenDependencyVersion.class);
  }
}
