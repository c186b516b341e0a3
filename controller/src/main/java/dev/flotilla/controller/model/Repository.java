package dev.flotilla.controller.model;


/**
 * A repository as the store knows it: where it lives and what its opt-in file says.
 *
 * @param optIn the parsed opt-in when {@code status} is {@link OptInStatus#OPTED_IN}, else null
 * @param optInError why the opt-in file could not be used, when {@link OptInStatus#INVALID_CONFIG}
 */
public record Repository(
    long id,
    RepositoryRef ref,
    OptInStatus status,
    OptIn optIn,
    String optInText,
    String optInError) {

  public String fullName() {
    return ref.fullName();
  }
}
