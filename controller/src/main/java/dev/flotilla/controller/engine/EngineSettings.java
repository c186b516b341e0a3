package dev.flotilla.controller.engine;

import dev.flotilla.runner.RunRequest;
import java.time.Duration;

/**
 * The engine's knobs.
 *
 * @param dashboardUrl the public dashboard URL, linked from pull request bodies
 * @param globalConcurrentRuns runs in flight across all campaigns
 * @param maxOpenPullRequestsPerRepo Flotilla pull requests open at once in one repository
 * @param recheckInterval how long to wait before asking the forge again about a pull request
 */
public record EngineSettings(
    String dashboardUrl,
    int globalConcurrentRuns,
    int maxOpenPullRequestsPerRepo,
    Duration recheckInterval,
    RunRequest.Author author) {

  public static EngineSettings defaults() {
    return new EngineSettings("http://localhost:8080", 50, 3, Duration.ofSeconds(30), RunRequest.Author.DEFAULT);
  }

  public EngineSettings withRecheckInterval(Duration interval) {
    return new EngineSettings(dashboardUrl, globalConcurrentRuns, maxOpenPullRequestsPerRepo, interval, author);
  }
}
