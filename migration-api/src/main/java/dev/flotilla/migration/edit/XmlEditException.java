package dev.flotilla.migration.edit;

import dev.flotilla.FlotillaException;

/** A document that cannot be parsed, or an edit that cannot be made without losing something. */
public class XmlEditException extends FlotillaException {

  public XmlEditException(String message) {
    super(message);
  }

  public XmlEditException(String message, Throwable cause) {
    super(message, cause);
  }
}
