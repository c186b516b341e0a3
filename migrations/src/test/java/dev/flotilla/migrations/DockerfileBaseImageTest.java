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
  void changesTagsAtTheArgDefaultsTheyComeFrom() {
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
                FROM eclipse-temurin:${JAVA_VERSION} AS run
                FROM ${REGISTRY}/eclipse-temurin:17-jre AS tools
                FROM eclipse-temurin:$JAVA_VERSION
                """,
                """
                # global build arguments
                ARG REGISTRY=docker.io
                ARG JAVA_VERSION=21-jre
                FROM eclipse-temurin:${JAVA_VERSION} AS run
                FROM ${REGISTRY}/eclipse-temurin:21-jre AS tools
                FROM eclipse-temurin:$JAVA_VERSION
                """));

    assertThat(outcome.message()).isEqualTo("set eclipse-temurin to 21-jre in 1 file");
  }

  @Test
  void changesAWholeImageReferenceHeldByAnArgKeepingItsQuotes() {
    rewrite(
        migration,
        params("image", "alpine", "tag", "3.20"),
        file(
            "build/Containerfile",
            crlf("""
                ARG BASE_IMAGE="docker.io/library/alpine:3.19"
                ARG TAG=3.19
                FROM ${BASE_IMAGE} AS base
                RUN apk add --no-cache curl

                FROM alpine:$TAG
                COPY --from=base /usr/bin/curl /usr/bin/curl
                """),
            crlf("""
                ARG BASE_IMAGE="docker.io/library/alpine:3.20"
                ARG TAG=3.20
                FROM ${BASE_IMAGE} AS base
                RUN apk add --no-cache curl

                FROM alpine:$TAG
                COPY --from=base /usr/bin/curl /usr/bin/curl
                """)));
  }

  @Test
  void changesCopyFromMountFromAndTheSyntaxDirectiveButNeverStages() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "docker/dockerfile", "tag", "1.9"),
            file(
                "Dockerfile",
                """
                # syntax=docker/dockerfile:1.7
                FROM golang:1.22 AS build
                RUN --mount=type=cache,target=/root/.cache go build ./...
                """,
                """
                # syntax=docker/dockerfile:1.9
                FROM golang:1.22 AS build
                RUN --mount=type=cache,target=/root/.cache go build ./...
                """));
    assertThat(outcome.message()).isEqualTo("set docker/dockerfile to 1.9 in 1 file");

    rewrite(
        migration,
        params("image", "ghcr.io/acme/tools", "tag", "2.4.0"),
        file(
            "deploy/api.Dockerfile",
            """
            FROM golang:1.22 AS build
            ARG TOOLS=2.3.1
            RUN --mount=type=bind,from=ghcr.io/acme/tools:${TOOLS},source=/bin,target=/tools \\
                --mount=type=cache,target=/go/pkg/mod /tools/gen ./...
            FROM gcr.io/distroless/static
            COPY --from=build /out/api /api
            COPY --link --from=ghcr.io/acme/tools:2.3.1 /bin/healthcheck /healthcheck
            COPY --from=0 /out/version /version
            """,
            """
            FROM golang:1.22 AS build
            ARG TOOLS=2.4.0
            RUN --mount=type=bind,from=ghcr.io/acme/tools:${TOOLS},source=/bin,target=/tools \\
                --mount=type=cache,target=/go/pkg/mod /tools/gen ./...
            FROM gcr.io/distroless/static
            COPY --from=build /out/api /api
            COPY --link --from=ghcr.io/acme/tools:2.4.0 /bin/healthcheck /healthcheck
            COPY --from=0 /out/version /version
            """));
  }

  @Test
  void readsEveryDockerfileAndContainerfileName() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "node", "tag", "22-alpine"),
            file("Dockerfile-prod", "FROM node:20-alpine\n", "FROM node:22-alpine\n"),
            file("web/Containerfile.dev", "FROM node:20-alpine\n", "FROM node:22-alpine\n"),
            file("web/app.Containerfile", "FROM node:20-alpine\n", "FROM node:22-alpine\n"),
            file("web/.dockerignore", "FROM node:20-alpine\n"),
            file("web/Dockerfile.dockerignore", "FROM node:20-alpine\n"));

    assertThat(outcome.message()).isEqualTo("set node to 22-alpine in 3 files");
  }

  @Test
  void neverDowngradesAComparableTag() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "eclipse-temurin", "tag", "17-jre"),
            file(
                "Dockerfile",
                "ARG JAVA=21-jre\nFROM eclipse-temurin:${JAVA} AS run\nFROM eclipse-temurin:11-jre\nFROM eclipse-temurin:21-jdk\n",
                "ARG JAVA=21-jre\nFROM eclipse-temurin:${JAVA} AS run\nFROM eclipse-temurin:17-jre\nFROM eclipse-temurin:17-jre\n"));

    assertThat(outcome.message())
        .isEqualTo("set eclipse-temurin to 17-jre in 1 file; left alone: "
            + "Dockerfile:2 eclipse-temurin:21-jre is ahead of 17-jre (never downgraded)");
  }

  @Test
  void aRepositoryOnlyAheadIsLeftAloneWithTheReason() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "alpine", "tag", "3.19"),
            file("Dockerfile", "FROM alpine:3.20\n"));

    assertThat(outcome.needsHuman()).isTrue();
    assertThat(outcome.message()).isEqualTo("left alone: Dockerfile:1 alpine:3.20 is ahead of 3.19 (never downgraded)");
  }

  @Test
  void leavesAnArgOtherImagesShareAloneAndNamesThem() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "alpine", "tag", "3.20"),
            file(
                "Dockerfile",
                """
                ARG VERSION=3.19
                FROM alpine:${VERSION} AS base
                FROM ghcr.io/acme/alpine-tools:${VERSION}
                """));

    assertThat(outcome.needsHuman()).isTrue();
    assertThat(outcome.message())
        .isEqualTo("left alone: Dockerfile:2 the tag of alpine comes from ARG VERSION (line 1), which "
            + "ghcr.io/acme/alpine-tools:3.19 (line 3) also uses; change them together by hand");
  }

  @Test
  void leavesArgsWithoutDefaultAndBuiltTagsAloneWithTheReason() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "eclipse-temurin", "tag", "21-jre"),
            file(
                "Dockerfile",
                """
                ARG JAVA_VERSION
                ARG MAJOR=17
                FROM eclipse-temurin:${JAVA_VERSION}
                FROM eclipse-temurin:${MAJOR}-jre
                """));

    assertThat(outcome.message())
        .isEqualTo("left alone: Dockerfile:3 the tag of eclipse-temurin comes from the build argument JAVA_VERSION, "
            + "which no ARG in scope gives a default; set it where the image is built instead; "
            + "Dockerfile:4 the tag of eclipse-temurin is built from ${MAJOR}-jre; change it by hand");
  }

  @Test
  void replacesADigestWhenGivenAndSaysSo() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "alpine", "tag", "3.20", "digest", DIGEST),
            file("Dockerfile", "FROM alpine:3.19@" + OLD_DIGEST + "\n", "FROM alpine:3.20@" + DIGEST + "\n"));

    assertThat(outcome.message()).isEqualTo("set alpine to 3.20@" + DIGEST + " in 1 file");
  }

  @Test
  void saysWhenItRemovedAnOldDigest() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "alpine", "tag", "3.20"),
            file("Dockerfile", "FROM alpine:3.19@" + OLD_DIGEST + "\n", "FROM alpine:3.20\n"));

    assertThat(outcome.message())
        .isEqualTo("set alpine to 3.20 in 1 file; removed the old digest from 1 use (set digest to pin the new one,"
            + " or keepPinnedDigests to leave pinned uses alone)");
  }

  @Test
  void keepsDigestPinnedUsesWhenAskedAndSaysSo() {
    Outcome outcome =
        rewrite(
            migration,
            params("image", "alpine", "tag", "3.20", "keepPinnedDigests", true),
            file(
                "Dockerfile",
                "FROM alpine:3.19@" + OLD_DIGEST + " AS pinned\nFROM alpine:3.19\n",
                "FROM alpine:3.19@" + OLD_DIGEST + " AS pinned\nFROM alpine:3.20\n"));

    assertThat(outcome.message())
        .isEqualTo("set alpine to 3.20 in 1 file; left alone: Dockerfile:1 alpine:3.19 is pinned to a digest"
            + " (keepPinnedDigests: true; give digest to move it)");
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
    assertThat(other)
        .isEqualTo(Outcome.notApplicable("no FROM, COPY --from, RUN --mount from= or # syntax in the Dockerfiles uses node"));
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
