package dev.flotilla.migrations;

import static dev.flotilla.migration.testkit.RewriteTest.crlf;
import static dev.flotilla.migration.testkit.RewriteTest.file;
import static dev.flotilla.migration.testkit.RewriteTest.params;
import static dev.flotilla.migration.testkit.RewriteTest.rewrite;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Validation;
import org.junit.jupiter.api.Test;

class DockerfileBaseImageTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String OLD_DIGEST = "sha256:" + "01".repeat(32);

  private final DockerfileBaseImage migration = new DockerfileBaseImage();

  @Test
  void changesOnlyMatchingStagesOfAMultiStageBuild() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "eclipse-temurin", "tag", "21-jdk-jammy"),
            file(
                "Dockerfile",
                """
                # syntax=docker/dockerfile:1.7
                # Build stage 🏗
                FROM --platform=$BUILDPLATFORM eclipse-temurin:17-jdk-jammy AS build
                WORKDIR /src
                COPY . .
                RUN ./mvnw -B package

                FROM build AS test
                RUN ./mvnw -B verify

                # Runtime: keep the JRE stage on the distroless image
                FROM gcr.io/distroless/java17-debian12 AS runtime
                COPY --from=build /src/target/app.jar /app.jar

                FROM eclipse-temurin:17-jdk-jammy AS tools   # debugging image
                ENTRYPOINT ["java", "-jar", "/app.jar"]
                """,
                """
                # syntax=docker/dockerfile:1.7
                # Build stage 🏗
                FROM --platform=$BUILDPLATFORM eclipse-temurin:21-jdk-jammy AS build
                WORKDIR /src
                COPY . .
                RUN ./mvnw -B package

                FROM build AS test
                RUN ./mvnw -B verify

                # Runtime: keep the JRE stage on the distroless image
                FROM gcr.io/distroless/java17-debian12 AS runtime
                COPY --from=build /src/target/app.jar /app.jar

                FROM eclipse-temurin:21-jdk-jammy AS tools   # debugging image
                ENTRYPOINT ["java", "-jar", "/app.jar"]
                """));

    assertThat(outcome.message()).isEqualTo("set eclipse-temurin to 21-jdk-jammy in 1 file");
  }

  @Test
  void keepsCrlfTabsAndLowercaseInstructions() {
    rewrite(
        migration,
        params("image", "node", "tag", "22-alpine"),
        file(
            "web/Dockerfile.dev",
            crlf("from\tnode:20-alpine\tas deps\r\nrun npm ci\nfrom docker.io/library/node as dev\ncmd [\"npm\", \"start\"]\n"),
            crlf("from\tnode:22-alpine\tas deps\r\nrun npm ci\nfrom docker.io/library/node:22-alpine as dev\ncmd [\"npm\", \"start\"]\n")));
  }

  @Test
  void pinsTheDigestAndHandlesRegistryPortsAndContinuations() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "localhost:5000/acme/base", "tag", "2.0", "digest", DIGEST),
            file(
                "images/api.Dockerfile",
                """
                FROM \\
                    # the shared base, see docs/base.md
                    --platform=linux/amd64 \\
                    localhost:5000/acme/base:1.9 \\
                    AS base
                RUN echo ok
                """,
                """
                FROM \\
                    # the shared base, see docs/base.md
                    --platform=linux/amd64 \\
                    localhost:5000/acme/base:2.0@%s \\
                    AS base
                RUN echo ok
                """.formatted(DIGEST)),
            file(
                "images/worker.dockerfile",
                "FROM localhost:5000/acme/base\nFROM localhost:5000/acme/base-extra:1.9\n",
                "FROM localhost:5000/acme/base:2.0@" + DIGEST + "\nFROM localhost:5000/acme/base-extra:1.9\n"));

    assertThat(outcome.message()).isEqualTo("set localhost:5000/acme/base to 2.0@" + DIGEST + " in 2 files");
  }

  @Test
  void dropsAnOldDigestWhenNoneIsGiven() {
    rewrite(
        migration,
        params("image", "ghcr.io/acme/base", "tag", "3"),
        file(
            "Dockerfile",
            "FROM ghcr.io/acme/base:2@" + OLD_DIGEST + "\nFROM ghcr.io/Acme/other:2\n",
            "FROM ghcr.io/acme/base:3\nFROM ghcr.io/Acme/other:2\n"));
  }

  @Test
  void ignoresFromLinesInsideHeredocsAndEscapeDirective() {
    rewrite(
        migration,
        params("image", "python", "tag", "3.13-slim"),
        file(
            "Dockerfile",
            """
            # escape=`
            FROM python:3.11-slim `
              AS app
            RUN <<EOF
            cat > /tmp/Dockerfile.inner
            FROM python:3.9
            EOF
            """,
            """
            # escape=`
            FROM python:3.13-slim `
              AS app
            RUN <<EOF
            cat > /tmp/Dockerfile.inner
            FROM python:3.9
            EOF
            """));
  }

  @Test
  void leavesArgTagsAloneAndSaysWhichArgToChange() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "eclipse-temurin", "tag", "21-jre"),
            file(
                "Dockerfile",
                """
                # global build arguments
                ARG REGISTRY=docker.io
                ARG JAVA_VERSION=17-jre
                FROM eclipse-temurin:${JAVA_VERSION}
                FROM ${REGISTRY}/eclipse-temurin:17-jre
                """));

    assertThat(outcome)
        .isEqualTo(
            Outcome.notApplicable(
                "the tag of eclipse-temurin comes from ARG JAVA_VERSION in Dockerfile:3; change the ARG default instead"));
  }

  @Test
  void changesLiteralTagsAndMentionsTheArgOnesItLeft() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "eclipse-temurin", "tag", "21-jre"),
            file(
                "Dockerfile",
                "ARG JAVA_VERSION=17-jre\nFROM eclipse-temurin:$JAVA_VERSION AS a\nFROM eclipse-temurin:17-jre\n",
                "ARG JAVA_VERSION=17-jre\nFROM eclipse-temurin:$JAVA_VERSION AS a\nFROM eclipse-temurin:21-jre\n"));

    assertThat(outcome.message())
        .isEqualTo("set eclipse-temurin to 21-jre in 1 file; left alone: the tag of eclipse-temurin "
            + "comes from ARG JAVA_VERSION in Dockerfile:1; change the ARG default instead");
  }

  @Test
  void changesNothingWhenEveryStageIsCurrent() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "eclipse-temurin", "tag", "21-jre"),
            file("Dockerfile", "FROM eclipse-temurin:21-jre AS run\n# FROM eclipse-temurin:17-jre\n"));

    assertThat(outcome).isEqualTo(Outcome.unchanged());
  }

  @Test
  void isNotApplicableWithoutDockerfilesOrWithoutTheImage() {
    Outcome none =
        rewrite(migration, params("image", "node", "tag", "22"), file("README.md", "FROM node:20\n"));
    Outcome other =
        rewrite(
            migration,
            params("image", "node", "tag", "22"),
            file("Dockerfile", "FROM nodejs:20\nFROM ghcr.io/acme/node:20\n"),
            file("Dockerfile.dockerignore", "FROM node:20\n"));

    assertThat(none.kind()).isEqualTo(Outcome.Kind.NOT_APPLICABLE);
    assertThat(other).isEqualTo(Outcome.notApplicable("no FROM in the Dockerfiles uses node"));
  }

  @Test
  void reportsEveryBadParameter() {
    Validation validation =
        params("image", "eclipse-temurin:17", "tag", "-bad", "digest", "md5:abc").check(migration);

    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .containsExactly("image", "tag", "digest");
    assertThat(params("image", "Eclipse-Temurin", "tag", "1").check(migration).describe())
        .contains("is not an image name");
    assertThat(params("image", "ghcr.io:443/acme/base", "tag", "1.0").check(migration).isValid()).isTrue();
  }

  @Test
  void isFoundByServiceLoaderAndDocumentsEveryParameter() {
    assertThat(Migrations.load().get(migration.id())).isInstanceOf(DockerfileBaseImage.class);
    assertThat(migration.title()).doesNotContain("${").doesNotContain("$1");
    assertThat(migration.description()).isNotBlank();
    assertThat(migration.parameters())
        .allSatisfy(p -> assertThat(p.description()).isNotBlank())
        .allSatisfy(p -> assertThat(p.example()).isNotBlank());
  }
}
