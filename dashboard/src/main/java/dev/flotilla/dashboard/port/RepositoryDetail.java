package dev.flotilla.dashboard.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One repository as its owners see it.
 *
 * @param repository full name, {@code owner/name}
 * @param owner the owning team
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
    List<ChangesetRow> changesets) {

  public RepositoryDetail {
    Objects.requireNonNull(repository, "repository");
    changesets = List.copyOf(changesets);
  }
}
