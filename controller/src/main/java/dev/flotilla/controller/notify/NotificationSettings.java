package dev.flotilla.controller.notify;

import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Where each team's notifications go, read from the notifications file (docs/notifications.md). A
 * webhook URL is a secret: it may be written as {@code ${ENV_VAR}} so the file holds no secret, it is
 * kept as a {@link Secret}, and only {@link #mask} of it is ever printed.
 */
public record NotificationSettings(
    LocalTime digestAt, Duration retryFirst, Duration retryMax, Optional<Target> fallback, Map<String, Team> teams) {

  /** Slack-compatible incoming webhook ({@code {"text": ...}}) or a plain JSON webhook. */
  public enum Format {
    SLACK,
    JSON
  }

  public record Target(Secret webhook, Format format) {}

  /** @param target empty to use the default target */
  public record Team(Optional<Target> target, Optional<ZoneId> timezone) {}

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  static final List<String> KEYS = List.of("digestAt", "retry", "default", "teams");

  /** Where a team's messages go; empty when neither the team nor the default names a webhook. */
  public Optional<Target> targetFor(String team) {
    Team t = teams.get(team);
    return t != null && t.target().isPresent() ? t.target() : fallback;
  }

  public ZoneId zoneOf(String team) {
    Team t = teams.get(team);
    return t == null ? ZoneOffset.UTC : t.timezone().orElse(ZoneOffset.UTC);
  }

  /** {@code https://hooks.slack.com/…}: enough to tell webhooks apart, nothing that opens one. */
  public static String mask(Secret webhook) {
    try {
      URI uri = URI.create(webhook.reveal());
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/…";
    } catch (IllegalArgumentException e) {
      return "(a webhook URL that is not a URL)";
    }
  }

  public static NotificationSettings load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), 0, "cannot read the notifications file: " + e.getMessage()
          + "; check FLOTILLA_NOTIFICATIONS_FILE");
    }
    return parse(text, file.toString(), env::get);
  }

  static NotificationSettings parse(String text, String file, UnaryOperator<String> env) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new ConfigException(file, 0, "is not valid YAML: " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    Map<?, ?> top = root == null ? Map.of() : root instanceof Map<?, ?> m ? m : null;
    if (top == null) {
      throw new ConfigException(file, 1, "must be a mapping with keys such as 'default:' and 'teams:'");
    }
    unknownKeys(top, KEYS, "", problems);
    LocalTime digestAt = LocalTime.of(9, 0);
    if (top.get("digestAt") != null) {
      try {
        digestAt = LocalTime.parse(String.valueOf(top.get("digestAt")));
      } catch (DateTimeException e) {
        problems.add("'digestAt' must be a time such as \"09:00\", got '" + top.get("digestAt") + "'");
      }
    }
    Duration first = Duration.ofSeconds(30);
    Duration max = Duration.ofHours(1);
    if (top.get("retry") instanceof Map<?, ?> retry) {
      unknownKeys(retry, List.of("first", "max"), "retry.", problems);
      first = duration(retry.get("first"), "retry.first", first, problems);
      max = duration(retry.get("max"), "retry.max", max, problems);
    } else if (top.get("retry") != null) {
      problems.add("'retry' must be a mapping such as {first: 30s, max: 1h}");
    }
    Optional<Target> fallback = Optional.empty();
    if (top.get("default") != null) {
      fallback = target(top.get("default"), "default", env, problems);
    }
    Map<String, Team> teams = new LinkedHashMap<>();
    if (top.get("teams") instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String name = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
        String where = "teams." + name;
        if (!(e.getValue() instanceof Map<?, ?> team)) {
          problems.add("'" + where + "' must be a mapping such as {webhook: ${PAYMENTS_WEBHOOK}, timezone: Europe/Copenhagen}");
          continue;
        }
        unknownKeys(team, List.of("webhook", "format", "timezone"), where + ".", problems);
        Optional<Target> target = team.get("webhook") == null ? Optional.empty() : target(team, where, env, problems);
        Optional<ZoneId> zone = Optional.empty();
        if (team.get("timezone") != null) {
          try {
            zone = Optional.of(ZoneId.of(String.valueOf(team.get("timezone"))));
          } catch (DateTimeException ex) {
            problems.add("'" + where + ".timezone' is not a known time zone; use an IANA name such as Europe/Copenhagen");
          }
        }
        teams.put(name, new Team(target, zone));
      }
    } else if (top.get("teams") != null) {
      problems.add("'teams' must be a mapping of team names to {webhook, format, timezone}");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(file, 0, problems.size() + (problems.size() == 1 ? " problem: " : " problems: ")
          + String.join("; ", problems));
    }
    return new NotificationSettings(digestAt, first, max, fallback, Map.copyOf(teams));
  }

  private static Optional<Target> target(Object value, String where, UnaryOperator<String> env, List<String> problems) {
    if (!(value instanceof Map<?, ?> map)) {
      problems.add("'" + where + "' must be a mapping such as {webhook: ${FLOTILLA_SLACK_WEBHOOK}, format: slack}");
      return Optional.empty();
    }
    if (where.equals("default")) {
      unknownKeys(map, List.of("webhook", "format"), "default.", problems);
    }
    Format format = Format.SLACK;
    if (map.get("format") != null) {
      try {
        format = Format.valueOf(String.valueOf(map.get("format")).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add("'" + where + ".format' must be slack or json, got '" + map.get("format") + "'");
      }
    }
    if (!(map.get("webhook") instanceof String raw) || raw.isBlank()) {
      problems.add("'" + where + ".webhook' is missing; give the webhook URL, best as ${AN_ENVIRONMENT_VARIABLE}");
      return Optional.empty();
    }
    Matcher m = VARIABLE.matcher(raw.trim());
    String url = raw.trim();
    if (m.matches()) {
      url = env.apply(m.group(1));
      if (url == null || url.isBlank()) {
        problems.add("'" + where + ".webhook' names the environment variable " + m.group(1) + ", which is not set");
        return Optional.empty();
      }
    }
    // The value is never repeated in a message: it is a secret.
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      problems.add("'" + where + ".webhook' must be an http or https URL");
      return Optional.empty();
    }
    return Optional.of(new Target(Secret.of(url), format));
  }

  private static Duration duration(Object value, String where, Duration fallback, List<String> problems) {
    if (value == null) {
      return fallback;
    }
    try {
      return dev.flotilla.controller.config.Durations.parse(String.valueOf(value));
    } catch (RuntimeException e) {
      problems.add("'" + where + "' must be a duration such as 30s or 1h, got '" + value + "'");
      return fallback;
    }
  }

  private static void unknownKeys(Map<?, ?> map, List<String> allowed, String prefix, List<String> problems) {
    for (Object key : map.keySet()) {
      if (!allowed.contains(String.valueOf(key))) {
        problems.add("unknown key '" + prefix + key + "'; allowed keys: " + String.join(", ", allowed));
      }
    }
  }
}
