package dev.flotilla.controller.discovery;

import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.model.Ownership.Source;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Decides a repository's owner from what each source said, the first that answers winning: the
 * Backstage catalog, {@code catalog-info.yaml}, {@code CODEOWNERS}, {@code owner:} in {@code
 * .flotilla.yaml}. Pure, so every combination is a plain unit test.
 */
final class OwnerSources {

  private OwnerSources() {}

  /**
   * @param catalog the catalog's answer this scan, or empty when it could not be asked
   * @param previous what the store holds from the last scan
   */
  static Optional<Ownership> decide(
      String repository,
      Optional<CatalogAnswer> catalog,
      Map<String, String> files,
      OptIn optIn,
      Optional<Ownership> previous,
      Instant now) {
    if (catalog.isPresent()) {
      String team = catalog.get().owners().get(repository);
      if (team != null) {
        return Optional.of(Ownership.fresh(team, Source.BACKSTAGE, now));
      }
    } else if (previous.isPresent() && previous.get().source() == Source.BACKSTAGE) {
      // The catalog is unreachable: its last answer is better than a guess from a file, and says it is old.
      return Optional.of(previous.get().asStale());
    }
    Optional<String> fromFile =
        Optional.ofNullable(files.get(OwnerFiles.CATALOG_INFO)).flatMap(OwnerFiles::catalogInfoOwner);
    if (fromFile.isPresent()) {
      return Optional.of(Ownership.fresh(fromFile.get(), Source.CATALOG_INFO, now));
    }
    Optional<String> codeOwner = OwnerFiles.codeOwner(files);
    if (codeOwner.isPresent()) {
      return Optional.of(Ownership.fresh(codeOwner.get(), Source.CODEOWNERS, now));
    }
    if (optIn != null && optIn.owner() != null) {
      return Optional.of(Ownership.fresh(optIn.owner(), Source.OPT_IN, now));
    }
    return Optional.empty();
  }

  /** One whole answer from the catalog: repository full name to team. */
  record CatalogAnswer(Map<String, String> owners) {
    CatalogAnswer {
      owners = Map.copyOf(owners);
    }
  }
}
