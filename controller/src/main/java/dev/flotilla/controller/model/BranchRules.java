package dev.flotilla.controller.model;

import java.util.List;

/**
 * What the forge demands before a pull request may merge into a branch: classic branch protection
 * and every ruleset that applies to it, merged (the strictest of each wins).
 *
 * @param requiredChecks check names that must have passed on the head, whatever the token may bypass
 * @param strict the head must contain the base's latest commit ("require branches to be up to date")
 * @param mergeQueue merges go through the branch's merge queue, never directly
 * @param requiredApprovals approving reviews required before a merge
 */
public record BranchRules(List<String> requiredChecks, boolean strict, boolean mergeQueue, int requiredApprovals) {

  /** Nothing required: the local forge, or a branch without protection or rulesets. */
  public static final BranchRules NONE = new BranchRules(List.of(), false, false, 0);

  public BranchRules {
    requiredChecks = List.copyOf(requiredChecks);
  }
}
