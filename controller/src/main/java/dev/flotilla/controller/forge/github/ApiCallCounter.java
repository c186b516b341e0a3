package dev.flotilla.controller.forge.github;

/**
 * Told about every request sent to GitHub, retries included, so metrics can show where the rate
 * budget goes. Called on the calling thread; implementations must be quick and thread-safe.
 */
public interface ApiCallCounter {

  ApiCallCounter NONE =
      new ApiCallCounter() {
        @Override
        public void onCall(String endpoint, int status) {}

        @Override
        public void onRateLimit(String resource, int remaining, int limit) {}
      };

  /**
   * One request answered (or failed).
   *
   * @param endpoint the method and path template, such as {@code GET /repos/{owner}/{repo}/pulls}
   * @param status the HTTP status, or {@code -1} when no answer came (timeout, connection reset)
   */
  void onCall(String endpoint, int status);

  /** The rate budget GitHub reported on a response, for the {@code core} or {@code graphql} resource. */
  void onRateLimit(String resource, int remaining, int limit);
}
