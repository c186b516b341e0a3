package dev.flotilla.migrations.openrewrite;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Turns a campaign's parameter value (text from a command line, or a YAML scalar or list) into the
 * type a recipe option declares, as OpenRewrite names it ({@code String}, {@code Boolean},
 * {@code Integer}, {@code List}, {@code String[]}, ...). Pure.
 */
final class OptionTypes {

  private OptionTypes() {}

  /** The value in the option's type, or null when it does not fit. */
  static Object coerce(String type, Object value) {
    String t = type == null ? "String" : type;
    if (isList(t)) {
      if (value instanceof Collection<?> items) {
        return items.stream().map(String::valueOf).toList();
      }
      String text = String.valueOf(value).trim();
      return text.isEmpty() ? List.of() : List.of(text.split("\\s*,\\s*"));
    }
    if (value instanceof Collection<?> || value instanceof java.util.Map<?, ?>) {
      return null;
    }
    String text = String.valueOf(value).trim();
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "boolean" -> text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
      case "integer", "int" -> parseInt(text);
      case "long" -> parseLong(text);
      default -> String.valueOf(value);
    };
  }

  /** The type in words, for an error message. */
  static String describe(String type) {
    String t = type == null ? "String" : type;
    if (isList(t)) {
      return "a list (or comma-separated text)";
    }
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "boolean" -> "true or false";
      case "integer", "int", "long" -> "a whole number";
      default -> "text";
    };
  }

  private static boolean isList(String type) {
    return type.endsWith("[]") || type.equals("List") || type.equals("Set") || type.startsWith("List<") || type.startsWith("Set<");
  }

  private static Integer parseInt(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long parseLong(String text) {
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
