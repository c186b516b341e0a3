package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.engine.ForgeEvents.Discover;
import dev.flotilla.controller.engine.ForgeEvents.Forget;
import dev.flotilla.controller.engine.ForgeEvents.ForgetRequiredChecks;
import dev.flotilla.controller.engine.ForgeEvents.ReadOptIn;
import dev.flotilla.controller.engine.ForgeEvents.Reconcile;
import dev.flotilla.controller.forge.github.WebhookEvent;
import dev.flotilla.controller.forge.github.WebhookEvent.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each webhook event asks of the engine, decided without a store. */
class ForgeEventsTest {

  private static WebhookEvent event(Kind kind, String action, String repository, String account, List<String> repositories) {
    return new WebhookEvent(kind, "d1", action, repository, null, null, account, repositories);
  }

  @Test
  void pullRequestCheckStatusAndReviewEventsReconcileTheirChangesets() {
    for (Kind kind : List.of(Kind.PULL_REQUEST, Kind.CHECK_RUN, Kind.CHECK_SUITE, Kind.STATUS, Kind.PULL_REQUEST_REVIEW)) {
      assertThat(ForgeEvents.workFor(new WebhookEvent(kind, "submitted", "acme/api", "flotilla/bump", "abc")))
          .containsExactly(new Reconcile(kind.header(), "acme/api", "flotilla/bump", "abc"));
    }
  }

  @Test
  void eventsAfterWhichTheRulesWouldDecideAsBeforeAskForNothing() {
    // Each would cost a read of the pull request and change no decision: left to the next look.
    assertThat(ForgeEvents.workFor(new WebhookEvent(Kind.PULL_REQUEST, "opened", "acme/api", "flotilla/bump", "abc"))).isEmpty();
    assertThat(ForgeEvents.workFor(new WebhookEvent(Kind.PULL_REQUEST, "labeled", "acme/api", "flotilla/bump", "abc"))).isEmpty();
    assertThat(ForgeEvents.workFor(new WebhookEvent(Kind.PULL_REQUEST, "review_requested", "acme/api", "flotilla/bump", "abc"))).isEmpty();
    assertThat(ForgeEvents.workFor(new WebhookEvent(Kind.CHECK_RUN, "created", "acme/api", "flotilla/bump", "abc"))).isEmpty();
    assertThat(ForgeEvents.workFor(new WebhookEvent(Kind.CHECK_SUITE, "requested", "acme/api", "flotilla/bump", "abc"))).isEmpty();
    assertThat(ForgeEvents.workFor(new WebhookEvent(Kind.STATUS, "pending", "acme/api", "flotilla/bump", "abc"))).isEmpty();
    // What can move a pull request still reconciles it at once.
    for (WebhookEvent moves : List.of(
        new WebhookEvent(Kind.PULL_REQUEST, "closed", "acme/api", "flotilla/bump", "abc"),
        new WebhookEvent(Kind.PULL_REQUEST, "synchronize", "acme/api", "flotilla/bump", "abc"),
        new WebhookEvent(Kind.PULL_REQUEST, "dequeued", "acme/api", "flotilla/bump", "abc"),
        new WebhookEvent(Kind.CHECK_RUN, "completed", "acme/api", "flotilla/bump", "abc"),
        new WebhookEvent(Kind.STATUS, "failure", "acme/api", "flotilla/bump", "abc"),
        new WebhookEvent(Kind.PULL_REQUEST_REVIEW, "submitted", "acme/api", "flotilla/bump", "abc"))) {
      assertThat(ForgeEvents.workFor(moves)).as(moves.kind() + " " + moves.action()).hasSize(1);
    }
  }

  @Test
  void checksOnAnotherBranchAreKeyedByCommit() {
    Reconcile onMain = new Reconcile("status", "acme/api", "main", "abc");
    Reconcile onBranch = new Reconcile("check_run", "acme/api", "flotilla/bump", "abc");

    assertThat(onMain.key()).isEqualTo("reconcile acme/api abc");
    assertThat(onBranch.key()).isEqualTo("reconcile acme/api flotilla/bump");
  }

  @Test
  void anOptInPushRereadsThatRepository() {
    assertThat(ForgeEvents.workFor(new WebhookEvent(Kind.PUSH, "d1", null, "acme/api", "main", "abc", null, List.of())))
        .containsExactly(new ReadOptIn("push", "acme/api"));
  }

  @Test
  void installationsGainingRepositoriesDiscoverAndLosingThemForget() {
    assertThat(ForgeEvents.workFor(event(Kind.INSTALLATION, "created", null, "acme", List.of("acme/api"))))
        .containsExactly(new Discover("installation"));
    assertThat(ForgeEvents.workFor(event(Kind.INSTALLATION, "unsuspend", null, "acme", List.of())))
        .containsExactly(new Discover("installation"));
    assertThat(ForgeEvents.workFor(event(Kind.INSTALLATION, "deleted", null, "acme", List.of("acme/api"))))
        .containsExactly(new Forget("installation", List.of("acme/api")));
    // Suspended on all repositories: no list, so a scan finds what is gone.
    assertThat(ForgeEvents.workFor(event(Kind.INSTALLATION, "suspend", null, "acme", List.of())))
        .containsExactly(new Discover("installation"));
    assertThat(ForgeEvents.workFor(event(Kind.INSTALLATION_REPOSITORIES, "added", null, "acme", List.of("acme/new"))))
        .containsExactly(new Discover("installation_repositories"));
    assertThat(ForgeEvents.workFor(event(Kind.INSTALLATION_REPOSITORIES, "removed", null, "acme", List.of("acme/old"))))
        .containsExactly(new Forget("installation_repositories", List.of("acme/old")));
    assertThat(ForgeEvents.workFor(event(Kind.INSTALLATION, "new_permissions_requested", null, "acme", List.of()))).isEmpty();
  }

  @Test
  void protectionAndRulesetChangesForgetRequiredChecks() {
    assertThat(ForgeEvents.workFor(event(Kind.BRANCH_PROTECTION_RULE, "edited", "acme/api", "acme", List.of())))
        .containsExactly(new ForgetRequiredChecks("branch_protection_rule", "acme/api", "acme"));
    assertThat(ForgeEvents.workFor(event(Kind.REPOSITORY_RULESET, "edited", null, "acme", List.of())))
        .containsExactly(new ForgetRequiredChecks("repository_ruleset", null, "acme"));
  }
}
