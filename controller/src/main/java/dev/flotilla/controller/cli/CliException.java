package dev.flotilla.controller.cli;

import dev.flotilla.FlotillaException;

/** A command that cannot do what was asked; the message says what to do instead. */
final class CliException extends FlotillaException {
  CliException(String message) {
    super(message);
  }
}
