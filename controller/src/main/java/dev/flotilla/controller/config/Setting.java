package dev.flotilla.controller.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One setting of the controller: its environment variable, what it means, its default as it would
 * be written in the environment, and a parser. A parser throws {@link IllegalArgumentException}
 * with a message that says what to write and never repeats the value, so secrets stay out of
 * errors; the caller adds the value for settings that are not secret.
 *
 * @param defaultValue the default as text, parsed like a given value; may refer to another setting
 *     as {@code ${FLOTILLA_DATA_DIR}}; null when the setting is unset by default
 */
public record Setting<T>(
    String env, String meaning, String defaultValue, boolean secret, Function<String, T> parser) {

  private static final Pattern QUANTITY =
      Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?");

  static <T> Setting<T> of(
      String env, String defaultValue, Function<String, T> parser, String meaning) {
    return new Setting<>(env, meaning, defaultValue, false, parser);
  }

  static Setting<Secret> secret(String env, String meaning) {
    return new Setting<>(env, meaning, null, true, Secret::of);
  }

  T parse(String text) {
    return parser.apply(text.trim());
  }

  static String text(String value) {
    return value;
  }

  /** {@code ~} at the start stands for the home folder, as in a shell. */
  static Path path(String value) {
    if (value.equals("~") || value.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + value.substring(1));
    }
    return Path.of(value);
  }

  static Duration duration(String value) {
    Duration duration = Durations.parse(value);
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("must be more than 0");
    }
    return duration;
  }

  static int positiveInt(String value) {
    int parsed = integer(value, "a whole number of at least 1");
    if (parsed < 1) {
      throw new IllegalArgumentException("must be a whole number of at least 1");
    }
    return parsed;
  }

  static int port(String value) {
    int parsed = integer(value, "a port number from 0 to 65535 (0 picks a free port)");
    if (parsed < 0 || parsed > 65535) {
      throw new IllegalArgumentException(
          "must be a port number from 0 to 65535 (0 picks a free port)");
    }
    return parsed;
  }

  static long positiveLong(String value) {
    try {
      long parsed = Long.parseLong(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("must be a positive whole number");
  }

  static boolean bool(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("false")) {
      return Boolean.parseBoolean(lower);
    }
    throw new IllegalArgumentException("must be true or false");
  }

  static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
    return value -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(value)) {
          return constant;
        }
      }
      throw new IllegalArgumentException(
          "must be one of "
              + String.join(
                  ", ",
                  Arrays.stream(type.getEnumConstants())
                      .map(e -> e.name().toLowerCase(Locale.ROOT))
                      .toList()));
    };
  }

  static URI httpUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // the parser's message repeats the value; ours says what to write
    }
    throw new IllegalArgumentException(
        "must be an http or https URL such as https://flotilla.example.com");
  }

  static List<String> list(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .distinct()
        .toList();
  }

  /** A Kubernetes resource quantity such as 500m, 2, 512Mi or 1Gi. */
  static String quantity(String value) {
    if (!QUANTITY.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "must be a Kubernetes quantity such as 500m, 2, 512Mi or 1Gi");
    }
    return value;
  }

  private static int integer(String value, String what) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be " + what);
    }
  }
}
