package dev.flotilla.controller.forge;

/** How a pull request is merged; the repository's opt-in file chooses. */
public enum MergeMethod {
  MERGE,
  SQUASH,
  REBASE
}
