package dev.flotilla.dashboard.port;

/** The campaign, repository or changeset an action or query names does not exist (HTTP 404). */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String message) {
    super(message);
  }
}
