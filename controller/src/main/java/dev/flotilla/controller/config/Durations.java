package dev.flotilla.controller.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in settings and campaign files: {@code 30s}, {@code 10m}, {@code
 * 2h}, {@code 3d}, combined as {@code 1h30m}, or ISO-8601 such as {@code PT10M}.
 */
public final class Durations {

  /** What to write, for error messages. */
  public static final String FORMAT =
      "a duration such as 30s, 10m, 2h, 3d, 1h30m or ISO-8601 PT10M";

  private static final Pattern SHORT = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} saying what to write instead. */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    if (SHORT.matcher(trimmed).matches()) {
      Duration total = Duration.ZERO;
      Matcher part = PART.matcher(trimmed);
      try {
        while (part.find()) {
          total = total.plus(unit(Long.parseLong(part.group(1)), part.group(2)));
        }
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("is too long; use " + FORMAT, e);
      }
      return total;
    }
    if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(trimmed);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("is not " + FORMAT, e);
      }
    }
    throw new IllegalArgumentException("is not " + FORMAT);
  }

  /** The shortest of the short forms: {@code 10m}, {@code 3d}, {@code 1h30m}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long days = duration.toDays();
    Duration rest = duration.minusDays(days);
    append(text, days, "d");
    append(text, rest.toHoursPart(), "h");
    append(text, rest.toMinutesPart(), "m");
    append(text, rest.toSecondsPart(), "s");
    append(text, rest.toMillisPart(), "ms");
    return text.length() == 0 ? duration.toString() : text.toString();
  }

  private static Duration unit(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount > 0) {
      text.append(amount).append(unit);
    }
  }
}
