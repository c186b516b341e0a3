package dev.flotilla.migrations;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Which paths are GitHub Actions workflows: GitHub refuses a push that creates or changes one unless
 * the token has the {@code workflows} permission, so a migration that may touch one says so.
 */
final class Workflows {

  static final String FOLDER = ".github/workflows/";

  /** Workflow files as GitHub reads them (YAML, in the folder or below): a glob selecting none of them selects no workflow. */
  private static final List<String> SAMPLES =
      List.of(FOLDER + "ci.yml", FOLDER + "ci.yaml", FOLDER + "nested/ci.yml");

  private Workflows() {}

  /** Whether this repository-relative path is inside the workflows folder. */
  static boolean selects(String path) {
    return path.replace('\\', '/').startsWith(FOLDER);
  }

  /**
   * Whether a glob, as {@code Workspace.glob} reads it (without {@code /} it matches file names in any
   * folder), may select a workflow file. An invalid glob selects nothing.
   */
  static boolean globMaySelect(String glob) {
    if (glob.isBlank()) {
      return false;
    }
    String full = glob.contains("/") ? glob : "**/" + glob;
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + full);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return SAMPLES.stream().anyMatch(sample -> matcher.matches(Path.of(sample)));
  }
}
