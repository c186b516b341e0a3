package dev.flotilla.controller.model;

/** How a pull request is merged; the repository's opt-in file chooses. */
public enum MergeMethod {
  MERGE,
  SQUASH,
  REBASE
}
