package dev.flotilla.controller.demo;

import dev.flotilla.controller.demo.DemoFleet.DemoRepository;
import dev.flotilla.controller.demo.DemoFleet.PomStyle;
import dev.flotilla.controller.demo.DemoFleet.Profile;
import dev.flotilla.controller.forge.local.CommitWriter.FileContent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of one demo repository: a small Java service as teams really write them, with the
 * versions the demo campaigns move on from (jackson-databind 2.15.2, {@code actions/checkout@v3},
 * {@code eclipse-temurin:17-jre}) written in the different ways the migrations must handle, and
 * one repository already ahead ({@code actions/checkout@v7}) that the checkout campaign must not
 * downgrade.
 */
final class DemoContent {

  static final String OLD_JACKSON = "2.15.2";
  static final String NEW_JACKSON = "2.18.2";

  private DemoContent() {}

  static Map<String, FileContent> files(DemoRepository repo, int slot) {
    boolean current = repo.profile() == Profile.UP_TO_DATE;
    Map<String, FileContent> files = new LinkedHashMap<>();
    String jackson = current ? NEW_JACKSON : OLD_JACKSON;
    String sourceRoot = "src/main/java/" + packageOf(repo).replace('.', '/') + "/App.java";
    if (repo.pomStyle() == PomStyle.MULTI_MODULE) {
      files.put("pom.xml", FileContent.text(parentPom(repo, jackson)));
      files.put("api/pom.xml", FileContent.text(modulePom(repo, "api")));
      files.put("service/pom.xml", FileContent.text(modulePom(repo, "service")));
      files.put("service/" + sourceRoot, FileContent.text(app(repo)));
    } else {
      String pom = servicePom(repo, jackson);
      files.put("pom.xml", FileContent.text(repo.pomStyle() == PomStyle.LITERAL_CRLF ? pom.replace("\n", "\r\n") : pom));
      files.put(sourceRoot, FileContent.text(app(repo)));
    }
    files.put(".github/workflows/ci.yml",
        FileContent.text(workflow(repo, slot, current, repo.profile() == Profile.AHEAD_OF_CHECKOUT)));
    files.put("Dockerfile", FileContent.text(dockerfile(repo, current)));
    files.put("ci.sh", FileContent.script(switch (repo.profile()) {
      case CI_FAILS -> failingCi(repo);
      case BREAKS_AFTER_MERGE -> failsOnDefaultBranchAfterCheckoutV4(repo);
      default -> passingCi();
    }));
    files.put("README.md", FileContent.text(readme(repo)));
    String optIn = optIn(repo, slot);
    owners(repo, slot, files);
    if (optIn != null) {
      files.put(".flotilla.yaml", FileContent.text(optIn + ownerKey(repo, slot)));
    }
    return files;
  }

  /**
   * Owners from three sources, as a real fleet has them: the payments organisation keeps Backstage's
   * catalog-info.yaml, part of acme keeps CODEOWNERS, and the rest names its team in .flotilla.yaml.
   */
  private static void owners(DemoRepository repo, int slot, Map<String, FileContent> files) {
    if (repo.owner().equals("payments")) {
      files.put("catalog-info.yaml", FileContent.text("""
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata:
            name: %s
            annotations:
              github.com/project-slug: %s
          spec:
            type: service
            lifecycle: production
            owner: group:default/payments
          """.formatted(repo.name(), repo.fullName())));
    } else if (slot % 3 != 1) {
      files.put(".github/CODEOWNERS", FileContent.text("""
          # Reviews for everything in this repository
          *  @acme/%s
          """.formatted(slot % 3 == 0 ? "platform" : "storefront")));
    }
  }

  /** The opt-in's owner line for the repositories that have neither catalog-info.yaml nor CODEOWNERS. */
  private static String ownerKey(DemoRepository repo, int slot) {
    return !repo.owner().equals("payments") && slot % 3 == 1 ? "owner: fulfilment\n" : "";
  }

  static String groupOf(DemoRepository repo) {
    return repo.owner().equals("acme") ? "com.acme" : "com.acme." + repo.owner();
  }

  static String packageOf(DemoRepository repo) {
    return groupOf(repo) + "." + repo.name().replace("-", "");
  }

  private static String servicePom(DemoRepository repo, String jackson) {
    boolean property = repo.pomStyle() == PomStyle.PROPERTY;
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- %s: build of the service. Ask #platform before adding dependencies. -->
        <project xmlns="http://maven.apache.org/POM/4.0.0"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
          <modelVersion>4.0.0</modelVersion>

          <groupId>%s</groupId>
          <artifactId>%s</artifactId>
          <version>1.4.0-SNAPSHOT</version>
          <packaging>jar</packaging>

          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
        %s    <junit.version>5.10.1</junit.version>
          </properties>

          <dependencies>
            <dependency>
              <groupId>com.fasterxml.jackson.core</groupId>
              <artifactId>jackson-databind</artifactId>
              <version>%s</version>%s
            </dependency>
            <dependency>
              <groupId>org.slf4j</groupId>
              <artifactId>slf4j-api</artifactId>
              <version>2.0.9</version>
            </dependency>
            <!-- tests -->
            <dependency>
              <groupId>org.junit.jupiter</groupId>
              <artifactId>junit-jupiter</artifactId>
              <version>${junit.version}</version>
              <scope>test</scope>
            </dependency>
          </dependencies>
        </project>
        """
        .formatted(
            repo.name(),
            groupOf(repo),
            repo.name(),
            property ? "    <jackson.version>" + jackson + "</jackson.version> <!-- JSON everywhere -->\n" : "",
            property ? "${jackson.version}" : jackson,
            property ? "" : " <!-- keep in step with the platform BOM -->");
  }

  private static String parentPom(DemoRepository repo, String jackson) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
          <modelVersion>4.0.0</modelVersion>

          <groupId>%s</groupId>
          <artifactId>%s-parent</artifactId>
          <version>3.1.0-SNAPSHOT</version>
          <packaging>pom</packaging>

          <modules>
            <module>api</module>
            <module>service</module>
          </modules>

          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>

          <!-- Every module takes its versions from here. -->
          <dependencyManagement>
            <dependencies>
              <dependency>
                <groupId>com.fasterxml.jackson.core</groupId>
                <artifactId>jackson-databind</artifactId>
                <version>%s</version>
              </dependency>
              <dependency>
                <groupId>org.slf4j</groupId>
                <artifactId>slf4j-api</artifactId>
                <version>2.0.9</version>
              </dependency>
            </dependencies>
          </dependencyManagement>
        </project>
        """
        .formatted(groupOf(repo), repo.name(), jackson);
  }

  private static String modulePom(DemoRepository repo, String module) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0"
                 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
          <modelVersion>4.0.0</modelVersion>
          <parent>
            <groupId>%s</groupId>
            <artifactId>%s-parent</artifactId>
            <version>3.1.0-SNAPSHOT</version>
          </parent>

          <artifactId>%s-%s</artifactId>

          <dependencies>
            <dependency>
              <groupId>com.fasterxml.jackson.core</groupId>
              <artifactId>jackson-databind</artifactId>
            </dependency>
          </dependencies>
        </project>
        """
        .formatted(groupOf(repo), repo.name(), repo.name(), module);
  }

  private static String app(DemoRepository repo) {
    return """
        package %s;

        import com.fasterxml.jackson.databind.ObjectMapper;
        import java.util.Map;

        /** Starts %s and reports that it is up. */
        public final class App {

          private static final ObjectMapper JSON = new ObjectMapper();

          private App() {}

          public static void main(String[] args) throws Exception {
            System.out.println(JSON.writeValueAsString(Map.of("service", "%s", "status", "up")));
          }
        }
        """
        .formatted(packageOf(repo), repo.name(), repo.name());
  }

  /** Four spellings of the same steps: plain, double-quoted, single-quoted, and with trailing comments. */
  private static String workflow(DemoRepository repo, int slot, boolean current, boolean aheadOfCheckout) {
    String checkout = "actions/checkout@" + (aheadOfCheckout ? "v7" : current ? "v4" : "v3");
    String setupJava = "actions/setup-java@" + (current ? "v4" : "v3");
    String[] uses = switch (slot % 4) {
      case 1 -> new String[] {"\"" + checkout + "\"", "\"" + setupJava + "\""};
      case 2 -> new String[] {"'" + checkout + "'   # full history is not needed", "'" + setupJava + "'"};
      case 3 -> new String[] {checkout + " # pinned by the platform team", setupJava + "  # Temurin JDK"};
      default -> new String[] {checkout, setupJava};
    };
    return """
        name: CI

        on:
          push:
            branches: [%s]
          pull_request:

        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: %s
              - name: Set up JDK 17
                uses: %s
                with:
                  distribution: temurin
                  java-version: '17'
                  cache: maven
              - name: Build
                run: mvn -B verify
        """
        .formatted(repo.defaultBranch(), uses[0], uses[1]);
  }

  private static String dockerfile(DemoRepository repo, boolean current) {
    String runtime = "eclipse-temurin:" + (current ? "21-jre" : "17-jre");
    if (repo.multiStageDockerfile()) {
      return """
          # Build with Maven, run on a slim JRE.
          FROM maven:3.9-eclipse-temurin-17 AS build
          WORKDIR /src
          COPY . .
          RUN mvn -B -q package -DskipTests

          FROM %s
          WORKDIR /app
          COPY --from=build /src/target/%s.jar app.jar
          USER 10001
          ENTRYPOINT ["java", "-jar", "/app/app.jar"]
          """
          .formatted(runtime, repo.name());
    }
    return """
        FROM %s
        WORKDIR /app
        COPY target/%s.jar app.jar
        USER 10001
        EXPOSE 8080
        ENTRYPOINT ["java", "-jar", "/app/app.jar"]
        """
        .formatted(runtime, repo.name());
  }

  private static String passingCi() {
    return """
        #!/bin/sh
        # Quick checks for the local forge; the real build runs in GitHub Actions.
        set -e
        grep -q '<artifactId>jackson-databind</artifactId>' pom.xml || { echo "pom.xml does not declare jackson-databind" >&2; exit 1; }
        grep -q 'actions/checkout@' .github/workflows/ci.yml || { echo "ci.yml does not check out the code" >&2; exit 1; }
        grep -q '^FROM ' Dockerfile || { echo "Dockerfile has no FROM line" >&2; exit 1; }
        echo "pom.xml, ci.yml and Dockerfile look fine"
        """;
  }

  private static String failingCi(DemoRepository repo) {
    String test = "LedgerReconciliationTest";
    return """
        #!/bin/sh
        # Runs the service's integration tests, which are broken on %s today.
        echo "[INFO] Running %s.%s"
        echo "[ERROR] Tests run: 12, Failures: 1, Errors: 0, Skipped: 0 <<< FAILURE! - in %s.%s"
        echo "[ERROR] %s.reconcilesAcrossMidnight:42 expected: <2> but was: <1>"
        echo "[ERROR] BUILD FAILURE"
        exit 1
        """
        .formatted(repo.defaultBranch(), packageOf(repo), test, packageOf(repo), test, test);
  }

  /**
   * Passes on pull requests; on the default branch it also runs the deploy job, whose self-hosted
   * runner is too old for {@code actions/checkout@v4}, so that branch breaks once v4 is merged.
   */
  private static String failsOnDefaultBranchAfterCheckoutV4(DemoRepository repo) {
    return passingCi() + """
        if [ "$CI_COMMIT_BRANCH" = "%s" ]; then
          # The deploy job runs on the legacy self-hosted runner (Node 16 only).
          if grep -q 'actions/checkout@v4' .github/workflows/ci.yml; then
            echo "[deploy] actions/checkout@v4 needs Node 20; the legacy-deploy runner has Node 16" >&2
            echo "[deploy] FAILED: cannot deploy %s" >&2
            exit 1
          fi
          echo "[deploy] deployed %s"
        fi
        """.formatted(repo.defaultBranch(), repo.name(), repo.name());
  }

  private static String readme(DemoRepository repo) {
    return "# " + repo.name() + "\n\nOwned by the " + repo.owner() + " team. Build with `mvn verify`.\n";
  }

  /** The opt-in file for the repository's profile, or null for a repository that never opted in. */
  static String optIn(DemoRepository repo, int slot) {
    String team = repo.owner().equals("payments") ? "payments-team" : "platform-team";
    String method = switch (slot % 3) {
      case 1 -> "merge";
      case 2 -> "rebase";
      default -> "squash";
    };
    return switch (repo.profile()) {
      case NOT_OPTED_IN -> null;
      case INVALID_CONFIG -> """
          # Flotilla settings for this repository.
          enabled: true
          automerge: sometimes
          reviewers: [%s]
          """.formatted(team);
      case REVIEW -> """
          # We read every change before it lands.
          enabled: true
          automerge: false
          reviewers: [%s]
          labels: [dependencies]
          """.formatted(team);
      case EXCLUDES_DOCKERFILE -> """
          enabled: true
          automerge: true
          mergeMethod: %s
          exclude: [dockerfile-base-image]   # the base image is pinned by the pricing team
          """.formatted(method);
      default -> slot == 12
          ? """
            enabled: true
            automerge: true
            mergeMethod: %s
            mergeWindow: {timezone: UTC, days: [MON, TUE, WED, THU, FRI, SAT, SUN], hours: "00:00-24:00"}
            labels: [dependencies, flotilla]
            """.formatted(method)
          : """
            # Flotilla may update this repository and merge green pull requests.
            enabled: true
            automerge: true
            mergeMethod: %s
            reviewers: [%s]
            labels: [dependencies]
            """.formatted(method, team);
    };
  }
}
