package dev.flotilla.controller.engine;

import dev.flotilla.controller.forge.github.WebhookEvent;
import dev.flotilla.controller.model.Changeset;
import dev.flotilla.controller.model.Repository;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.ChangesetStore.Changes;
import dev.flotilla.runner.RunRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * What a forge event (a webhook) asks of the engine, as {@link Work} values ({@link #workFor}, pure),
 * and doing it ({@link #handle}) or leaving it to polling ({@link #deferToPolling}). Pull request,
 * check and review events reconcile the changeset whose campaign branch they name
 * ({@code flotilla/<campaign>}), or else those whose last push is their head commit.
 */
public final class ForgeEvents {

  /** One piece of work; events asking for the same work have the same key and are done once. */
  public sealed interface Work {
    String key();

    /** The webhook event type that asked for it, for metrics. */
    String event();
  }

  /** Reconcile the changesets a pull request, check, status or review event is about. */
  public record Reconcile(String event, String repository, String branch, String headSha) implements Work {
    @Override
    public String key() {
      boolean ours = branch != null && branch.startsWith(RunRequest.branchFor(""));
      return "reconcile " + repository + " " + (ours || headSha == null ? branch : headSha);
    }
  }

  /** Re-read one repository's {@code .flotilla.yaml}: a push to its default branch changed it. */
  public record ReadOptIn(String event, String repository) implements Work {
    @Override
    public String key() {
      return "opt-in " + repository;
    }
  }

  /** Scan the forge now: an installation gained repositories. */
  public record Discover(String event) implements Work {
    @Override
    public String key() {
      return "discover";
    }
  }

  /** Mark repositories absent: an installation lost them. */
  public record Forget(String event, List<String> repositories) implements Work {
    @Override
    public String key() {
      return "forget " + String.join(",", repositories);
    }
  }

  /**
   * Forget the required checks read earlier: branch protection or a ruleset changed. Without a
   * repository (an organisation's ruleset), every repository of {@code account} (or of the fleet).
   */
  public record ForgetRequiredChecks(String event, String repository, String account) implements Work {
    @Override
    public String key() {
      return "required-checks " + (repository != null ? repository : account + "/*");
    }
  }

  private final EngineContext fleet;
  private final Controller controller;

  /** Only finds changesets ({@link #changesetsFor}); does no work. */
  public ForgeEvents(EngineContext fleet) {
    this.fleet = fleet;
    this.controller = null;
  }

  public ForgeEvents(Controller controller) {
    this.fleet = controller.fleet();
    this.controller = controller;
  }

  /** The work an event asks for; empty when nothing Flotilla follows is concerned. */
  public static List<Work> workFor(WebhookEvent event) {
    String type = event.kind().header();
    return switch (event.kind()) {
      case PULL_REQUEST, CHECK_RUN, CHECK_SUITE, STATUS, PULL_REQUEST_REVIEW ->
          event.repository() == null || !mayChangeADecision(event)
              ? List.of() : List.of(new Reconcile(type, event.repository(), event.branch(), event.headSha()));
      case PUSH -> List.of(new ReadOptIn(type, event.repository()));
      case INSTALLATION -> switch (event.action() == null ? "" : event.action()) {
        // Without a list (an installation on all repositories) a scan finds what is gone.
        case "deleted", "suspend" -> event.repositories().isEmpty() ? List.of(new Discover(type)) : List.of(new Forget(type, event.repositories()));
        case "created", "unsuspend", "new_permissions_accepted" -> List.of(new Discover(type));
        default -> List.of();
      };
      case INSTALLATION_REPOSITORIES -> switch (event.action() == null ? "" : event.action()) {
        case "removed" -> event.repositories().isEmpty() ? List.of() : List.of(new Forget(type, event.repositories()));
        case "added" -> List.of(new Discover(type));
        default -> List.of();
      };
      case BRANCH_PROTECTION_RULE, REPOSITORY_RULESET -> List.of(new ForgetRequiredChecks(type, event.repository(), event.account()));
    };
  }

  /**
   * Pull request actions after which the rules would decide as before: Flotilla opened the pull
   * request and set its labels and reviewers itself, and the rest change nothing it merges on.
   */
  private static final Set<String> PULL_REQUEST_ACTIONS_THAT_DECIDE_NOTHING = Set.of(
      "opened", "labeled", "unlabeled", "assigned", "unassigned", "review_requested", "review_request_removed",
      "milestoned", "demilestoned", "locked", "unlocked");

  /** Check actions that announce work starting: the checks are pending before and after. */
  private static final Set<String> CHECK_ACTIONS_THAT_DECIDE_NOTHING = Set.of("created", "requested", "rerequested", "requested_action");

  /**
   * Whether the event may change what the rules decide for its pull request. One that cannot would
   * only cost a read of the pull request (each reconcile reads it), so it is left to the next look;
   * GitHub's action names are from its webhook payloads ({@code @octokit/webhooks-examples}).
   */
  static boolean mayChangeADecision(WebhookEvent event) {
    String action = event.action() == null ? "" : event.action();
    return switch (event.kind()) {
      case PULL_REQUEST -> !PULL_REQUEST_ACTIONS_THAT_DECIDE_NOTHING.contains(action);
      case CHECK_RUN, CHECK_SUITE -> !CHECK_ACTIONS_THAT_DECIDE_NOTHING.contains(action);
      // A status event's action is its state: pending says the checks have not finished.
      case STATUS -> !"pending".equals(action);
      default -> true;
    };
  }

  /** A verified webhook delivery arrived, whatever it asks for: webhooks are working. */
  public void delivered() {
    if (controller != null) {
      controller.changesetReconciler().webhookDelivered();
    }
  }

  /** Does the work now; returns how many changesets or repositories it touched. */
  public int handle(Work work) {
    if (controller == null) {
      throw new IllegalStateException("built to find changesets only");
    }
    if (work instanceof Reconcile r) {
      List<Changeset> changesets = changesetsFor(r.repository(), r.branch(), r.headSha());
      changesets.forEach(c -> controller.changesetReconciler().reconcile(c.id()));
      return changesets.size();
    }
    if (work instanceof ReadOptIn r) {
      Optional<Repository> known = repository(r.repository());
      if (known.isPresent()) {
        controller.rescan(known.get().ref());
      } else {
        // Not seen yet (new since the last scan): the scan reads its default branch and clone URL.
        controller.discover();
      }
      return 1;
    }
    if (work instanceof Discover) {
      return controller.discover().repositories();
    }
    if (work instanceof Forget f) {
      return controller.forget(f.repositories());
    }
    return forgetRequiredChecks((ForgetRequiredChecks) work);
  }

  /**
   * What a full queue does instead: the changesets concerned are marked due, so the next polling
   * round reconciles them first; repository work waits for the next discovery, which does the same.
   * Only reads and writes the store. Returns how many changesets were marked.
   */
  public int deferToPolling(Work work) {
    if (work instanceof Reconcile r) {
      List<Changeset> changesets = changesetsFor(r.repository(), r.branch(), r.headSha());
      changesets.forEach(c -> fleet.changesets().update(c.id(), Changes.none().nextCheckAt(null), fleet.clock().instant()));
      return changesets.size();
    }
    if (work instanceof ForgetRequiredChecks f) {
      // Forgetting a cache entry costs nothing and waits on nothing: do it rather than defer it.
      return forgetRequiredChecks(f);
    }
    return 0;
  }

  private int forgetRequiredChecks(ForgetRequiredChecks work) {
    if (work.repository() != null) {
      fleet.forge().forgetBranchRules(repository(work.repository()).map(Repository::ref).orElseGet(() -> ref(work.repository())));
      return 1;
    }
    int n = 0;
    for (Repository repo : fleet.repositories().present()) {
      if (work.account() == null || work.account().equalsIgnoreCase(repo.ref().owner())) {
        fleet.forge().forgetBranchRules(repo.ref());
        n++;
      }
    }
    return n;
  }

  private Optional<Repository> repository(String fullName) {
    if (fullName == null) {
      return Optional.empty();
    }
    String[] ownerAndName = fullName.split("/", 2);
    return fleet.repositories().byName(ownerAndName[0], ownerAndName.length > 1 ? ownerAndName[1] : "");
  }

  private static RepositoryRef ref(String fullName) {
    String[] ownerAndName = fullName.split("/", 2);
    return new RepositoryRef(ownerAndName[0], ownerAndName.length > 1 ? ownerAndName[1] : "", null, null, null);
  }

  /** The changesets {@code repository} ({@code owner/name}) at {@code branch} or {@code headSha} concerns; either may be null. */
  public List<Changeset> changesetsFor(String repository, String branch, String headSha) {
    List<Changeset> found = new ArrayList<>();
    Optional<Repository> repo = repository(repository);
    if (repo.isEmpty()) {
      return found;
    }
    String prefix = RunRequest.branchFor("");
    if (branch != null && branch.startsWith(prefix)) {
      fleet.changesets().find(branch.substring(prefix.length()), repo.get().id()).ifPresent(found::add);
    } else if (headSha != null) {
      fleet.changesets().forRepository(repo.get().id()).stream()
          .filter(c -> headSha.equals(c.lastPushedSha()))
          .forEach(found::add);
    }
    return found;
  }
}
