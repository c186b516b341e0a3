package dev.flotilla.dashboard.port;

import java.util.Objects;

/**
 * Who asked for an action, recorded in the changeset and campaign history.
 *
 * @param name the name the person gave, or {@code dashboard} when they gave none
 * @param source where the request came from, e.g. the client address
 */
public record Actor(String name, String source) {

  public Actor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return name + "@" + source;
  }
}
