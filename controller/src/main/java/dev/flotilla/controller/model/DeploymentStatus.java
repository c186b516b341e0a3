package dev.flotilla.controller.model;

/**
 * The latest status of the latest deployment of a commit to one environment, as the forge reports it.
 *
 * @param description what the deployment said about itself, or null
 * @param logUrl where its output is, or null
 */
public record DeploymentStatus(String environment, State state, String description, String logUrl) {

  /** GitHub's deployment states, folded into what post-merge health needs from them. */
  public enum State {
    /** queued, pending, in_progress: no verdict yet. */
    PENDING,
    SUCCESS,
    FAILURE,
    ERROR,
    /** A newer deployment to the environment succeeded since, so this one did not fail. */
    INACTIVE;

    /** The state as GitHub writes it; one not known here is pending, so it never passes or fails a watch by itself. */
    public static State of(String written) {
      return switch (written == null ? "" : written) {
        case "success" -> SUCCESS;
        case "failure" -> FAILURE;
        case "error" -> ERROR;
        case "inactive" -> INACTIVE;
        default -> PENDING;
      };
    }

    public boolean failed() {
      return this == FAILURE || this == ERROR;
    }

    public boolean green() {
      return this == SUCCESS || this == INACTIVE;
    }
  }
}
