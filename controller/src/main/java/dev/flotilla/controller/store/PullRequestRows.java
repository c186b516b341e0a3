package dev.flotilla.controller.store;

import dev.flotilla.controller.model.PullRequest;
import dev.flotilla.controller.model.PullRequestSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The local forge's pull requests and their comments in the store. The database keeps the promises:
 * numbers are unique per repository and a branch has at most one open pull request.
 */
public final class PullRequestRows {

  /** One stored pull request. */
  public record Row(
      String repository,
      int number,
      String branch,
      String base,
      String headSha,
      PullRequest.State state,
      String title,
      String body,
      String mergeSha,
      Instant createdAt) {

    public Row withHeadSha(String sha) {
      return new Row(repository, number, branch, base, sha, state, title, body, mergeSha, createdAt);
    }

    public Row withState(PullRequest.State newState) {
      return new Row(repository, number, branch, base, headSha, newState, title, body, mergeSha, createdAt);
    }
  }

  private static final String COLUMNS =
      "repository, number, branch, base, head_sha, state, title, body, merge_sha, created_at";
  private static final int INSERT_ATTEMPTS = 20;

  private final Jdbc jdbc;
  private final Clock clock;

  public PullRequestRows(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public Optional<Row> find(String repository, int number) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM local_pull_request WHERE repository = ? AND number = ?",
        PullRequestRows::row,
        repository,
        number);
  }

  public Optional<Row> findOpen(String repository, String branch) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + " FROM local_pull_request WHERE repository = ? AND branch = ? AND state = 'OPEN'",
        PullRequestRows::row,
        repository,
        branch);
  }

  /**
   * The open pull request for the branch, inserted with the next number if there is none. When two
   * callers race, a unique index turns one of them away; it reads again and adopts what won.
   */
  public Row openOrAdopt(String repository, PullRequestSpec spec, String headSha) {
    for (int attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
      Optional<Row> open = findOpen(repository, spec.branch());
      if (open.isPresent()) {
        return open.get();
      }
      try {
        return insert(repository, spec, headSha);
      } catch (Jdbc.StoreException e) {
        if (!Jdbc.isUniqueViolation(e)) {
          throw e;
        }
        // Another caller took the number or opened this branch first: look again.
      }
    }
    throw new Jdbc.StoreException(
        "could not open a pull request for " + repository + " branch " + spec.branch() + " after "
            + INSERT_ATTEMPTS + " attempts: too many pull requests are being opened at once", null);
  }

  private Row insert(String repository, PullRequestSpec spec, String headSha) {
    Instant now = clock.instant();
    return jdbc.returning(
            "INSERT INTO local_pull_request (repository, number, branch, base, head_sha, state, title, body,"
                + " labels, reviewers, created_at, updated_at)"
                + " SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?, ?"
                + " FROM local_pull_request WHERE repository = ?"
                + " RETURNING " + COLUMNS,
            PullRequestRows::row,
            repository,
            spec.branch(),
            spec.base(),
            headSha,
            spec.title(),
            nullToEmpty(spec.body()),
            String.join(",", spec.labels()),
            String.join(",", spec.reviewers()),
            now,
            now,
            repository)
        .orElseThrow();
  }

  public void update(String repository, int number, PullRequestSpec spec) {
    jdbc.update(
        "UPDATE local_pull_request SET base = ?, title = ?, body = ?, labels = ?, reviewers = ?, updated_at = ?"
            + " WHERE repository = ? AND number = ?",
        spec.base(),
        spec.title(),
        nullToEmpty(spec.body()),
        String.join(",", spec.labels()),
        String.join(",", spec.reviewers()),
        clock.instant(),
        repository,
        number);
  }

  public void setHeadSha(String repository, int number, String headSha) {
    jdbc.update(
        "UPDATE local_pull_request SET head_sha = ?, updated_at = ? WHERE repository = ? AND number = ?",
        headSha,
        clock.instant(),
        repository,
        number);
  }

  /** Closes an open pull request and records why; a merged or closed one stays as it is. */
  public void close(String repository, int number, String comment) {
    jdbc.inTransaction(
        () -> {
          int closed = jdbc.update(
              "UPDATE local_pull_request SET state = 'CLOSED', updated_at = ?"
                  + " WHERE repository = ? AND number = ? AND state = 'OPEN'",
              clock.instant(),
              repository,
              number);
          if (closed > 0 && comment != null && !comment.isBlank()) {
            comment(repository, number, comment);
          }
          return closed;
        });
  }

  public void markMerged(String repository, int number, String mergeSha) {
    jdbc.update(
        "UPDATE local_pull_request SET state = 'MERGED', merge_sha = ?, updated_at = ?"
            + " WHERE repository = ? AND number = ?",
        mergeSha,
        clock.instant(),
        repository,
        number);
  }

  public void comment(String repository, int number, String body) {
    jdbc.update(
        "INSERT INTO local_pull_request_comment (repository, number, body, created_at) VALUES (?, ?, ?, ?)",
        repository,
        number,
        body,
        clock.instant());
  }

  public List<String> comments(String repository, int number) {
    return jdbc.query(
        "SELECT body FROM local_pull_request_comment WHERE repository = ? AND number = ? ORDER BY id",
        rs -> rs.getString(1),
        repository,
        number);
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(
        rs.getString("repository"),
        rs.getInt("number"),
        rs.getString("branch"),
        rs.getString("base"),
        rs.getString("head_sha"),
        PullRequest.State.valueOf(rs.getString("state")),
        rs.getString("title"),
        rs.getString("body"),
        rs.getString("merge_sha"),
        Jdbc.instant(rs, "created_at"));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
