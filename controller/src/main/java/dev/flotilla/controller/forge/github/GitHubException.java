package dev.flotilla.controller.forge.github;

import dev.flotilla.FlotillaException;
import dev.flotilla.TokenMask;

/**
 * GitHub refused or did not answer a request. The message names the endpoint, the repository and
 * GitHub's own message; it never holds a token or a header (anything shaped like a token, echoed
 * back by a server, is masked).
 */
public class GitHubException extends FlotillaException {

  private final int status;

  public GitHubException(String message, int status) {
    super(TokenMask.mask(message));
    this.status = status;
  }

  public GitHubException(String message, int status, Throwable cause) {
    super(TokenMask.mask(message), cause);
    this.status = status;
  }

  /** The HTTP status, or -1 when no answer came. */
  public int status() {
    return status;
  }

  /**
   * Whether the outcome is unknown rather than refused: a timeout or a 5xx. A request that changes
   * something may have taken effect, so look before sending it again.
   */
  public boolean outcomeUnknown() {
    return status == -1 || status >= 500;
  }
}
