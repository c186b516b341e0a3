package dev.flotilla.controller.config;

import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.FlotillaException;
import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Migrations;
import dev.flotilla.runner.jars.MavenArtifacts;
import dev.flotilla.runner.jars.MigrationSource;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads campaign files ({@code kind: Campaign}), one or several YAML documents a file, and checks
 * them against the migrations on the classpath: the migration exists, its parameters fit, the
 * schedule is a Quartz cron expression, waves and limits make sense. Every problem of a file is
 * reported in one {@link ConfigException}, one a line, each with its line number.
 */
public final class CampaignParser {

  public static final int MAX_BYTES = 1024 * 1024;
  public static final String API_VERSION = "flotilla.dev/v1";
  public static final String KIND = "Campaign";

  /**
   * The name becomes the branch {@code flotilla/<name>} and a label, so it must be safe for both.
   */
  public static final int MAX_NAME_LENGTH = 50;

  static final List<String> KEYS = List.of("apiVersion", "kind", "metadata", "spec");
  static final List<String> METADATA_KEYS = List.of("name");
  public static final List<String> SPEC_KEYS =
      List.of(
          "migration",
          "migrationArtifact",
          "parameters",
          "schedule",
          "automerge",
          "allowNoChecks",
          "rollout",
          "limits",
          "rebaseAfter",
          "paused",
          "cancelPolicy",
          "verifiers",
          "postMerge",
          "runnerImage");
  public static final List<String> ROLLOUT_KEYS = List.of("waves", "haltOnFailureRate", "waveGracePeriod");
  public static final List<String> VERIFIER_KEYS = List.of("name", "command", "when", "timeout");
  public static final List<String> POST_MERGE_KEYS = List.of("watch", "haltOnFailureRate", "deployments");
  public static final List<String> LIMITS_KEYS =
      List.of("concurrentRuns", "pullRequestsPerHour", "openPullRequests");

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern WAVE = Pattern.compile("(\\d{1,9})(%?)");

  /** Parameters are a handful of values; aliases must not expand them into millions. */
  private static final int MAX_PARAMETER_VALUES = 10_000;

  private final Migrations migrations;
  private final YamlReader reader = new YamlReader();
  private final Map<String, Integer> namesSeen = new HashMap<>();

  private CampaignParser(Migrations migrations) {
    this.migrations = migrations;
  }

  /** Every campaign of a file, after the size, binary and encoding checks. */
  public static List<CampaignSpec> parseAll(byte[] bytes, String file, Migrations migrations) {
    return parseChecked(YamlFiles.decode(bytes, file, MAX_BYTES), file, migrations);
  }

  /** Every campaign of a file; documents are separated by {@code ---}. */
  public static List<CampaignSpec> parseAll(String text, String file, Migrations migrations) {
    return parseChecked(YamlFiles.check(text, file, MAX_BYTES), file, migrations);
  }

  /** The one campaign a text holds, as sent to the API. */
  public static CampaignSpec parse(String text, String file, Migrations migrations) {
    List<CampaignSpec> campaigns = parseAll(text, file, migrations);
    if (campaigns.size() != 1) {
      throw new ConfigException(
          file,
          0,
          "holds " + campaigns.size() + " campaigns; give exactly one 'kind: Campaign' document");
    }
    return campaigns.get(0);
  }

  private static List<CampaignSpec> parseChecked(String text, String file, Migrations migrations) {
    CampaignParser parser = new CampaignParser(migrations);
    List<CampaignSpec> campaigns = new ArrayList<>();
    for (Node document : YamlFiles.composeAll(text, file, MAX_BYTES)) {
      parser.document(document).ifPresent(campaigns::add);
    }
    parser.reader.throwIfAny(file);
    return campaigns;
  }

  private Optional<CampaignSpec> document(Node root) {
    if (!(root instanceof MappingNode mapping)) {
      reader.problem(
          root,
          "the document",
          " must be a mapping with apiVersion, kind, metadata and spec, got "
              + YamlReader.describe(root));
      return Optional.empty();
    }
    int before = reader.problems().size();
    Map<String, YamlReader.Entry> top = reader.entries(mapping, "", KEYS);
    checkApiVersion(mapping, top);
    if (!checkKind(mapping, top)) {
      return Optional.empty();
    }
    Optional<String> name =
        required(mapping, top, "metadata", "{name: jackson-2-18}").flatMap(this::name);
    Optional<MappingNode> spec =
        required(mapping, top, "spec", "{migration: ..., parameters: {...}}");
    if (spec.isEmpty()) {
      return Optional.empty();
    }
    Optional<CampaignSpec> campaign = spec(spec.get(), name.orElse(null));
    return reader.problems().size() > before ? Optional.empty() : campaign;
  }

  private void checkApiVersion(MappingNode root, Map<String, YamlReader.Entry> top) {
    YamlReader.Entry entry = top.get("apiVersion");
    if (entry == null) {
      if (!YamlReader.hasMisspelt(root, "apiVersion")) {
        reader.problem(root, "'apiVersion'", " is missing; add 'apiVersion: " + API_VERSION + "'");
      }
      return;
    }
    reader
        .string("apiVersion", entry.value())
        .filter(v -> !v.equals(API_VERSION))
        .ifPresent(
            v ->
                reader.problem(
                    entry.value(),
                    "'apiVersion'",
                    " must be " + API_VERSION + ", got " + YamlReader.describe(entry.value())));
  }

  /** False when the document is not a campaign at all, so its spec is not worth reading. */
  private boolean checkKind(MappingNode root, Map<String, YamlReader.Entry> top) {
    YamlReader.Entry entry = top.get("kind");
    if (entry == null) {
      if (!YamlReader.hasMisspelt(root, "kind")) {
        reader.problem(root, "'kind'", " is missing; add 'kind: " + KIND + "'");
      }
      return false;
    }
    Optional<String> kind = reader.string("kind", entry.value());
    if (kind.isPresent() && !kind.get().equals(KIND)) {
      reader.problem(
          entry.value(),
          "'kind'",
          " must be "
              + KIND
              + ", got "
              + YamlReader.describe(entry.value())
              + "; this folder holds campaigns only");
      return false;
    }
    return kind.isPresent();
  }

  private Optional<MappingNode> required(
      MappingNode parent, Map<String, YamlReader.Entry> entries, String key, String example) {
    YamlReader.Entry entry = entries.get(key);
    if (entry == null && YamlReader.hasMisspelt(parent, key)) {
      return Optional.empty();
    }
    if (entry == null || YamlReader.isNull(entry.value())) {
      reader.problem(
          entry == null ? parent : entry.key(),
          "'" + key + "'",
          " is missing; add " + key + ": " + example);
      return Optional.empty();
    }
    return reader.mapping(key, entry.value(), example);
  }

  private Optional<String> name(MappingNode metadata) {
    Map<String, YamlReader.Entry> entries = reader.entries(metadata, " in metadata", METADATA_KEYS);
    YamlReader.Entry entry = entries.get("name");
    if (entry == null && !YamlReader.hasMisspelt(metadata, "name")) {
      reader.problem(
          metadata,
          "'metadata.name'",
          " is missing; add name: jackson-2-18 (lowercase letters, digits, '-')");
      return Optional.empty();
    }
    if (entry == null) {
      return Optional.empty();
    }
    Optional<String> name = reader.string("metadata.name", entry.value());
    if (name.isEmpty()) {
      reader.problem(
          entry.key(),
          "'metadata.name'",
          " is empty; give the campaign a name such as jackson-2-18");
      return Optional.empty();
    }
    String text = name.get();
    if (text.length() > MAX_NAME_LENGTH || !NAME.matcher(text).matches()) {
      reader.problem(
          entry.value(),
          "name '" + YamlReader.shorten(text) + "'",
          " must be lowercase letters, digits and '-', start and end with a letter or digit, and be"
              + " at most "
              + MAX_NAME_LENGTH
              + " characters, because it becomes the branch flotilla/<name> and a label"
              + suggestedName(text));
      return Optional.empty();
    }
    Integer firstLine = namesSeen.putIfAbsent(text, YamlFiles.line(entry.value()));
    if (firstLine != null) {
      reader.problem(
          entry.value(),
          "name '" + text + "'",
          " is already used by the campaign at line "
              + firstLine
              + "; give each campaign its own name");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  private static String suggestedName(String text) {
    String cleaned =
        text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    cleaned =
        cleaned.length() > MAX_NAME_LENGTH
            ? cleaned.substring(0, MAX_NAME_LENGTH).replaceAll("-+$", "")
            : cleaned;
    return cleaned.isEmpty() ? "" : "; for example '" + cleaned + "'";
  }

  private Optional<CampaignSpec> spec(MappingNode spec, String name) {
    Map<String, YamlReader.Entry> entries = reader.entries(spec, " in spec", SPEC_KEYS);
    Optional<Migration> migration = migration(spec, entries.get("migration"));
    value(entries, "migrationArtifact").ifPresent(v -> migrationArtifact(v, migration));
    Map<String, Object> parameters = parameters(entries.get("parameters"));
    migration.ifPresent(m -> checkParameters(m, parameters, entries, spec));
    String schedule = value(entries, "schedule").flatMap(v -> schedule(v)).orElse(null);
    boolean automerge =
        value(entries, "automerge").flatMap(v -> reader.bool("automerge", v)).orElse(false);
    boolean allowNoChecks =
        value(entries, "allowNoChecks").flatMap(v -> reader.bool("allowNoChecks", v)).orElse(false);
    CampaignSpec.Rollout rollout = value(entries, "rollout").flatMap(this::rollout).orElse(null);
    CampaignSpec.Limits limits = value(entries, "limits").flatMap(this::limits).orElse(null);
    Duration rebaseAfter =
        value(entries, "rebaseAfter").flatMap(v -> duration("rebaseAfter", v, false)).orElse(null);
    boolean paused = value(entries, "paused").flatMap(v -> reader.bool("paused", v)).orElse(false);
    CampaignSpec.CancelPolicy cancelPolicy =
        value(entries, "cancelPolicy").flatMap(this::cancelPolicy).orElse(null);
    List<CampaignSpec.Verifier> verifiers = value(entries, "verifiers").map(this::verifiers).orElse(List.of());
    CampaignSpec.PostMerge postMerge = value(entries, "postMerge").flatMap(this::postMerge).orElse(null);
    String runnerImage = value(entries, "runnerImage").flatMap(v -> runnerImage(v)).orElse(null);
    if (name == null || migration.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new CampaignSpec(
            name,
            migration.get().id(),
            parameters,
            schedule,
            automerge,
            allowNoChecks,
            rollout,
            limits,
            rebaseAfter,
            paused,
            cancelPolicy,
            verifiers,
            postMerge,
            runnerImage));
  }

  private List<CampaignSpec.Verifier> verifiers(Node value) {
    List<CampaignSpec.Verifier> verifiers = new ArrayList<>();
    if (YamlReader.isNull(value)) {
      return verifiers;
    }
    String example = "[{name: build, command: mvn -B -q verify, when: pom.xml, timeout: 15m}]";
    if (!(value instanceof SequenceNode sequence)) {
      reader.problem(value, "'verifiers'", " must be a list such as " + example + ", got " + YamlReader.describe(value));
      return verifiers;
    }
    Set<String> names = new HashSet<>();
    for (Node item : sequence.getValue()) {
      Optional<MappingNode> mapping = reader.mapping("a verifier", item, "{name: build, command: mvn -B -q verify}");
      if (mapping.isEmpty()) {
        if (YamlReader.isNull(item)) {
          reader.problem(item, "a verifier", " is empty; give name and command, or remove the item");
        }
        continue;
      }
      Map<String, YamlReader.Entry> entries = reader.entries(mapping.get(), " in a verifier", VERIFIER_KEYS);
      Optional<String> verifierName = value(entries, "name").flatMap(v -> reader.string("name", v)).filter(n -> !n.isBlank());
      Optional<String> command = value(entries, "command").flatMap(v -> reader.string("command", v)).filter(c -> !c.isBlank());
      if (verifierName.isEmpty()) {
        reader.problem(mapping.get(), "a verifier", " has no 'name'; give it one such as build, so a failure can say which");
      } else if (!names.add(verifierName.get())) {
        reader.problem(entries.get("name").value(), "verifier '" + verifierName.get() + "'", " is named twice; give each verifier its own name");
      }
      if (command.isEmpty()) {
        reader.problem(mapping.get(), "verifier '" + verifierName.orElse("?") + "'",
            " has no 'command'; give the command line to run, such as mvn -B -q verify");
      }
      String when = value(entries, "when").flatMap(v -> reader.string("when", v)).map(String::strip).orElse(null);
      if (when != null) {
        try {
          java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + when);
        } catch (IllegalArgumentException e) {
          reader.problem(entries.get("when").value(), "'when'",
              " must be a file glob such as pom.xml or **/package.json (" + e.getMessage() + ")");
        }
      }
      Duration timeout = value(entries, "timeout").flatMap(v -> duration("timeout", v, false)).orElse(null);
      if (verifierName.isPresent() && command.isPresent()) {
        verifiers.add(new CampaignSpec.Verifier(verifierName.get(), command.get(), when, timeout));
      }
    }
    return verifiers;
  }

  private Optional<CampaignSpec.PostMerge> postMerge(Node value) {
    Optional<MappingNode> mapping = reader.mapping("postMerge", value, "{watch: 30m, haltOnFailureRate: 0, deployments: [production]}");
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlReader.Entry> entries = reader.entries(mapping.get(), " in postMerge", POST_MERGE_KEYS);
    Duration watch = value(entries, "watch").flatMap(v -> duration("watch", v, true)).orElse(null);
    if (watch == null && !entries.containsKey("watch")) {
      reader.problem(mapping.get(), "'postMerge.watch'", " is missing; say how long to watch the default branch, such as watch: 30m");
    }
    double halt =
        value(entries, "haltOnFailureRate")
            .flatMap(v -> reader.number("haltOnFailureRate", v).filter(rate -> rateInRange(v, rate)))
            .orElse(CampaignSpec.PostMerge.NONE.haltOnFailureRate());
    List<String> deployments =
        value(entries, "deployments").flatMap(v -> reader.strings("deployments", v, "[production]")).orElse(List.of());
    return Optional.of(new CampaignSpec.PostMerge(watch, halt, deployments));
  }

  /**
   * {@code migrationArtifact: com.acme:acme-migrations:1.2.0} pins the jar the migration must come
   * from: the controller (and so its runners) must have loaded it from exactly those coordinates.
   */
  private void migrationArtifact(Node value, Optional<Migration> migration) {
    Optional<String> coordinates = reader.string("migrationArtifact", value).map(String::strip);
    if (coordinates.isEmpty()) {
      return;
    }
    String problem = MavenArtifacts.problem(coordinates.get());
    if (problem != null) {
      reader.problem(value, "'migrationArtifact'", " " + problem);
      return;
    }
    migration.ifPresent(m -> {
      String source = m instanceof MigrationSource loaded ? loaded.source() : "Flotilla itself (built in)";
      if (!source.equals(coordinates.get())) {
        reader.problem(value, "'migrationArtifact'", " asks for migration '" + m.id() + "' from " + coordinates.get()
            + ", but this Flotilla loaded it from " + source + "; add " + coordinates.get()
            + " to FLOTILLA_MIGRATION_ARTIFACTS (in place of any other version) and restart, or change migrationArtifact");
      }
    });
  }

  private Optional<String> runnerImage(Node value) {
    return reader.string("runnerImage", value).map(String::strip).filter(image -> {
      if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace)) {
        reader.problem(value, "'runnerImage'", " must be a container image such as ghcr.io/acme/flotilla-runner-jdk21:1.4,"
            + " got " + YamlReader.describe(value));
        return false;
      }
      return true;
    });
  }

  private Optional<CampaignSpec.CancelPolicy> cancelPolicy(Node value) {
    Optional<String> text = reader.string("cancelPolicy", value);
    for (CampaignSpec.CancelPolicy policy : CampaignSpec.CancelPolicy.values()) {
      if (text.isPresent() && policy.written().equals(text.get())) {
        return Optional.of(policy);
      }
    }
    text.ifPresent(
        t ->
            reader.problem(
                value,
                "'cancelPolicy'",
                " must be keepPullRequests or closePullRequests, got " + YamlReader.describe(value)));
    return Optional.empty();
  }

  private static Optional<Node> value(Map<String, YamlReader.Entry> entries, String key) {
    return Optional.ofNullable(entries.get(key)).map(YamlReader.Entry::value);
  }

  private Optional<Migration> migration(MappingNode spec, YamlReader.Entry entry) {
    Optional<String> id =
        entry == null ? Optional.empty() : reader.string("migration", entry.value());
    if (id.isEmpty()) {
      boolean misspelt = entry == null && YamlReader.hasMisspelt(spec, "migration");
      if (!misspelt && (entry == null || YamlReader.isNull(entry.value()))) {
        reader.problem(
            entry == null ? spec : entry.key(),
            "'spec.migration'",
            " is missing; name the migration to run, one of: " + known());
      }
      return Optional.empty();
    }
    if (!migrations.contains(id.get())) {
      reader.problem(
          entry.value(),
          "migration '" + YamlReader.shorten(id.get()) + "'",
          " is not known"
              + Suggestions.didYouMean(id.get(), migrations.ids())
              + "; known migrations: "
              + known());
      return Optional.empty();
    }
    return Optional.of(migrations.get(id.get()));
  }

  private String known() {
    return migrations.ids().isEmpty()
        ? "(none on the classpath)"
        : String.join(", ", migrations.ids());
  }

  private Map<String, Object> parameters(YamlReader.Entry entry) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (entry == null) {
      return parameters;
    }
    Optional<MappingNode> mapping =
        reader.mapping(
            "parameters", entry.value(), "{groupId: com.fasterxml.jackson.core, version: 2.18.2}");
    if (mapping.isEmpty()) {
      return parameters;
    }
    int[] budget = {MAX_PARAMETER_VALUES};
    Set<String> names = new HashSet<>();
    for (NodeTuple tuple : mapping.get().getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key) || YamlReader.isNull(key)) {
        reader.problem(
            tuple.getKeyNode(), "a parameter name", " must be a plain name such as 'version'");
        continue;
      }
      if (!names.add(key.getValue())) {
        reader.problem(
            key, "parameter '" + key.getValue() + "'", " is given a second time; keep one");
        continue;
      }
      if (YamlReader.isNull(tuple.getValueNode())) {
        reader.problem(
            key,
            "parameter '" + key.getValue() + "'",
            " has no value; give one or remove the line");
        continue;
      }
      toValue(tuple.getValueNode(), budget)
          .ifPresentOrElse(
              v -> parameters.put(key.getValue(), v),
              () ->
                  reader.problem(
                      key,
                      "parameter '" + key.getValue() + "'",
                      " holds more than "
                          + MAX_PARAMETER_VALUES
                          + " values or an empty item; simplify it"));
    }
    return parameters;
  }

  /**
   * A parameter value as the migration API expects it: booleans and whole numbers typed, anything
   * else kept as written (so a version such as 2.10 is not turned into the number 2.1).
   */
  private static Optional<Object> toValue(Node node, int[] budget) {
    if (--budget[0] < 0 || YamlReader.isNull(node)) {
      return Optional.empty();
    }
    if (node instanceof ScalarNode scalar) {
      String text = scalar.getValue();
      if (scalar.getTag().equals(Tag.BOOL)
          && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
        return Optional.of(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
      }
      if (scalar.getTag().equals(Tag.INT)) {
        try {
          long number = Long.parseLong(text);
          if (Long.toString(number).equals(text)) {
            return Optional.of(number);
          }
        } catch (NumberFormatException e) {
          // an octal, hex or very long number: kept as written
        }
      }
      return Optional.of(text);
    }
    if (node instanceof SequenceNode sequence) {
      List<Object> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        Optional<Object> value = toValue(item, budget);
        if (value.isEmpty()) {
          return Optional.empty();
        }
        items.add(value.get());
      }
      return Optional.of(items);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      Optional<Object> value = toValue(tuple.getValueNode(), budget);
      if (value.isEmpty() || !(tuple.getKeyNode() instanceof ScalarNode key)) {
        return Optional.empty();
      }
      map.put(key.getValue(), value.get());
    }
    return Optional.of(map);
  }

  private void checkParameters(
      Migration migration,
      Map<String, Object> parameters,
      Map<String, YamlReader.Entry> spec,
      MappingNode specNode) {
    Validation validation;
    try {
      validation = Parameters.of(parameters).check(migration);
    } catch (FlotillaException e) {
      validation = Validation.of("parameters", e.getMessage());
    }
    Map<String, Node> keyNodes = parameterKeys(spec.get("parameters"));
    Node fallback =
        spec.containsKey("parameters") ? spec.get("parameters").key() : spec.get("migration").key();
    for (Validation.Problem problem : validation.problems()) {
      Node at = keyNodes.getOrDefault(problem.parameter(), fallback == null ? specNode : fallback);
      reader.problem(at, "parameter '" + problem.parameter() + "'", ": " + problem.message());
    }
  }

  private static Map<String, Node> parameterKeys(YamlReader.Entry parameters) {
    Map<String, Node> keys = new HashMap<>();
    if (parameters != null && parameters.value() instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          keys.putIfAbsent(key.getValue(), key);
        }
      }
    }
    return keys;
  }

  private Optional<String> schedule(Node value) {
    return reader
        .string("schedule", value)
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .flatMap(
            cron -> {
              try {
                CronExpression.validateExpression(cron);
                return Optional.of(cron);
              } catch (ParseException e) {
                reader.problem(
                    value,
                    "schedule '" + YamlReader.shorten(cron) + "'",
                    " is not a Quartz cron expression ("
                        + e.getMessage()
                        + "); write seconds minutes hours day-of-month month day-of-week, "
                        + "such as \"0 0 6 ? * MON-FRI\", or leave schedule out to run once now");
                return Optional.empty();
              }
            });
  }

  private Optional<CampaignSpec.Rollout> rollout(Node value) {
    Optional<MappingNode> mapping =
        reader.mapping("rollout", value, "{waves: [\"5\", \"25%\", \"100%\"]}");
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlReader.Entry> entries =
        reader.entries(mapping.get(), " in rollout", ROLLOUT_KEYS);
    List<String> waves = value(entries, "waves").flatMap(this::waves).orElse(null);
    double halt =
        value(entries, "haltOnFailureRate")
            .flatMap(
                v -> reader.number("haltOnFailureRate", v).filter(rate -> rateInRange(v, rate)))
            .orElse(CampaignSpec.Rollout.DEFAULT.haltOnFailureRate());
    Duration grace =
        value(entries, "waveGracePeriod")
            .flatMap(v -> duration("waveGracePeriod", v, true))
            .orElse(null);
    return Optional.of(new CampaignSpec.Rollout(waves, halt, grace));
  }

  private boolean rateInRange(Node value, double rate) {
    if (rate < 0 || rate > 1) {
      reader.problem(
          value,
          "'haltOnFailureRate'",
          " must be between 0 and 1 (0.2 halts when more than 20% of a wave fails), got "
              + YamlReader.describe(value));
      return false;
    }
    return true;
  }

  private Optional<List<String>> waves(Node value) {
    Optional<List<ScalarNode>> items = reader.list("waves", value, "[\"5\", \"25%\", \"100%\"]");
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<String> waves = new ArrayList<>();
    long lastCount = 0;
    long lastPercent = 0;
    for (ScalarNode item : items.get()) {
      String text = item.getValue().trim();
      Matcher m = WAVE.matcher(text);
      if (!m.matches()) {
        reader.problem(
            item,
            "wave '" + YamlReader.shorten(text) + "'",
            " must be a count such as \"5\" or a share such as \"25%\"");
        continue;
      }
      long n = Long.parseLong(m.group(1));
      boolean percent = !m.group(2).isEmpty();
      if (n <= 0) {
        reader.problem(item, "wave '" + text + "'", " must be more than 0");
      } else if (percent && n > 100) {
        reader.problem(item, "wave '" + text + "'", " must be at most 100%");
      } else if (n < (percent ? lastPercent : lastCount)) {
        reader.problem(
            item,
            "wave '" + text + "'",
            " is smaller than the wave before it; waves are cumulative, so list them in increasing"
                + " order");
      } else {
        waves.add(text);
        if (percent) {
          lastPercent = n;
        } else {
          lastCount = n;
        }
      }
    }
    return Optional.of(waves);
  }

  private Optional<CampaignSpec.Limits> limits(Node value) {
    Optional<MappingNode> mapping =
        reader.mapping("limits", value, "{concurrentRuns: 10, openPullRequests: 100}");
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    Map<String, YamlReader.Entry> entries =
        reader.entries(mapping.get(), " in limits", LIMITS_KEYS);
    CampaignSpec.Limits defaults = CampaignSpec.Limits.DEFAULT;
    return Optional.of(
        new CampaignSpec.Limits(
            positive(entries, "concurrentRuns", defaults.concurrentRuns()),
            positive(entries, "pullRequestsPerHour", defaults.pullRequestsPerHour()),
            positive(entries, "openPullRequests", defaults.openPullRequests())));
  }

  private int positive(Map<String, YamlReader.Entry> entries, String key, int defaultValue) {
    Optional<Node> node = value(entries, key);
    Optional<Long> value = node.flatMap(v -> reader.integer(key, v));
    if (value.isPresent() && (value.get() < 1 || value.get() > Integer.MAX_VALUE)) {
      reader.problem(
          node.get(),
          "'" + key + "'",
          " must be a whole number from 1 to "
              + Integer.MAX_VALUE
              + ", got "
              + YamlReader.describe(node.get()));
      return defaultValue;
    }
    return value.map(Long::intValue).orElse(defaultValue);
  }

  private Optional<Duration> duration(String key, Node value, boolean zeroAllowed) {
    return reader
        .string(key, value)
        .flatMap(
            text -> {
              try {
                Duration duration = Durations.parse(text);
                if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
                  reader.problem(
                      value,
                      "'" + key + "'",
                      " must be more than 0, got " + YamlReader.describe(value));
                  return Optional.empty();
                }
                return Optional.of(duration);
              } catch (IllegalArgumentException e) {
                reader.problem(
                    value,
                    "'" + key + "'",
                    " must be " + Durations.FORMAT + ", got " + YamlReader.describe(value));
                return Optional.empty();
              }
            });
  }
}
