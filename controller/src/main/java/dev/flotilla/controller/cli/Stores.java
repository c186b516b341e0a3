package dev.flotilla.controller.cli;

import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.config.Settings;
import dev.flotilla.controller.store.Database;

/** Opens the store the settings name. */
final class Stores {

  private Stores() {}

  /**
   * @param own whether this command owns an embedded PostgreSQL it finds running (a controller
   *     does; a read-only command such as {@code status} leaves it running for its owner)
   */
  static Database open(Settings settings, boolean own, int poolSize) {
    return Database.open(
        settings.dbUrl().orElse(null),
        settings.dbUser().orElse(null),
        settings.dbPassword().map(Secret::reveal).orElse(null),
        settings.dataDir(),
        poolSize,
        own);
  }
}
