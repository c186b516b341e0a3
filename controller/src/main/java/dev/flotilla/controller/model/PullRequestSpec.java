package dev.flotilla.controller.model;

import java.util.List;

/** What a pull request should say and who should see it. */
public record PullRequestSpec(
    String branch, String base, String title, String body, List<String> labels, List<String> reviewers) {

  public PullRequestSpec {
    labels = labels == null ? List.of() : List.copyOf(labels);
    reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
  }
}
