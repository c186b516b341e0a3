package dev.flotilla.dashboard.port;

/** The action does not fit the current state (HTTP 409); the message says what to do instead. */
public class ActionRefusedException extends RuntimeException {

  public ActionRefusedException(String message) {
    super(message);
  }
}
