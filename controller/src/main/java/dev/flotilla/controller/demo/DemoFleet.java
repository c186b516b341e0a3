package dev.flotilla.controller.demo;

import dev.flotilla.FlotillaException;
import dev.flotilla.controller.forge.local.CommitWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet of bare repositories for the local forge, with a known mix of owners' choices so a demo
 * (and its tests) can say in advance how each demo campaign ends. The mix repeats every {@value
 * #PATTERN_SIZE} repositories; {@link #expected(String)} counts it for any size.
 *
 * @param root the local forge folder the repositories were written to
 */
public record DemoFleet(Path root, List<DemoRepository> repositories) {

  /** The demo campaigns, as written by {@link #writeCampaigns(Path)}. */
  public static final List<String> CAMPAIGNS = List.of("jackson-2-18", "checkout-v4", "temurin-21");
  /** How many repositories make up one full copy of the mix. */
  public static final int PATTERN_SIZE = 24;

  private static final Logger LOG = LoggerFactory.getLogger(DemoFleet.class);
  private static final PersonIdent AUTHOR = new PersonIdent("Acme Platform", "platform@acme.example");
  /** Fixed commit times make a fleet of a given size the same, commit for commit, every time. */
  private static final Instant EPOCH = Instant.parse("2025-06-02T09:00:00Z");

  /** What the owners of a repository chose, and so how every demo campaign ends there. */
  public enum Profile {
    /** Opted in with automerge: every campaign merges. */
    AUTOMERGE,
    /** Opted in without automerge: pull requests turn green and wait for a person. */
    REVIEW,
    /** Opted in, but excludes {@code dockerfile-base-image}: that campaign skips it. */
    EXCLUDES_DOCKERFILE,
    /** {@code automerge: sometimes} on line 3: every campaign skips it as invalid config. */
    INVALID_CONFIG,
    /** No {@code .flotilla.yaml}: no campaign touches it. */
    NOT_OPTED_IN,
    /** Opted in, but {@code ci.sh} always fails: every pull request stays CI failed. */
    CI_FAILS,
    /** Already on every target version: every campaign finds no change. */
    UP_TO_DATE,
    /**
     * Opted in with automerge, but already on {@code actions/checkout@v7}: {@code checkout-v4} will
     * not downgrade it and leaves it for a person with the reason; the other campaigns merge.
     */
    AHEAD_OF_CHECKOUT,
    /**
     * Opted in with automerge, but its default branch's build fails once {@code actions/checkout@v4}
     * lands there (pull request CI still passes): {@code checkout-v4}, which watches the default
     * branch after merging, ends as a post-merge failure; the other campaigns merge.
     */
    BREAKS_AFTER_MERGE
  }

  /** How the jackson-databind version is written in the build. */
  public enum PomStyle {
    /** {@code ${jackson.version}} from {@code <properties>}. */
    PROPERTY,
    /** The version in the dependency itself. */
    LITERAL,
    /** Literal, with CRLF line endings. */
    LITERAL_CRLF,
    /** A parent pom's {@code <dependencyManagement>} with two modules that inherit it. */
    MULTI_MODULE
  }

  /** One repository of the fleet. */
  public record DemoRepository(
      String owner, String name, String defaultBranch, Profile profile, PomStyle pomStyle, boolean multiStageDockerfile) {

    public String fullName() {
      return owner + "/" + name;
    }
  }

  /**
   * How a campaign should end on this fleet, in the numbers {@code flotilla status} shows.
   * Repositories that never opted in get no changeset and are not counted.
   */
  public record Expected(
      long merged,
      long awaitingReview,
      long ciFailed,
      long noChange,
      long needsHuman,
      long skipped,
      long invalidConfig,
      long postMergeFailed) {}

  private record Slot(String owner, String name, String branch, Profile profile) {}

  /** One copy of the mix; the order puts every kind of repository in the first dozen. */
  private static final List<Slot> PATTERN = List.of(
      new Slot("acme", "orders-service", "main", Profile.AUTOMERGE),
      new Slot("acme", "billing-api", "main", Profile.REVIEW),
      new Slot("acme", "inventory-service", "main", Profile.AUTOMERGE),
      new Slot("payments", "ledger", "main", Profile.CI_FAILS),
      new Slot("acme", "shipping-service", "main", Profile.AUTOMERGE),
      new Slot("acme", "customer-profile", "master", Profile.INVALID_CONFIG),
      new Slot("acme", "catalog-api", "main", Profile.AUTOMERGE),
      new Slot("acme", "legacy-reports", "master", Profile.NOT_OPTED_IN),
      new Slot("acme", "search-indexer", "main", Profile.AUTOMERGE),
      new Slot("acme", "notifications", "main", Profile.UP_TO_DATE),
      new Slot("payments", "refunds", "main", Profile.AUTOMERGE),
      new Slot("acme", "pricing-engine", "main", Profile.EXCLUDES_DOCKERFILE),
      new Slot("acme", "auth-gateway", "main", Profile.AUTOMERGE),
      new Slot("payments", "card-vault", "trunk", Profile.REVIEW),
      new Slot("acme", "recommendations", "main", Profile.AUTOMERGE),
      new Slot("acme", "warehouse-sync", "main", Profile.AUTOMERGE),
      new Slot("acme", "loyalty-points", "main", Profile.AHEAD_OF_CHECKOUT),
      new Slot("payments", "payouts", "main", Profile.AUTOMERGE),
      new Slot("acme", "audit-log", "trunk", Profile.AUTOMERGE),
      new Slot("acme", "email-sender", "main", Profile.AUTOMERGE),
      new Slot("acme", "feature-flags", "main", Profile.AUTOMERGE),
      new Slot("acme", "tax-calculator", "main", Profile.AUTOMERGE),
      new Slot("payments", "fraud-detection", "main", Profile.BREAKS_AFTER_MERGE),
      new Slot("acme", "returns-portal", "main", Profile.REVIEW));

  public DemoFleet {
    repositories = List.copyOf(repositories);
  }

  /**
   * Writes {@code size} bare repositories under {@code root} ({@code <root>/<owner>/<name>.git}).
   * Repository {@code i} follows slot {@code i % 24} of the mix; later copies get a {@code -2},
   * {@code -3}, ... suffix.
   *
   * @throws FlotillaException when a repository of the fleet already exists there
   */
  public static DemoFleet create(Path root, int size) {
    if (size < 1) {
      throw new FlotillaException("a demo fleet needs at least 1 repository, not " + size);
    }
    List<DemoRepository> repositories = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < size; i++) {
      int slot = i % PATTERN_SIZE;
      DemoRepository repo = describe(i);
      write(root, repo, slot, i);
      repositories.add(repo);
    }
    LOG.info("wrote {} demo repositories under {} in {} ms", size, root, (System.nanoTime() - started) / 1_000_000);
    return new DemoFleet(root, repositories);
  }

  /** The fleet {@link #create} wrote under {@code root} with this size, read back without writing. */
  public static DemoFleet existing(Path root, int size) {
    List<DemoRepository> repositories = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      repositories.add(describe(i));
    }
    return new DemoFleet(root, repositories);
  }

  /** The repository at position {@code index} of a fleet. */
  static DemoRepository describe(int index) {
    int slot = index % PATTERN_SIZE;
    int copy = index / PATTERN_SIZE;
    Slot s = PATTERN.get(slot);
    PomStyle pom = slot == 6 ? PomStyle.MULTI_MODULE
        : slot == 8 ? PomStyle.LITERAL_CRLF
        : slot % 2 == 0 ? PomStyle.PROPERTY
        : PomStyle.LITERAL;
    return new DemoRepository(
        s.owner(), copy == 0 ? s.name() : s.name() + "-" + (copy + 1), s.branch(), s.profile(), pom, slot % 3 == 0);
  }

  private static void write(Path root, DemoRepository repo, int slot, int index) {
    Path dir = root.resolve(repo.owner()).resolve(repo.name() + ".git");
    if (Files.exists(dir)) {
      throw new FlotillaException(
          dir + " already exists; generate the demo fleet into an empty folder (or delete the old one)");
    }
    try (Git git = Git.init().setBare(true).setInitialBranch(repo.defaultBranch()).setDirectory(dir.toFile()).call()) {
      Repository bare = git.getRepository();
      PersonIdent author = new PersonIdent(AUTHOR, EPOCH.plusSeconds(60L * index), ZoneOffset.UTC);
      CommitWriter.commit(
          bare, repo.defaultBranch(), DemoContent.files(repo, slot), author, "Initial import of " + repo.name());
    } catch (GitAPIException | IOException e) {
      throw new FlotillaException("could not write the demo repository " + dir + ": " + e.getMessage(), e);
    }
  }

  /** How {@code campaign} (one of {@link #CAMPAIGNS}) should end on this fleet. */
  public Expected expected(String campaign) {
    if (!CAMPAIGNS.contains(campaign)) {
      throw new FlotillaException("'" + campaign + "' is not a demo campaign; the demo campaigns are " + CAMPAIGNS);
    }
    long merged = 0, review = 0, ciFailed = 0, noChange = 0, needsHuman = 0, skipped = 0, invalid = 0, postMerge = 0;
    for (DemoRepository repo : repositories) {
      switch (repo.profile()) {
        case AUTOMERGE -> merged++;
        case REVIEW -> review++;
        case EXCLUDES_DOCKERFILE -> {
          if (campaign.equals("temurin-21")) {
            skipped++;
          } else {
            merged++;
          }
        }
        case INVALID_CONFIG -> invalid++;
        case CI_FAILS -> ciFailed++;
        case UP_TO_DATE -> noChange++;
        case AHEAD_OF_CHECKOUT -> {
          if (campaign.equals("checkout-v4")) {
            needsHuman++;
          } else {
            merged++;
          }
        }
        case BREAKS_AFTER_MERGE -> {
          if (campaign.equals("checkout-v4")) {
            postMerge++;
          } else {
            merged++;
          }
        }
        case NOT_OPTED_IN -> { }
      }
    }
    return new Expected(merged, review, ciFailed, noChange, needsHuman, skipped, invalid, postMerge);
  }

  /** Every demo campaign's expected ending, by campaign name. */
  public Map<String, Expected> expected() {
    Map<String, Expected> all = new LinkedHashMap<>();
    CAMPAIGNS.forEach(c -> all.put(c, expected(c)));
    return all;
  }

  /** How many repositories never opted in (no changeset in any campaign). */
  public long notOptedIn() {
    return repositories.stream().filter(r -> r.profile() == Profile.NOT_OPTED_IN).count();
  }

  /** Writes the demo campaign files ({@code <name>.yaml}) into {@code dir}, creating it. */
  public static List<Path> writeCampaigns(Path dir) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (String campaign : CAMPAIGNS) {
        String resource = "/demo/campaigns/" + campaign + ".yaml";
        try (InputStream in = DemoFleet.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new FlotillaException("the demo campaign " + resource + " is missing from the Flotilla jar");
          }
          Path file = dir.resolve(campaign + ".yaml");
          Files.write(file, in.readAllBytes());
          written.add(file);
        }
      }
    } catch (IOException e) {
      throw new FlotillaException("could not write the demo campaigns to " + dir + ": " + e.getMessage(), e);
    }
    return written;
  }
}
