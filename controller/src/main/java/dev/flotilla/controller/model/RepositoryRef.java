package dev.flotilla.controller.model;

/** One repository on a forge, as discovery found it. */
public record RepositoryRef(String owner, String name, String defaultBranch, String cloneUrl, String webUrl) {

  /** {@code owner/name}. */
  public String fullName() {
    return owner + "/" + name;
  }
}
