package dev.flotilla.controller.config;

import dev.flotilla.controller.model.MergeWindow;
import dev.flotilla.controller.model.OptIn;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.Teams;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a repository's {@code .flotilla.yaml}. Every problem in the file is reported at once, each
 * with its key, line and what to write instead. An empty file (or one holding only comments) means
 * the repository has not opted in; so does {@code enabled: false}. Merging is off unless the owners
 * write {@code automerge: true}.
 */
public final class OptInParser {

  /** Larger files are refused before parsing: an opt-in file is a few lines. */
  public static final int MAX_BYTES = 64 * 1024;

  static final List<String> KEYS =
      List.of(
          "enabled",
          "automerge",
          "mergeMethod",
          "mergeWindow",
          "exclude",
          "reviewers",
          "labels",
          "wave",
          "owner");
  static final List<String> WINDOW_KEYS = List.of("timezone", "days", "hours");

  private static final OptIn NOT_OPTED_IN =
      new OptIn(false, false, null, null, List.of(), List.of(), List.of(), null);
  private static final Pattern HOURS =
      Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
  private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9@][A-Za-z0-9._/:@-]{0,99}");
  private static final Pattern DAY_RANGE = Pattern.compile("([A-Za-z]+)\\s*-\\s*([A-Za-z]+)");

  private OptInParser() {}

  private record Hours(LocalTime from, LocalTime to) {
    static final Hours WHOLE_DAY = new Hours(LocalTime.MIDNIGHT, LocalTime.MAX);
  }

  /** Checks size, binary content and encoding, then parses. */
  public static OptIn parse(byte[] bytes, String file) {
    return parseChecked(YamlFiles.decode(bytes, file, MAX_BYTES), file);
  }

  public static OptIn parse(String text, String file) {
    return parseChecked(YamlFiles.check(text, file, MAX_BYTES), file);
  }

  private static OptIn parseChecked(String text, String file) {
    Node root = YamlFiles.composeOne(text, file, MAX_BYTES);
    if (YamlReader.isNull(root)) {
      return NOT_OPTED_IN;
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new ConfigException(
          file,
          YamlFiles.line(root),
          "must be a mapping of keys such as 'enabled: true' at the top level, got "
              + YamlReader.describe(root)
              + " at line "
              + YamlFiles.line(root));
    }
    YamlReader reader = new YamlReader();
    OptIn optIn = read(mapping, reader);
    reader.throwIfAny(file);
    return optIn;
  }

  private static OptIn read(MappingNode root, YamlReader reader) {
    Map<String, YamlReader.Entry> entries = reader.entries(root, "", KEYS);
    Optional<Boolean> enabled = value(entries, "enabled").flatMap(v -> reader.bool("enabled", v));
    if (!entries.containsKey("enabled") && !reader.hasProblems()) {
      reader.problem(
          YamlFiles.line(root),
          "'enabled' is missing; add 'enabled: true' to opt in, or 'enabled: false' to stay out");
    }
    boolean automerge =
        value(entries, "automerge").flatMap(v -> reader.bool("automerge", v)).orElse(false);
    MergeMethod mergeMethod =
        value(entries, "mergeMethod")
            .flatMap(v -> oneOf(reader, "mergeMethod", v, MergeMethod.class))
            .orElse(null);
    MergeWindow window = value(entries, "mergeWindow").flatMap(v -> window(reader, v)).orElse(null);
    List<String> exclude =
        value(entries, "exclude")
            .flatMap(v -> reader.strings("exclude", v, "[dockerfile-base-image]"))
            .orElse(null);
    List<String> reviewers =
        value(entries, "reviewers")
            .flatMap(v -> reader.strings("reviewers", v, "[payments-team]"))
            .orElse(null);
    List<String> labels =
        value(entries, "labels")
            .flatMap(v -> reader.strings("labels", v, "[dependencies]"))
            .orElse(null);
    OptIn.Wave wave =
        value(entries, "wave")
            .flatMap(v -> oneOf(reader, "wave", v, OptIn.Wave.class))
            .orElse(null);
    String owner = value(entries, "owner").flatMap(v -> owner(reader, v)).orElse(null);
    return new OptIn(
        enabled.orElse(false), automerge, mergeMethod, window, exclude, reviewers, labels, wave, owner);
  }

  private static Optional<String> owner(YamlReader reader, Node value) {
    return reader.string("owner", value).flatMap(text -> {
      String team = text.trim();
      if (!TEAM.matcher(team).matches()) {
        reader.problem(
            value,
            "owner '" + YamlReader.shorten(text) + "'",
            " is not a team name; write one team such as 'owner: payments' or 'owner: group:default/payments'"
                + " (letters, digits, '-', '_', '.', '/', ':' and '@', no spaces)");
        return Optional.empty();
      }
      return Optional.of(Teams.normalise(team));
    });
  }

  private static Optional<Node> value(Map<String, YamlReader.Entry> entries, String key) {
    return Optional.ofNullable(entries.get(key)).map(YamlReader.Entry::value);
  }

  private static <E extends Enum<E>> Optional<E> oneOf(
      YamlReader reader, String key, Node value, Class<E> type) {
    List<String> allowed =
        EnumSet.allOf(type).stream().map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    return reader
        .string(key, value)
        .flatMap(
            text -> {
              if (allowed.contains(text.toLowerCase(Locale.ROOT))) {
                return Optional.of(Enum.valueOf(type, text.toUpperCase(Locale.ROOT)));
              }
              reader.problem(
                  value,
                  "'" + key + "'",
                  " must be one of "
                      + String.join(", ", allowed)
                      + ", got "
                      + YamlReader.describe(value)
                      + Suggestions.didYouMean(text, allowed));
              return Optional.empty();
            });
  }

  private static Optional<MergeWindow> window(YamlReader reader, Node value) {
    Optional<MappingNode> mapping =
        reader.mapping(
            "mergeWindow",
            value,
            "{timezone: Europe/Copenhagen, days: [MON, TUE], hours: \"09:00-15:00\"}");
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlReader.Entry> entries =
        reader.entries(mapping.get(), " in mergeWindow", WINDOW_KEYS);
    if (mapping.get().getValue().isEmpty()) {
      reader.problem(
          value,
          "'mergeWindow'",
          " is empty; give timezone, days and hours, or remove mergeWindow to allow merging at any"
              + " time");
      return Optional.empty();
    }
    int before = reader.problems().size();
    ZoneId zone =
        value(entries, "timezone").flatMap(v -> timezone(reader, v)).orElse(ZoneOffset.UTC);
    Set<DayOfWeek> days =
        value(entries, "days").flatMap(v -> days(reader, v)).orElse(EnumSet.allOf(DayOfWeek.class));
    Hours hours = value(entries, "hours").flatMap(v -> hours(reader, v)).orElse(Hours.WHOLE_DAY);
    if (reader.problems().size() > before) {
      return Optional.empty();
    }
    return Optional.of(new MergeWindow(zone, days, hours.from(), hours.to()));
  }

  private static Optional<ZoneId> timezone(YamlReader reader, Node value) {
    return reader
        .string("timezone", value)
        .flatMap(
            text -> {
              try {
                return Optional.of(ZoneId.of(text));
              } catch (DateTimeException e) {
                reader.problem(
                    value,
                    "timezone '" + YamlReader.shorten(text) + "'",
                    " is not a known time zone"
                        + Suggestions.closest(text, ZoneId.getAvailableZoneIds())
                            .map(zone -> "; did you mean '" + zone + "'? Use")
                            .orElse("; use")
                        + " an IANA name such as Europe/Copenhagen, America/New_York or UTC");
                return Optional.empty();
              }
            });
  }

  private static Optional<Set<DayOfWeek>> days(YamlReader reader, Node value) {
    Optional<List<ScalarNode>> items = reader.list("days", value, "[MON, TUE, WED]");
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (items.get().isEmpty()) {
      reader.problem(
          value,
          "'days'",
          " is empty, so merging could never happen; list at least one day such as [MON, TUE], "
              + "or remove 'days' to allow every day");
      return Optional.empty();
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    boolean valid = true;
    for (ScalarNode item : items.get()) {
      Optional<Set<DayOfWeek>> parsed = dayOrRange(item.getValue().trim());
      if (parsed.isPresent()) {
        days.addAll(parsed.get());
      } else {
        valid = false;
        reader.problem(
            item,
            "day '" + YamlReader.shorten(item.getValue()) + "'",
            " is not a day; use MON, TUE, WED, THU, FRI, SAT, SUN or a range such as MON-FRI");
      }
    }
    return valid ? Optional.of(days) : Optional.empty();
  }

  private static Optional<Set<DayOfWeek>> dayOrRange(String text) {
    Matcher range = DAY_RANGE.matcher(text);
    if (range.matches()) {
      Optional<DayOfWeek> from = day(range.group(1));
      Optional<DayOfWeek> to = day(range.group(2));
      if (from.isEmpty() || to.isEmpty()) {
        return Optional.empty();
      }
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      // A range may wrap the week, as FRI-MON does.
      for (DayOfWeek d = from.get(); ; d = d.plus(1)) {
        days.add(d);
        if (d == to.get()) {
          return Optional.of(days);
        }
      }
    }
    return day(text).map(EnumSet::of);
  }

  private static Optional<DayOfWeek> day(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equals(upper) || d.name().substring(0, 3).equals(upper)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private static Optional<Hours> hours(YamlReader reader, Node value) {
    Optional<String> text = reader.string("hours", value);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = HOURS.matcher(text.get().trim());
    if (!m.matches()
        || !validTime(m.group(1), m.group(2), false)
        || !validTime(m.group(3), m.group(4), true)) {
      reader.problem(
          value,
          "hours '" + YamlReader.shorten(text.get()) + "'",
          " must be HH:MM-HH:MM in 24-hour time, such as \"09:00-15:00\" (or \"22:00-06:00\" across"
              + " midnight)");
      return Optional.empty();
    }
    LocalTime from = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    // 24:00 is the end of the day; LocalTime cannot say it, and MAX is open until the last instant.
    LocalTime to =
        m.group(3).equals("24")
            ? LocalTime.MAX
            : LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
    if (from.equals(to)) {
      reader.problem(
          value,
          "hours '" + text.get() + "'",
          " is an empty window (it starts when it ends); give a range such as \"09:00-15:00\", or"
              + " \"00:00-24:00\" for the whole day");
      return Optional.empty();
    }
    return Optional.of(new Hours(from, to));
  }

  private static boolean validTime(String hour, String minute, boolean end) {
    int h = Integer.parseInt(hour);
    int m = Integer.parseInt(minute);
    return m < 60 && (h < 24 || end && h == 24 && m == 0);
  }
}
