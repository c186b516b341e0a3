package dev.flotilla.controller.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.runner.CredentialResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Repositories a fleet really holds, odd ones included, through discovery, plan, run and pull request:
 * each odd one ends with a message on that repository, and the normal one beside it still merges.
 */
class BadRepositoriesIT {

  static final String README = "Build with MARKER-1 before you ship.\n";
  static final String MARKER_CAMPAIGN = """
      apiVersion: flotilla.dev/v1
      kind: Campaign
      metadata: {name: marker}
      spec:
        migration: regex-replace
        parameters: {glob: "**/*", pattern: "MARKER-1", replacement: "MARKER-2"}
        automerge: true
      """;
  static final String LONG_NAME = "svc." + "a".repeat(96);
  static final String UNICODE_NAME = "ünïcødé.Ledger-名前";

  @TempDir Path tmp;
  Engine engine;
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final Logger forgeLog = (Logger) LoggerFactory.getLogger("dev.flotilla.controller.forge.local");

  @BeforeEach
  void start() throws Exception {
    logs.start();
    forgeLog.addAppender(logs);
    engine = new Engine(tmp, UnaryOperator.identity(), CredentialResolver.withEnvironment(Map.of()));
  }

  @AfterEach
  void stop() {
    forgeLog.detachAppender(logs);
    engine.close();
  }

  private void service(String name, String branch, String optIn) throws Exception {
    engine.repos.create("acme", name, branch, Map.of("README.md", README, "ci.sh", Engine.GREEN_CI, ".flotilla.yaml", optIn));
  }

  @Test
  void oddNamesOtherDefaultBranchesAndEmptyRepositoriesDoNotStopTheFleet() throws Exception {
    service("svc", "main", Engine.AUTOMERGE);
    service(UNICODE_NAME, "main", Engine.AUTOMERGE);
    service("Ledger.Service_2", "main", Engine.AUTOMERGE);
    service(LONG_NAME, "main", Engine.AUTOMERGE);
    service("trunk-based", "trunk", Engine.AUTOMERGE);
    engine.repos.createEmpty("acme", "empty", "main");

    engine.apply(MARKER_CAMPAIGN);
    engine.settle("marker");

    for (String name : new String[] {"svc", "Ledger.Service_2", LONG_NAME, "trunk-based"}) {
      assertThat(engine.changeset("marker", "acme", name).state()).as(name).isEqualTo(ChangesetState.MERGED);
    }
    // GitHub allows no such name either; the folder is left out, saying so, and nothing else is.
    assertThat(engine.controller.fleet().repositories().byName("acme", UNICODE_NAME)).isEmpty();
    assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
        .contains(UNICODE_NAME, "rename the folder"));
    assertThat(file("trunk-based", "trunk", "README.md")).contains("MARKER-2");
    var empty = engine.controller.fleet().repositories().byName("acme", "empty");
    if (empty.isPresent()) {
      Changeset changeset = engine.controller.fleet().changesets().find("marker", empty.get().id()).orElse(null);
      if (changeset != null) {
        assertThat(changeset.state()).isIn(ChangesetState.FAILED, ChangesetState.NOT_APPLICABLE, ChangesetState.SKIPPED);
        assertThat(changeset.lastError() + " " + changeset.stateReason()).containsIgnoringCase("empty");
      }
    }
  }

  @Test
  void aNulByteInOneOptInFileIsThatRepositorysErrorAndTheScanGoesOn() throws Exception {
    service("aaa-nul", "main", "enabled: true\nlabels: [\"a\\0b\"]\n");
    service("zzz-after", "main", "enabled: false\n");

    engine.controller.discover();

    var broken = engine.controller.fleet().repositories().byName("acme", "aaa-nul").orElseThrow();
    assertThat(broken.status()).isEqualTo(dev.flotilla.controller.model.OptInStatus.INVALID_CONFIG);
    assertThat(broken.optInError())
        .isEqualTo(".flotilla.yaml:2: 'labels' at line 2 holds a NUL character (\\0), which Flotilla cannot"
            + " store; remove it");
    var after = engine.controller.fleet().repositories().byName("acme", "zzz-after").orElseThrow();
    assertThat(after.status()).isEqualTo(dev.flotilla.controller.model.OptInStatus.NOT_OPTED_IN);
  }

  @Test
  void symbolicLinksOutOfTheRepositoryAreNeitherReadNorWrittenThrough() throws Exception {
    Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("notes.txt"), README);
    String passwd = sha256(Path.of("/etc/passwd"));
    service("svc", "main", Engine.AUTOMERGE);
    engine.repos.create("acme", "links", "main",
        Map.of("README.md", README, "ci.sh", Engine.GREEN_CI, ".flotilla.yaml", Engine.AUTOMERGE), work -> {
          Files.createSymbolicLink(work.resolve("passwd"), Path.of("/etc/passwd"));
          Files.createSymbolicLink(work.resolve("notes.txt"), outside);
          Files.createSymbolicLink(work.resolve("up"), Path.of(".."));
        });

    engine.apply(MARKER_CAMPAIGN);
    engine.settle("marker");

    assertThat(engine.changeset("marker", "acme", "svc").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(engine.changeset("marker", "acme", "links").state()).isEqualTo(ChangesetState.MERGED);
    assertThat(file("links", "main", "README.md")).contains("MARKER-2");
    assertThat(Files.readString(outside)).as("the file a link points at, outside the repository").isEqualTo(README);
    assertThat(sha256(Path.of("/etc/passwd"))).isEqualTo(passwd);
    assertThat(mode("links", "main", "notes.txt")).as("the link stays a link").isEqualTo(FileMode.SYMLINK);

    engine.apply("""
        apiVersion: flotilla.dev/v1
        kind: Campaign
        metadata: {name: escape}
        spec:
          migration: ensure-file
          parameters: {path: up/x, template: "written through a link"}
          automerge: true
        """);
    engine.settle("escape");

    Changeset escape = engine.changeset("escape", "acme", "links");
    assertThat(escape.state()).isEqualTo(ChangesetState.FAILED);
    assertThat(escape.lastError()).contains("up/x").contains("symbolic link");
    assertThat(engine.changeset("escape", "acme", "svc").state()).as("where up is no link, the file is written")
        .isEqualTo(ChangesetState.MERGED);
    try (var walk = Files.walk(tmp, 3)) {
      assertThat(walk.filter(p -> p.getFileName().toString().equals("x"))).as("no x written anywhere").isEmpty();
    }
  }

  @Test
  void aHundredMegabyteFileIsSkippedWithoutFillingTheHeap() throws Exception {
    service("svc", "main", Engine.AUTOMERGE);
    engine.repos.create("acme", "huge", "main",
        Map.of("README.md", README, "ci.sh", Engine.GREEN_CI, ".flotilla.yaml", Engine.AUTOMERGE), work -> {
          // Text that matches the pattern all through: read whole, it would be 100 MB of heap and more to edit.
          byte[] line = "MARKER-1 in a generated data file\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          try (var data = new java.io.BufferedOutputStream(Files.newOutputStream(work.resolve("data.txt")), 1 << 20)) {
            for (long written = 0; written < 100L * 1024 * 1024; written += line.length) {
              data.write(line);
            }
          }
        });

    engine.apply(MARKER_CAMPAIGN);
    engine.settle("marker");

    assertThat(engine.changeset("marker", "acme", "svc").state()).isEqualTo(ChangesetState.MERGED);
    Changeset huge = engine.changeset("marker", "acme", "huge");
    assertThat(huge.state()).isEqualTo(ChangesetState.MERGED);
    assertThat(file("huge", "main", "README.md")).contains("MARKER-2");
    try (Git git = Git.open(engine.repos.bare("acme", "huge").toFile())) {
      Repository repository = git.getRepository();
      RevCommit head = repository.parseCommit(repository.resolve("refs/heads/main"));
      try (TreeWalk walk = TreeWalk.forPath(repository, "data.txt", head.getTree())) {
        assertThat(repository.open(walk.getObjectId(0)).getSize()).as("the big file is left as it was")
            .isGreaterThanOrEqualTo(100L * 1024 * 1024);
      }
    }
  }

  @Test
  void aBranchProtectedAgainstForcePushesEndsWithTheServersMessageNotALoop() throws Exception {
    service("svc", "main", Engine.AUTOMERGE);
    service("guarded", "main", "enabled: true\nautomerge: false\n");
    try (Git git = Git.open(engine.repos.bare("acme", "guarded").toFile())) {
      var config = git.getRepository().getConfig();
      config.setBoolean("receive", null, "denyNonFastForwards", true);
      config.save();
    }
    engine.apply(MARKER_CAMPAIGN);
    engine.settle("marker");
    assertThat(engine.changeset("marker", "acme", "guarded").state()).isEqualTo(ChangesetState.MERGEABLE);

    // A conflicting change on main: the campaign's branch must be rebuilt on the new base, a force push.
    engine.repos.commit("acme", "guarded", "main", Map.of("README.md", "Build with MARKER-1 and MARKER-3.\n"),
        work -> { }, "reword the readme");
    engine.settle("marker");

    Changeset guarded = engine.changeset("marker", "acme", "guarded");
    assertThat(guarded.state()).isEqualTo(ChangesetState.FAILED);
    assertThat(guarded.lastError()).contains("PUSH", "rejected", "non-fast forward", "acme/guarded");
    assertThat(engine.changeset("marker", "acme", "svc").state()).isEqualTo(ChangesetState.MERGED);
    for (int i = 0; i < 3; i++) {
      engine.controller.tick();
    }
    assertThat(engine.changeset("marker", "acme", "guarded").state()).as("settled, not looping").isEqualTo(guarded.state());
  }

  private String file(String repo, String branch, String path) throws Exception {
    try (Git git = Git.open(engine.repos.bare("acme", repo).toFile())) {
      Repository repository = git.getRepository();
      RevCommit head = repository.parseCommit(repository.resolve("refs/heads/" + branch));
      try (TreeWalk walk = TreeWalk.forPath(repository, path, head.getTree())) {
        return new String(repository.open(walk.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }

  private FileMode mode(String repo, String branch, String path) throws Exception {
    try (Git git = Git.open(engine.repos.bare("acme", repo).toFile())) {
      Repository repository = git.getRepository();
      RevCommit head = repository.parseCommit(repository.resolve("refs/heads/" + branch));
      try (TreeWalk walk = TreeWalk.forPath(repository, path, head.getTree())) {
        return walk.getFileMode(0);
      }
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
