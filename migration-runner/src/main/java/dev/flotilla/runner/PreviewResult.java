package dev.flotilla.runner;

import dev.flotilla.migration.Outcome;
import java.util.List;

/**
 * What a migration would do to a checkout: its outcome, a unified diff of every file it changed
 * (empty when none), and those files' paths.
 */
public record PreviewResult(Outcome outcome, String diff, List<String> changedFiles) {

  public PreviewResult {
    changedFiles = List.copyOf(changedFiles);
  }
}
