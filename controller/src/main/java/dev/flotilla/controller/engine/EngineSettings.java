package dev.flotilla.controller.engine;

import dev.flotilla.runner.RunRequest;
import java.time.Duration;

/**
 * The engine's knobs.
 *
 * @param dashboardUrl the public dashboard URL, linked from pull request bodies
 * @param globalConcurrentRuns runs in flight across all campaigns
 * @param maxOpenPullRequestsPerRepo Flotilla pull requests open at once in one repository
 * @param recheckInterval how long to wait before asking the forge again about a pull request whose
 *     CI runs (the poll interval); pull requests that wait for a person are read less often, see
 *     {@code watch}
 * @param watch how the wait between reads of a pull request grows with what it waits for
 */
public record EngineSettings(
    String dashboardUrl,
    int globalConcurrentRuns,
    int maxOpenPullRequestsPerRepo,
    Duration recheckInterval,
    RunRequest.Author author,
    WatchSettings watch) {

  public EngineSettings(
      String dashboardUrl, int globalConcurrentRuns, int maxOpenPullRequestsPerRepo, Duration recheckInterval, RunRequest.Author author) {
    this(dashboardUrl, globalConcurrentRuns, maxOpenPullRequestsPerRepo, recheckInterval, author, WatchSettings.DEFAULTS);
  }

  public static EngineSettings defaults() {
    return new EngineSettings("http://localhost:8080", 50, 3, Duration.ofSeconds(30), RunRequest.Author.DEFAULT);
  }

  public EngineSettings withRecheckInterval(Duration interval) {
    return new EngineSettings(dashboardUrl, globalConcurrentRuns, maxOpenPullRequestsPerRepo, interval, author, watch);
  }

  public EngineSettings withWatch(WatchSettings watch) {
    return new EngineSettings(dashboardUrl, globalConcurrentRuns, maxOpenPullRequestsPerRepo, recheckInterval, author, watch);
  }
}
