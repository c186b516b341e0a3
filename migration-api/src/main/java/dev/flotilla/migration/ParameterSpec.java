package dev.flotilla.migration;

import java.util.Objects;

/**
 * One documented parameter of a migration: its name, type, whether it is required, its default, a
 * description and an example value. The dashboard, {@code flotilla preview --help} and the parameter
 * checks all read these.
 */
public record ParameterSpec(
    String name, Type type, boolean required, Object defaultValue, String description, String example) {

  /** The value types a parameter can take, as written in campaign YAML. */
  public enum Type {
    STRING,
    BOOLEAN,
    INTEGER,
    STRING_LIST
  }

  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    description = description == null ? "" : description;
    example = example == null ? "" : example;
  }

  /** A parameter that must be given. */
  public static ParameterSpec required(String name, Type type, String description, String example) {
    return new ParameterSpec(name, type, true, null, description, example);
  }

  /** A parameter that may be left out, in which case {@code defaultValue} is used (may be null). */
  public static ParameterSpec optional(
      String name, Type type, Object defaultValue, String description, String example) {
    return new ParameterSpec(name, type, false, defaultValue, description, example);
  }
}
