package dev.flotilla.controller.config;

/**
 * A token, password or key read from the environment. It prints as {@code <hidden>}, so logging a
 * setting, an exception or a whole {@link Settings} never shows it; {@link #reveal()} is the one
 * way to read it, at the place that sends it.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("a secret cannot be empty");
    }
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "<hidden>";
  }
}
