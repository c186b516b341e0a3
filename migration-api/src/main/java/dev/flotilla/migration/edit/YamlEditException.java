package dev.flotilla.migration.edit;

import dev.flotilla.FlotillaException;

/**
 * A YAML file that cannot be edited safely: it does not parse, it is larger or more deeply nested
 * than the safe loading limits allow, or the requested edit cannot be written without changing more
 * than the one value (for example a block scalar). The message names the file and, where there is
 * one, the line and column.
 */
public class YamlEditException extends FlotillaException {

  public YamlEditException(String message) {
    super(message);
  }

  public YamlEditException(String message, Throwable cause) {
    super(message, cause);
  }
}
