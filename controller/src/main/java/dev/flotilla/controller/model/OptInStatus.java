package dev.flotilla.controller.model;

/** What discovery found in a repository's {@code .flotilla.yaml}. */
public enum OptInStatus {
  OPTED_IN,
  NOT_OPTED_IN,
  INVALID_CONFIG
}
