package dev.flotilla.controller.config;

import dev.flotilla.FlotillaException;

/**
 * A file a person wrote that Flotilla cannot use. The message names the file, the line (when
 * known), the key, and what to do.
 */
public class ConfigException extends FlotillaException {

  private final String file;
  private final int line;

  public ConfigException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** 1-based, or 0 when the problem has no single line. */
  public int line() {
    return line;
  }
}
