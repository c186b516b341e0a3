package dev.flotilla.controller.discovery;

import dev.flotilla.Printable;
import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.config.OptInParser;
import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.model.Ownership;
import dev.flotilla.controller.model.Ownership.Source;
import dev.flotilla.controller.discovery.OwnerSources.CatalogAnswer;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.store.Jdbc.StoreException;
import dev.flotilla.controller.store.RepositoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Lists the forge's repositories, reads each one's {@code .flotilla.yaml} and records the verdict.
 * A broken file marks that repository {@code INVALID_CONFIG} with the parser's message; it never
 * stops the scan.
 */
public final class Discovery {

  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
  static final String OPT_IN_FILE = ".flotilla.yaml";
  private static final int BATCH = 100;

  /** What one scan found. */
  public record Scan(int repositories, int optedIn, int notOptedIn, int invalid) {}

  private final Forge forge;
  private final RepositoryStore repositories;
  private final Clock clock;
  private final Optional<BackstageCatalog> catalog;

  public Discovery(Forge forge, RepositoryStore repositories, Clock clock) {
    this(forge, repositories, clock, Optional.empty());
  }

  /** @param catalog the Backstage catalog asked first for each repository's owner, when configured */
  public Discovery(Forge forge, RepositoryStore repositories, Clock clock, Optional<BackstageCatalog> catalog) {
    this.forge = forge;
    this.repositories = repositories;
    this.clock = clock;
    this.catalog = catalog;
  }

  public Scan scan() {
    List<RepositoryRef> refs = forge.listRepositories();
    Optional<CatalogAnswer> answer = askCatalog();
    Map<String, Ownership> previousOwners = repositories.owners();
    List<Long> seen = new ArrayList<>();
    int optedIn = 0;
    int notOptedIn = 0;
    int invalid = 0;
    int unsaved = 0;
    for (int from = 0; from < refs.size(); from += BATCH) {
      List<RepositoryRef> batch = refs.subList(from, Math.min(refs.size(), from + BATCH));
      Map<RepositoryRef, String> files = forge.readOptInFiles(batch);
      Map<RepositoryRef, Map<String, String>> ownerFiles = forge.readOwnerFiles(batch);
      for (RepositoryRef ref : batch) {
        Optional<OptInStatus> status = record(ref, files.get(ref), seen,
            optIn -> OwnerSources.decide(ref.fullName().toLowerCase(java.util.Locale.ROOT), answer,
                ownerFiles.getOrDefault(ref, Map.of()), optIn, Optional.ofNullable(previousOwners.get(ref.fullName())),
                clock.instant()));
        if (status.isEmpty()) {
          unsaved++;
          continue;
        }
        switch (status.get()) {
          case OPTED_IN -> optedIn++;
          case NOT_OPTED_IN -> notOptedIn++;
          case INVALID_CONFIG -> invalid++;
        }
      }
    }
    if (unsaved == 0) {
      repositories.markAbsentExcept(seen, clock.instant());
    } else {
      // A repository that could not be saved is still there: marking it absent would be wrong.
      LOG.warn("discovery could not save {} repositories; no repository is marked absent this time", unsaved);
    }
    Scan scan = new Scan(refs.size(), optedIn, notOptedIn, invalid);
    LOG.info(
        "discovery on {}: {} repositories, {} opted in, {} not opted in, {} with an invalid {}",
        forge.name(), scan.repositories(), optedIn, notOptedIn, invalid, OPT_IN_FILE);
    return scan;
  }

  /** The catalog's whole answer, or empty when it is not configured or could not give one. */
  private Optional<CatalogAnswer> askCatalog() {
    if (catalog.isEmpty()) {
      return Optional.empty();
    }
    try {
      CatalogAnswer answer = catalog.get().owners();
      LOG.info("the Backstage catalog names owners for {} repositories", answer.owners().size());
      return Optional.of(answer);
    } catch (BackstageCatalog.CatalogUnreachable e) {
      LOG.warn("{}; owners it gave before are kept and shown as stale", Printable.escape(e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * Reads one known repository's {@code .flotilla.yaml} afresh and records the verdict, as a scan
   * would: for a push that changed the file, without waiting for the next scan.
   */
  public Optional<OptInStatus> rescan(RepositoryRef ref) {
    forge.forgetOptInFile(ref);
    Optional<Ownership> previous = Optional.ofNullable(repositories.owners().get(ref.fullName()));
    Map<String, String> ownerFiles = forge.readOwnerFiles(List.of(ref)).getOrDefault(ref, Map.of());
    Optional<OptInStatus> status = record(ref, forge.readOptInFiles(List.of(ref)).get(ref), new ArrayList<>(),
        optIn -> previous.isPresent() && previous.get().source() == Source.BACKSTAGE
            // The catalog is asked by the next scan, not for one push: its answer stands as it was.
            ? previous
            : OwnerSources.decide(ref.fullName().toLowerCase(java.util.Locale.ROOT), Optional.empty(), ownerFiles,
                optIn, previous, clock.instant()));
    LOG.info("re-read {} of {}: {}", OPT_IN_FILE, Printable.escape(ref.fullName()), status.map(Enum::name).orElse("not saved"));
    return status;
  }

  /**
   * Marks repositories the forge no longer gives Flotilla ({@code owner/name}) absent, as a scan that
   * no longer lists them would; returns how many were present.
   */
  public int forget(List<String> fullNames) {
    int forgotten = 0;
    for (String fullName : fullNames) {
      String[] ownerAndName = fullName.split("/", 2);
      if (ownerAndName.length == 2 && repositories.markAbsent(ownerAndName[0], ownerAndName[1], clock.instant())) {
        forgotten++;
      }
    }
    LOG.info("{} of {} repositories removed from Flotilla's reach marked absent", forgotten, fullNames.size());
    return forgotten;
  }

  /** The repository's verdict once saved; empty when the store refused it, which never stops the scan. */
  private Optional<OptInStatus> record(RepositoryRef ref, String text, List<Long> seen,
      java.util.function.Function<OptIn, Optional<Ownership>> owner) {
    MDC.put("repo", Printable.escape(ref.fullName()));
    try {
      OptInStatus status;
      OptIn optIn = null;
      String error = null;
      if (text == null) {
        status = OptInStatus.NOT_OPTED_IN;
      } else {
        try {
          optIn = OptInParser.parse(text, OPT_IN_FILE);
          status = optIn.enabled() ? OptInStatus.OPTED_IN : OptInStatus.NOT_OPTED_IN;
        } catch (ConfigException e) {
          status = OptInStatus.INVALID_CONFIG;
          error = e.getMessage();
          LOG.warn("{}: {}", Printable.escape(ref.fullName()), error);
        }
      }
      // Only a bounded prefix of the file is kept for display: the store is no place for 10 MB.
      String kept = text == null ? null : (text.length() > 65_536 ? text.substring(0, 65_536) : text).replace('\0', '\uFFFD');
      try {
        long id = repositories.upsert(ref, status, optIn, kept, error, clock.instant());
        repositories.recordOwner(id, owner.apply(optIn));
        seen.add(id);
      } catch (StoreException e) {
        LOG.warn("could not save {}; the scan goes on: {}", Printable.escape(ref.fullName()), Printable.escape(e.getMessage()));
        return Optional.empty();
      }
      return Optional.of(status);
    } finally {
      MDC.remove("repo");
    }
  }
}
