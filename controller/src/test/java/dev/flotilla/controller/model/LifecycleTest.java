package dev.flotilla.controller.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.model.Lifecycle.By;
import dev.flotilla.controller.model.Lifecycle.Transition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  static final Path DESIGN = Path.of("..", "docs", "DESIGN.md");
  static final String BEGIN = "<!-- lifecycle: generated from Lifecycle.render(), checked by LifecycleTest -->";
  static final String END = "<!-- lifecycle: end -->";

  @Test
  void everyStateIsReachableFromWhereChangesetsStart() {
    Set<ChangesetState> reached = EnumSet.copyOf(Lifecycle.INITIAL);
    Deque<ChangesetState> todo = new ArrayDeque<>(Lifecycle.INITIAL);
    while (!todo.isEmpty()) {
      ChangesetState from = todo.pop();
      for (Transition t : Lifecycle.table()) {
        if (t.from().contains(from) && reached.add(t.to())) {
          todo.push(t.to());
        }
      }
    }
    // HALTED is a state the dashboard can filter by, but no rule moves a changeset there.
    assertThat(EnumSet.complementOf(EnumSet.copyOf(reached))).containsExactly(ChangesetState.HALTED);
  }

  @Test
  void nothingLeavesATerminalStateOnItsOwn() {
    for (Transition t : Lifecycle.table()) {
      // The one exception: a merge's default branch is watched for the campaign's postMerge.watch.
      boolean watchedAfterMerge = t.to() == ChangesetState.POST_MERGE_FAILED && t.from().equals(Lifecycle.HEALTH_WATCHED);
      if ((t.by() == By.ENGINE || t.by() == By.RUNNER) && !watchedAfterMerge) {
        assertThat(t.from()).as(t.toString()).doesNotContainAnyElementsOf(Lifecycle.TERMINAL);
      }
    }
  }

  @Test
  void onlyARunResultLeavesRunningExceptARefusedStart() {
    for (Transition t : Lifecycle.table()) {
      if (t.from().contains(ChangesetState.RUNNING) && t.by() != By.RUNNER) {
        assertThat(t).isEqualTo(new Transition(ChangesetState.PENDING, By.ENGINE, Set.of(ChangesetState.RUNNING),
            "the executor did not take the run"));
      }
    }
  }

  @Test
  void theGroupsAgreeWithTheTable() {
    Set<ChangesetState> byPerson = EnumSet.copyOf(Lifecycle.RETRYABLE);
    byPerson.addAll(Lifecycle.REVERTIBLE);
    assertThat(Lifecycle.from(ChangesetState.PENDING, By.PERSON)).isEqualTo(byPerson);
    assertThat(Lifecycle.RETRYABLE).doesNotContainAnyElementsOf(Lifecycle.REVERTIBLE);
    assertThat(Lifecycle.FAILURE).contains(ChangesetState.POST_MERGE_FAILED);
    assertThat(Lifecycle.HOLDS_A_PULL_REQUEST_SLOT).containsAll(Lifecycle.WATCHED).contains(ChangesetState.RUNNING);
    assertThat(Lifecycle.OPEN_PULL_REQUEST).containsAll(Lifecycle.OPEN_IN_REPOSITORY).containsAll(Lifecycle.AWAITING_MERGE);
    assertThat(Lifecycle.WATCHED).containsAll(Lifecycle.OPEN_PULL_REQUEST).contains(ChangesetState.PUSHED);
    assertThat(Lifecycle.TERMINAL).doesNotContainAnyElementsOf(Lifecycle.WATCHED);
    assertThat(Lifecycle.allows(ChangesetState.MERGED, ChangesetState.PENDING, By.ENGINE)).isFalse();
    assertThat(Lifecycle.allows(ChangesetState.MERGED, ChangesetState.PENDING, By.CAMPAIGN)).isTrue();
  }

  @Test
  void skippedForAnInvalidOptInIsTheOnlySkipShownApart() {
    assertThat(Lifecycle.skippedForInvalidOptIn(ChangesetState.SKIPPED, OptInStatus.INVALID_CONFIG)).isTrue();
    assertThat(Lifecycle.skippedForInvalidOptIn(ChangesetState.SKIPPED, OptInStatus.OPTED_IN)).isFalse();
    assertThat(Lifecycle.skippedForInvalidOptIn(ChangesetState.PENDING, OptInStatus.INVALID_CONFIG)).isFalse();
  }

  @Test
  void designDocumentDrawsTheTable() throws IOException {
    String doc = Files.readString(DESIGN);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("docs/DESIGN.md has the marker " + BEGIN).isNotNegative();
    assertThat(end).as("docs/DESIGN.md has the marker " + END).isGreaterThan(begin);
    String drawn = doc.substring(begin + BEGIN.length(), end).strip();
    String expected = "```\n" + Lifecycle.render() + "```";
    assertThat(drawn).as("docs/DESIGN.md's lifecycle; replace the block between the markers with:%n%s%n", expected)
        .isEqualTo(expected);
  }
}
