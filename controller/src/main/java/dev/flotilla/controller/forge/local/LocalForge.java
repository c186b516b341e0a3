package dev.flotilla.controller.forge.local;

import dev.flotilla.controller.store.PullRequestRows;
import dev.flotilla.controller.config.OptInParser;
import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.runner.RunRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forge on one machine: bare Git repositories under a folder ({@code <root>/<owner>/<name>.git}),
 * pull requests in the store, and CI as a command run on a checkout of the head. Runners clone and
 * push with plain {@code file://} URLs, so they need no credential.
 */
public final class LocalForge implements Forge {

  /** The opt-in file discovery reads from each default branch. */
  public static final String OPT_IN_FILE = ".flotilla.yaml";
  private static final String CONFIG_SECTION = "flotilla";
  private static final String REQUIRED_CHECKS_KEY = "requiredChecks";
  private static final String NO_CHECKS = "none";

  private static final Logger LOG = LoggerFactory.getLogger(LocalForge.class);
  /** One byte past what the parser accepts, so it can still report the file as too big. */
  private static final int OPT_IN_READ_LIMIT = OptInParser.MAX_BYTES + 1;

  private final BareRepositories repositories;
  private final PullRequestRows pullRequests;
  private final LocalCi ci;
  private final Clock clock;

  /**
   * @param root the folder holding {@code <owner>/<name>.git} bare repositories
   * @param displayUrlBase where people look at pull requests, e.g. the dashboard's {@code
   *     http://localhost:8080}; pull request {@code n} is shown at {@code
   *     <base>/local/<owner>/<name>/pull/<n>}
   */
  public LocalForge(Path root, DataSource dataSource, LocalCi ci, String displayUrlBase) {
    this(root, dataSource, ci, displayUrlBase, Clock.systemUTC());
  }

  public LocalForge(Path root, DataSource dataSource, LocalCi ci, String displayUrlBase, Clock clock) {
    this.repositories = new BareRepositories(root, displayUrlBase);
    this.pullRequests = new PullRequestRows(new Jdbc(dataSource), clock);
    this.ci = ci;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "local";
  }

  public Path root() {
    return repositories.root();
  }

  @Override
  public List<RepositoryRef> listRepositories() {
    return repositories.list();
  }

  @Override
  public Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> refs) {
    Map<RepositoryRef, String> files = new LinkedHashMap<>();
    for (RepositoryRef ref : refs) {
      withRepo(ref, repo -> {
        Optional<ObjectId> head = BareRepositories.branchHead(repo, ref.defaultBranch());
        if (head.isEmpty()) {
          LOG.debug("{} has no branch {}; no opt-in file", ref.fullName(), ref.defaultBranch());
          return null;
        }
        // Lenient decoding on purpose: the parser finds replacement characters and NULs and says
        // which line is not UTF-8 or binary.
        BareRepositories.readFile(repo, head.get(), OPT_IN_FILE, OPT_IN_READ_LIMIT)
            .ifPresent(bytes -> files.put(ref, new String(bytes, StandardCharsets.UTF_8)));
        return null;
      });
    }
    return files;
  }

  @Override
  public Map<RepositoryRef, Map<String, String>> readOwnerFiles(List<RepositoryRef> refs) {
    Map<RepositoryRef, Map<String, String>> found = new LinkedHashMap<>();
    for (RepositoryRef ref : refs) {
      withRepo(ref, repo -> {
        Optional<ObjectId> head = BareRepositories.branchHead(repo, ref.defaultBranch());
        if (head.isEmpty()) {
          return null;
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String path : OWNER_FILES) {
          BareRepositories.readFile(repo, head.get(), path, OPT_IN_READ_LIMIT)
              .ifPresent(bytes -> files.put(path, new String(bytes, StandardCharsets.UTF_8)));
        }
        if (!files.isEmpty()) {
          found.put(ref, files);
        }
        return null;
      });
    }
    return found;
  }

  @Override
  public RunRequest.Credential runCredential(RepositoryRef repository) {
    return RunRequest.Credential.NONE;
  }

  @Override
  public Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch) {
    return pullRequests.findOpen(repository.fullName(), branch).map(row -> getPullRequest(repository, row.number()))
        .filter(pr -> pr.state() == PullRequest.State.OPEN);
  }

  @Override
  public PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec) {
    String headSha = withRepo(repository, repo -> BareRepositories.branchHead(repo, spec.branch())
        .orElseThrow(() -> new LocalForgeException(
            "cannot open a pull request for " + repository.fullName() + ": branch " + spec.branch()
                + " does not exist; push it first"))
        .name());
    PullRequestRows.Row row = pullRequests.openOrAdopt(repository.fullName(), spec, headSha);
    LOG.debug("{} pull request #{} for {}", repository.fullName(), row.number(), spec.branch());
    return getPullRequest(repository, row.number());
  }

  /**
   * The pull request with its head read from the branch now (a person may have pushed to it) and
   * whether it merges cleanly. An open pull request whose branch was deleted is closed, as a hosted
   * forge does.
   */
  @Override
  public PullRequest getPullRequest(RepositoryRef repository, int number) {
    PullRequestRows.Row row = row(repository, number);
    if (row.state() != PullRequest.State.OPEN) {
      return view(repository, row, PullRequest.Mergeable.UNKNOWN);
    }
    return withRepo(repository, repo -> {
      Optional<ObjectId> head = BareRepositories.branchHead(repo, row.branch());
      if (head.isEmpty()) {
        // The branch also goes after a merge: one whose record the store lost (it went down between
        // moving the base and recording it) is merged, never "closed without merging".
        Optional<ObjectId> baseHead = BareRepositories.branchHead(repo, row.base());
        Optional<ObjectId> merged = baseHead.isEmpty()
            ? Optional.empty()
            : LocalMerge.findMerged(repo, baseHead.get(), number, row.createdAt());
        if (merged.isPresent()) {
          LOG.info("{} #{} is merged as {} though not recorded; recording it", repository.fullName(), number, merged.get().name());
          pullRequests.markMerged(repository.fullName(), number, merged.get().name());
          return view(repository, row.withState(PullRequest.State.MERGED), PullRequest.Mergeable.UNKNOWN);
        }
        pullRequests.close(repository.fullName(), number, "The branch " + row.branch() + " was deleted.");
        return view(repository, row.withState(PullRequest.State.CLOSED), PullRequest.Mergeable.UNKNOWN);
      }
      PullRequestRows.Row current = row;
      if (!head.get().name().equals(row.headSha())) {
        pullRequests.setHeadSha(repository.fullName(), number, head.get().name());
        current = row.withHeadSha(head.get().name());
      }
      Optional<ObjectId> base = BareRepositories.branchHead(repo, row.base());
      PullRequest.Mergeable mergeable = base.isEmpty()
          ? PullRequest.Mergeable.CONFLICTING
          : LocalMerge.mergeable(repo, base.get(), head.get());
      return view(repository, current, mergeable);
    });
  }

  @Override
  public void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec) {
    row(repository, number);
    pullRequests.update(repository.fullName(), number, spec);
  }

  @Override
  public void closePullRequest(RepositoryRef repository, int number, String comment) {
    row(repository, number);
    pullRequests.close(repository.fullName(), number, comment);
  }

  /**
   * The local forge requires its one {@code ci} check, unless the bare repository's git config sets
   * {@code flotilla.requiredChecks} otherwise (a comma-separated list; {@code none} requires none).
   */
  @Override
  public List<String> requiredChecks(RepositoryRef repository) {
    return withRepo(repository, repo -> {
      String configured = repo.getConfig().getString(CONFIG_SECTION, null, REQUIRED_CHECKS_KEY);
      if (configured == null) {
        return List.of(LocalCi.CHECK_NAME);
      }
      return java.util.Arrays.stream(configured.split(",")).map(String::strip)
          .filter(n -> !n.isEmpty() && !n.equals(NO_CHECKS)).toList();
    });
  }

  /** Sets the checks {@link #requiredChecks} reports for a repository, as its branch protection would. */
  void setRequiredChecks(RepositoryRef repository, List<String> names) {
    withRepo(repository, repo -> {
      var config = repo.getConfig();
      config.setString(CONFIG_SECTION, null, REQUIRED_CHECKS_KEY, names.isEmpty() ? NO_CHECKS : String.join(",", names));
      config.save();
      return null;
    });
  }

  @Override
  public CiStatus ciStatus(RepositoryRef repository, String headSha) {
    return withRepo(repository, repo -> ci.status(repository.fullName(), repositories.pathOf(repository), repo, headSha));
  }

  /**
   * Merges when the pull request is open, its branch is still at {@code expectedHeadSha} and it has
   * no conflicts. A merge already on the base (a crash came between moving the ref and recording it)
   * is recognised by its trailer and only recorded.
   */
  @Override
  public MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method) {
    PullRequestRows.Row row = row(repository, number);
    if (row.state() == PullRequest.State.MERGED && row.mergeSha() != null) {
      return new MergeResult.Merged(row.mergeSha());
    }
    if (row.state() != PullRequest.State.OPEN) {
      return new MergeResult.NotMergeable("pull request #" + number + " is " + row.state().name().toLowerCase());
    }
    return withRepo(repository, repo -> {
      for (int attempt = 1; ; attempt++) {
        Optional<MergeResult> result = tryMerge(repository, repo, row, expectedHeadSha, method);
        if (result.isPresent()) {
          return result.get();
        }
        if (attempt == 2) {
          return new MergeResult.NotMergeable(
              row.base() + " keeps moving while merging #" + number + "; try again");
        }
        LOG.info("{} {} moved while merging #{}; trying once more", repository.fullName(), row.base(), number);
      }
    });
  }

  /** One merge attempt; empty when the base moved under it and the ref was left alone. */
  private Optional<MergeResult> tryMerge(
      RepositoryRef repository, Repository repo, PullRequestRows.Row row, String expectedHeadSha, MergeMethod method)
      throws IOException {
    String name = repository.fullName();
    int number = row.number();
    ObjectId baseHead = BareRepositories.branchHead(repo, row.base())
        .orElseThrow(() -> new LocalForgeException(name + " has no base branch " + row.base()));
    Optional<ObjectId> already = LocalMerge.findMerged(repo, baseHead, number, row.createdAt());
    if (already.isPresent()) {
      LOG.info("{} #{} is already merged as {}; recording it", name, number, already.get().name());
      pullRequests.markMerged(name, number, already.get().name());
      return Optional.of(new MergeResult.Merged(already.get().name()));
    }
    Optional<ObjectId> head = BareRepositories.branchHead(repo, row.branch());
    if (head.isEmpty()) {
      return Optional.of(new MergeResult.NotMergeable("the branch " + row.branch() + " no longer exists"));
    }
    if (!head.get().name().equals(expectedHeadSha)) {
      return Optional.of(new MergeResult.HeadMoved(head.get().name()));
    }
    LocalMerge.Written written =
        LocalMerge.write(repo, method, baseHead, head.get(), number, row.title(), row.body(), clock.instant());
    if (written instanceof LocalMerge.Written.Conflicts conflicts) {
      return Optional.of(new MergeResult.NotMergeable(
          "conflicts with " + row.base() + " in " + String.join(", ", conflicts.paths())));
    }
    ObjectId merged = ((LocalMerge.Written.Commit) written).id();
    if (!LocalMerge.advance(repo, row.base(), baseHead, merged, number, clock.instant())) {
      return Optional.empty();
    }
    pullRequests.markMerged(name, number, merged.name());
    LOG.info("{} #{} merged into {} as {} ({})", name, number, row.base(), merged.name(), method);
    // As a hosted forge's CI runs on pushes to the default branch: the merge commit gets its checks.
    try {
      ci.status(name, repositories.pathOf(repository), repo, merged.name());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not start CI on {} at {} after the merge: {}", name, merged.name(), e.getMessage());
    }
    return Optional.of(new MergeResult.Merged(merged.name()));
  }

  @Override
  public void deleteBranch(RepositoryRef repository, String branch) {
    withRepo(repository, repo -> {
      if (repo.exactRef(Constants.R_HEADS + branch) == null) {
        return null;
      }
      RefUpdate update = repo.updateRef(Constants.R_HEADS + branch);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.delete();
      if (result != RefUpdate.Result.FORCED && result != RefUpdate.Result.NO_CHANGE
          && result != RefUpdate.Result.NEW) {
        throw new LocalForgeException("could not delete " + branch + " in " + repository.fullName() + ": " + result);
      }
      return null;
    });
  }

  @Override
  public Optional<String> branchHead(RepositoryRef repository, String branch) {
    return withRepo(repository, repo -> {
      org.eclipse.jgit.lib.Ref ref = repo.exactRef(Constants.R_HEADS + branch);
      return Optional.ofNullable(ref == null ? null : ref.getObjectId().name());
    });
  }

  /** The comments on a pull request, oldest first. */
  public List<String> comments(RepositoryRef repository, int number) {
    return pullRequests.comments(repository.fullName(), number);
  }

  BareRepositories repositories() {
    return repositories;
  }

  PullRequestRows pullRequests() {
    return pullRequests;
  }

  private PullRequestRows.Row row(RepositoryRef repository, int number) {
    return pullRequests.find(repository.fullName(), number)
        .orElseThrow(() -> new LocalForgeException(
            repository.fullName() + " has no pull request #" + number));
  }

  private PullRequest view(RepositoryRef repository, PullRequestRows.Row row, PullRequest.Mergeable mergeable) {
    return new PullRequest(
        row.number(),
        repositories.webUrl(repository.owner(), repository.name()) + "/pull/" + row.number(),
        row.branch(),
        row.base(),
        row.headSha(),
        row.state(),
        mergeable);
  }

  /** Work on one open bare repository. */
  @FunctionalInterface
  interface RepoWork<T> {
    T run(Repository repo) throws IOException;
  }

  <T> T withRepo(RepositoryRef ref, RepoWork<T> work) {
    try (Repository repo = repositories.open(ref)) {
      return work.run(repo);
    } catch (IOException e) {
      throw new LocalForgeException("could not read " + ref.fullName() + ": " + e.getMessage(), e);
    }
  }
}
