package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One repository as its owners see it.
 *
 * @param repository full name, {@code owner/name}
 * @param owner the owning team; the forge organisation when no source names a team
 * @param ownerSource where {@code owner} came from: {@code backstage}, {@code catalog-info},
 *     {@code codeowners}, {@code opt-in}, or {@code organisation} when no source named a team
 * @param ownerAsOf when that source last gave the answer; {@code null} for {@code organisation}
 * @param ownerStale the Backstage catalog could not be asked at the last scan, so this is its last answer
 * @param url the repository on the forge; {@code null} for the local forge
 * @param optInFile the raw text of {@code .flotilla.yaml}; {@code null} when the repository has none
 * @param optInError why the opt-in file was refused, e.g. {@code line 3: unknown key 'automerg'};
 *     {@code null} when it parsed
 * @param scannedAt when discovery last read the repository
 * @param changesets every campaign's changeset on this repository
 */
public record RepositoryDetail(
    String repository,
    String owner,
    String url,
    String optInFile,
    String optInError,
    Instant scannedAt,
    List<ChangesetRow> changesets,
    String ownerSource,
    Instant ownerAsOf,
    boolean ownerStale) {

  /** The organisation source: what is known when no source names a team. */
  public static final String ORGANISATION = "organisation";

  public RepositoryDetail {
    Objects.requireNonNull(repository, "repository");
    changesets = List.copyOf(changesets);
    ownerSource = ownerSource == null ? ORGANISATION : ownerSource;
  }

  public RepositoryDetail(String repository, String owner, String url, String optInFile, String optInError,
      Instant scannedAt, List<ChangesetRow> changesets) {
    this(repository, owner, url, optInFile, optInError, scannedAt, changesets, null, null, false);
  }
}
