package dev.flotilla.controller.chaos;

import dev.flotilla.controller.model.CiStatus;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.MergeResult;
import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.runner.RunRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A forge whose API calls fail some of the time, as a real one does: half of the faults are errors
 * (a 502 before the call reaches the forge), half are timeouts (a wait, then no answer). A timeout
 * has, on a coin toss, already done its work on the forge, which is the case that tests whether
 * opening and merging pull requests are safe to repeat.
 */
final class FaultyForge implements Forge {

  private static final Duration LONGEST_TIMEOUT = Duration.ofMillis(400);

  private final Forge real;
  private final Faults faults;

  FaultyForge(Forge real, Faults faults) {
    this.real = real;
    this.faults = faults;
  }

  @Override
  public String name() {
    return real.name();
  }

  @Override
  public List<RepositoryRef> listRepositories() {
    return call("listRepositories", real::listRepositories);
  }

  @Override
  public Map<RepositoryRef, String> readOptInFiles(List<RepositoryRef> repositories) {
    return call("readOptInFiles", () -> real.readOptInFiles(repositories));
  }

  @Override
  public RunRequest.Credential runCredential(RepositoryRef repository) {
    return call("runCredential " + repository.fullName(), () -> real.runCredential(repository));
  }

  @Override
  public Optional<PullRequest> findOpenPullRequest(RepositoryRef repository, String branch) {
    return call("findOpenPullRequest " + repository.fullName(), () -> real.findOpenPullRequest(repository, branch));
  }

  @Override
  public PullRequest openPullRequest(RepositoryRef repository, PullRequestSpec spec) {
    return call("openPullRequest " + repository.fullName(), () -> real.openPullRequest(repository, spec));
  }

  @Override
  public PullRequest getPullRequest(RepositoryRef repository, int number) {
    return call("getPullRequest " + repository.fullName() + "#" + number, () -> real.getPullRequest(repository, number));
  }

  @Override
  public void updatePullRequest(RepositoryRef repository, int number, PullRequestSpec spec) {
    call("updatePullRequest " + repository.fullName() + "#" + number, () -> {
      real.updatePullRequest(repository, number, spec);
      return null;
    });
  }

  @Override
  public void closePullRequest(RepositoryRef repository, int number, String comment) {
    call("closePullRequest " + repository.fullName() + "#" + number, () -> {
      real.closePullRequest(repository, number, comment);
      return null;
    });
  }

  @Override
  public java.util.List<String> requiredChecks(RepositoryRef repository) {
    return call("requiredChecks " + repository.fullName(), () -> real.requiredChecks(repository));
  }

  @Override
  public CiStatus ciStatus(RepositoryRef repository, String headSha) {
    return call("ciStatus " + repository.fullName(), () -> real.ciStatus(repository, headSha));
  }

  @Override
  public MergeResult merge(RepositoryRef repository, int number, String expectedHeadSha, MergeMethod method) {
    return call("merge " + repository.fullName() + "#" + number, () -> real.merge(repository, number, expectedHeadSha, method));
  }

  @Override
  public void deleteBranch(RepositoryRef repository, String branch) {
    call("deleteBranch " + repository.fullName(), () -> {
      real.deleteBranch(repository, branch);
      return null;
    });
  }

  private <T> T call(String what, Supplier<T> call) {
    if (!faults.strikes()) {
      return call.get();
    }
    if (faults.coin()) {
      throw faults.record("forge answered 502 Bad Gateway to " + what);
    }
    boolean reachedForge = faults.coin();
    if (reachedForge) {
      call.get();
    }
    sleep(faults.pause(LONGEST_TIMEOUT));
    throw faults.record("forge timed out on " + what + (reachedForge ? " after doing it" : ""));
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
