package dev.flotilla.controller.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.FlotillaException;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.OptInParser;
import dev.flotilla.controller.demo.DemoFleet.DemoRepository;
import dev.flotilla.controller.demo.DemoFleet.Expected;
import dev.flotilla.controller.demo.DemoFleet.Profile;
import dev.flotilla.migration.DirectoryWorkspace;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Parameters;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class DemoFleetIT {

  @TempDir Path root;
  @TempDir Path work;

  @Test
  void aFleetOf24HasTheDocumentedMix() {
    DemoFleet fleet = DemoFleet.create(root, 24);

    Map<Profile, Long> profiles = fleet.repositories().stream()
        .collect(Collectors.groupingBy(DemoRepository::profile, Collectors.counting()));
    assertThat(profiles).containsExactlyInAnyOrderEntriesOf(Map.of(
        Profile.AUTOMERGE, 14L, Profile.REVIEW, 3L, Profile.EXCLUDES_DOCKERFILE, 1L, Profile.INVALID_CONFIG, 1L,
        Profile.NOT_OPTED_IN, 1L, Profile.CI_FAILS, 1L, Profile.UP_TO_DATE, 1L, Profile.AHEAD_OF_CHECKOUT, 1L,
        Profile.BREAKS_AFTER_MERGE, 1L));
    assertThat(fleet.expected("jackson-2-18")).isEqualTo(new Expected(17, 3, 1, 1, 0, 0, 1, 0));
    assertThat(fleet.expected("checkout-v4")).isEqualTo(new Expected(15, 3, 1, 1, 1, 0, 1, 1));
    assertThat(fleet.expected("temurin-21")).isEqualTo(new Expected(16, 3, 1, 1, 0, 1, 1, 0));
    assertThat(fleet.notOptedIn()).isEqualTo(1);
    assertThat(fleet.repositories()).extracting(DemoRepository::owner).contains("acme", "payments");
    assertThat(fleet.repositories()).extracting(DemoRepository::defaultBranch).contains("main", "master", "trunk");
    assertThat(fleet.repositories()).extracting(DemoRepository::pomStyle).contains(DemoFleet.PomStyle.values());
  }

  @Test
  void everyFileOfEveryRepositoryParses() throws Exception {
    DemoFleet fleet = DemoFleet.create(root, 24);

    for (DemoRepository repo : fleet.repositories()) {
      Map<String, byte[]> files = files(repo);
      Map<String, FileMode> modes = modes(repo);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        if (file.getKey().endsWith("pom.xml")) {
          DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(file.getValue()));
        }
      }
      Map<String, Object> workflow = new Yaml().load(text(files, ".github/workflows/ci.yml"));
      assertThat(workflow).containsKeys("name", "jobs");
      assertThat(text(files, ".github/workflows/ci.yml")).contains("actions/checkout@", "actions/setup-java@");
      assertThat(text(files, "Dockerfile")).containsPattern("(?m)^FROM eclipse-temurin:(17|21)-jre$");
      assertThat(modes.get("ci.sh")).isEqualTo(FileMode.EXECUTABLE_FILE);
      assertThat(files.keySet()).anyMatch(p -> p.endsWith("App.java"));
      checkOptIn(repo, files);
    }
    DemoRepository crlf = fleet.repositories().stream()
        .filter(r -> r.pomStyle() == DemoFleet.PomStyle.LITERAL_CRLF).findFirst().orElseThrow();
    assertThat(text(files(crlf), "pom.xml")).contains("\r\n").doesNotContainPattern("[^\r]\n");
  }

  private static void checkOptIn(DemoRepository repo, Map<String, byte[]> files) {
    byte[] optIn = files.get(".flotilla.yaml");
    switch (repo.profile()) {
      case NOT_OPTED_IN -> assertThat(optIn).isNull();
      case INVALID_CONFIG -> assertThatThrownBy(() -> OptInParser.parse(optIn, ".flotilla.yaml"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("3")
          .hasMessageContaining("automerge");
      case REVIEW -> assertThat(OptInParser.parse(optIn, ".flotilla.yaml").automerge()).isFalse();
      case EXCLUDES_DOCKERFILE -> assertThat(OptInParser.parse(optIn, ".flotilla.yaml").excludes("dockerfile-base-image")).isTrue();
      default -> assertThat(OptInParser.parse(optIn, ".flotilla.yaml").automerge()).isTrue();
    }
  }

  @Test
  void theDemoCampaignsChangeExactlyTheRepositoriesTheyShouldAndCiAgrees() throws Exception {
    DemoFleet fleet = DemoFleet.create(root, 24);
    Migrations migrations = Migrations.load();
    List<CampaignSpec> campaigns = DemoFleet.writeCampaigns(work.resolve("campaigns")).stream()
        .map(file -> CampaignParser.parse(read(file), file.toString(), migrations))
        .toList();

    for (DemoRepository repo : fleet.repositories()) {
      Path checkout = work.resolve(repo.name());
      Git.cloneRepository().setURI(root.resolve(repo.owner()).resolve(repo.name() + ".git").toUri().toString())
          .setDirectory(checkout.toFile()).call().close();
      for (CampaignSpec campaign : campaigns) {
        Migration migration = migrations.get(campaign.migration());
        Outcome outcome = migration.apply(
            new DirectoryWorkspace(checkout, repo.owner(), repo.name()), Parameters.of(campaign.parameters()));
        boolean ahead = repo.profile() == Profile.AHEAD_OF_CHECKOUT && campaign.name().equals("checkout-v4");
        assertThat(outcome.isChanged())
            .as("%s on %s: %s", campaign.name(), repo.fullName(), outcome)
            .isEqualTo(repo.profile() != Profile.UP_TO_DATE && !ahead);
        assertThat(outcome.needsHuman()).as("%s on %s: %s", campaign.name(), repo.fullName(), outcome).isEqualTo(ahead);
        if (ahead) {
          assertThat(outcome.message()).contains("actions/checkout@v7 is ahead of v4 (never downgraded)");
        }
      }
      assertThat(runCi(checkout, "flotilla/demo")).as("ci.sh of %s after the migrations", repo.fullName())
          .isEqualTo(repo.profile() == Profile.CI_FAILS ? 1 : 0);
      assertThat(runCi(checkout, repo.defaultBranch()))
          .as("ci.sh of %s on its default branch after the migrations", repo.fullName())
          .isEqualTo(repo.profile() == Profile.CI_FAILS || repo.profile() == Profile.BREAKS_AFTER_MERGE ? 1 : 0);
    }
  }

  @Test
  void writesTheThreeDemoCampaigns() {
    List<CampaignSpec> campaigns = DemoFleet.writeCampaigns(work).stream()
        .map(file -> CampaignParser.parse(read(file), file.toString(), Migrations.load()))
        .toList();

    assertThat(campaigns).extracting(CampaignSpec::name).containsExactlyElementsOf(DemoFleet.CAMPAIGNS);
    assertThat(campaigns).extracting(CampaignSpec::migration)
        .containsExactly("maven-dependency-version", "github-actions-version", "dockerfile-base-image");
    assertThat(campaigns).allMatch(CampaignSpec::automerge);
    assertThat(campaigns.get(0).parameters()).containsEntry("version", "2.18.2");
  }

  @Test
  void twoHundredRepositoriesAreWrittenInAFewSeconds() throws Exception {
    long started = System.nanoTime();
    DemoFleet fleet = DemoFleet.create(root, 200);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // A few seconds on a quiet laptop; the bound leaves room for a busy shared build machine, and
    // still catches a writer that clones or shells out per repository.
    assertThat(took).isLessThan(Duration.ofSeconds(60));
    assertThat(fleet.repositories()).extracting(DemoRepository::fullName).doesNotHaveDuplicates().hasSize(200);
    try (Stream<Path> owners = Files.list(root)) {
      long bare = owners.flatMap(DemoFleetIT::list).filter(p -> p.toString().endsWith(".git")).count();
      assertThat(bare).isEqualTo(200);
    }
    assertThat(fleet.repositories().get(24).name()).isEqualTo("orders-service-2");
    assertThat(fleet.expected("jackson-2-18").merged()).isEqualTo(8 * 17 + 4);
  }

  @Test
  void refusesToWriteOverAnExistingFleet() {
    DemoFleet.create(root, 3);

    assertThatThrownBy(() -> DemoFleet.create(root, 3))
        .isInstanceOf(FlotillaException.class)
        .hasMessageContaining("already exists");
  }

  private static int runCi(Path checkout, String branch) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("./ci.sh").directory(checkout.toFile()).redirectErrorStream(true)
        .redirectOutput(checkout.resolve("../ci-" + checkout.getFileName() + ".log").toFile());
    builder.environment().put("CI_COMMIT_BRANCH", branch);
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  private Map<String, byte[]> files(DemoRepository repo) throws Exception {
    Map<String, byte[]> files = new HashMap<>();
    walk(repo, (walk, repository) -> files.put(walk.getPathString(), repository.open(walk.getObjectId(0)).getBytes()));
    return files;
  }

  private Map<String, FileMode> modes(DemoRepository repo) throws Exception {
    Map<String, FileMode> modes = new HashMap<>();
    walk(repo, (walk, repository) -> modes.put(walk.getPathString(), walk.getFileMode(0)));
    return modes;
  }

  private interface Visitor {
    void visit(TreeWalk walk, Repository repo) throws Exception;
  }

  private void walk(DemoRepository repo, Visitor visitor) throws Exception {
    Path dir = root.resolve(repo.owner()).resolve(repo.name() + ".git");
    try (Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).build();
        RevWalk revs = new RevWalk(repository);
        TreeWalk walk = new TreeWalk(repository)) {
      walk.addTree(revs.parseCommit(repository.resolve("refs/heads/" + repo.defaultBranch())).getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        visitor.visit(walk, repository);
      }
    }
  }

  private static String text(Map<String, byte[]> files, String path) {
    return new String(files.get(path), StandardCharsets.UTF_8);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Stream<Path> list(Path dir) {
    try {
      return Files.list(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
