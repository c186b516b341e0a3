package dev.flotilla.migration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The parameters of one campaign, as given in its YAML or on the command line: an immutable map of
 * names to strings, booleans, integers and lists of strings, with typed getters.
 *
 * <p>Check them against a migration with {@link #check(Migration)} before any repository is cloned.
 * Read them either one by one ({@link #string}, {@link #bool}, ...) or all at once into a record with
 * {@link #bind(Class)}.
 */
public final class Parameters {

  private static final ObjectMapper BINDER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Map<String, Object> values;

  private Parameters(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static Parameters empty() {
    return new Parameters(Map.of());
  }

  public static Parameters of(Map<String, ?> values) {
    Map<String, Object> copy = new LinkedHashMap<>();
    // Not List.copyOf: a null item must reach check() and be reported, not throw here.
    values.forEach(
        (k, v) -> copy.put(k, v instanceof List<?> l ? Collections.unmodifiableList(new ArrayList<>(l)) : v));
    return new Parameters(copy);
  }

  /**
   * Parses {@code key: value} YAML. A syntax error names the line and column; the top level must be
   * a mapping; a key given twice is an error.
   *
   * <p>Only {@code true}/{@code false}, {@code null} and plain whole numbers get a type here; every
   * other scalar stays the text that was written, so {@code version: 2.10} is {@code "2.10"} (not the
   * number 2.1) and {@code answer: no} is {@code "no"}. The parameter specs type the rest.
   */
  public static Parameters fromYaml(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(1024 * 1024);
    Object parsed;
    try {
      parsed =
          new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options, new TextFirstResolver())
              .load(yaml);
    } catch (MarkedYAMLException e) {
      throw new InvalidParametersException(
          "parameters are not valid YAML at line "
              + (e.getProblemMark().getLine() + 1)
              + ", column "
              + (e.getProblemMark().getColumn() + 1)
              + ": "
              + e.getProblem());
    } catch (YAMLException e) {
      throw new InvalidParametersException("parameters are not valid YAML: " + e.getMessage());
    }
    if (parsed == null) {
      return empty();
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new InvalidParametersException(
          "parameters must be a mapping of names to values, not " + describe(parsed));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    map.forEach((k, v) -> values.put(String.valueOf(k), v));
    return of(values);
  }

  /** Parses {@code key=value} pairs as given on a command line; values are typed later by the spec. */
  public static Parameters fromPairs(List<String> pairs) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidParametersException(
            "parameter '" + pair + "' is not of the form key=value");
      }
      values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return of(values);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  public boolean has(String name) {
    return values.containsKey(name) && values.get(name) != null;
  }

  /**
   * Checks these parameters against {@code migration}'s {@link Migration#parameters()} (unknown
   * names, missing required ones, wrong types) and then its own {@link Migration#validate}.
   * Returns every problem found. Command-line strings such as {@code "true"} or {@code "3"} count as
   * booleans and integers.
   */
  public Validation check(Migration migration) {
    Validation.Builder problems = Validation.builder();
    Map<String, ParameterSpec> specs = new LinkedHashMap<>();
    migration.parameters().forEach(s -> specs.put(s.name(), s));
    for (String name : values.keySet()) {
      if (!specs.containsKey(name) && !migration.acceptsOtherParameters()) {
        problems.problem(
            name,
            "unknown parameter for migration '"
                + migration.id()
                + "'; known parameters: "
                + (specs.isEmpty() ? "(none)" : String.join(", ", specs.keySet())));
      }
    }
    for (ParameterSpec spec : specs.values()) {
      Object value = values.get(spec.name());
      if (value == null) {
        problems.check(
            !spec.required(),
            spec.name(),
            spec.description().isBlank() ? "is required" : "is required (" + spec.description() + ")");
      } else if (coerce(spec.type(), value).isEmpty()) {
        problems.problem(
            spec.name(), "must be " + typeName(spec.type()) + ", got " + describe(value));
      }
    }
    Validation shape = problems.build();
    if (!shape.isValid()) {
      return shape;
    }
    return migration.validate(withDefaults(specs.values()));
  }

  /** These parameters typed by the specs, with defaults filled in for what was left out. */
  public Parameters withDefaults(Iterable<ParameterSpec> specs) {
    Map<String, Object> typed = new LinkedHashMap<>(values);
    for (ParameterSpec spec : specs) {
      Object value = values.get(spec.name());
      if (value == null) {
        if (spec.defaultValue() != null) {
          typed.put(spec.name(), spec.defaultValue());
        }
      } else {
        coerce(spec.type(), value).ifPresent(v -> typed.put(spec.name(), v));
      }
    }
    return of(typed);
  }

  public Optional<String> optionalString(String name) {
    Object value = values.get(name);
    return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
  }

  /** A required string; throws naming the parameter if it is absent. */
  public String string(String name) {
    return optionalString(name).orElseThrow(() -> missing(name));
  }

  public String string(String name, String defaultValue) {
    return optionalString(name).orElse(defaultValue);
  }

  public boolean bool(String name, boolean defaultValue) {
    Object value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    return coerce(ParameterSpec.Type.BOOLEAN, value)
        .map(Boolean.class::cast)
        .orElseThrow(() -> wrongType(name, ParameterSpec.Type.BOOLEAN, value));
  }

  public long integer(String name, long defaultValue) {
    Object value = values.get(name);
    if (value == null) {
      return defaultValue;
    }
    return coerce(ParameterSpec.Type.INTEGER, value)
        .map(Long.class::cast)
        .orElseThrow(() -> wrongType(name, ParameterSpec.Type.INTEGER, value));
  }

  @SuppressWarnings("unchecked")
  public List<String> stringList(String name) {
    Object value = values.get(name);
    if (value == null) {
      return List.of();
    }
    return coerce(ParameterSpec.Type.STRING_LIST, value)
        .map(v -> (List<String>) v)
        .orElseThrow(() -> wrongType(name, ParameterSpec.Type.STRING_LIST, value));
  }

  /** Reads all parameters into a record (or any Jackson-bindable type) whose fields match the names. */
  public <T> T bind(Class<T> type) {
    try {
      return BINDER.convertValue(values, type);
    } catch (IllegalArgumentException e) {
      throw new InvalidParametersException(
          "parameters do not fit " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  /** A YAML resolver that leaves floats, dates and YAML 1.1 booleans such as {@code yes} as text. */
  private static final class TextFirstResolver extends Resolver {
    private static final Pattern BOOLEAN = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$");

    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOLEAN, "tTfF");
      addImplicitResolver(Tag.INT, WHOLE_NUMBER, "-+0123456789");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }

  private static Optional<Object> coerce(ParameterSpec.Type type, Object value) {
    return switch (type) {
      case STRING -> value instanceof Map<?, ?> || value instanceof List<?>
          ? Optional.empty()
          : Optional.of(String.valueOf(value));
      case BOOLEAN -> {
        if (value instanceof Boolean b) {
          yield Optional.of(b);
        }
        String s = String.valueOf(value);
        yield s.equals("true") || s.equals("false") ? Optional.of(Boolean.parseBoolean(s)) : Optional.empty();
      }
      case INTEGER -> {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
          yield Optional.of(n.longValue());
        }
        try {
          yield Optional.of(Long.parseLong(String.valueOf(value).trim()));
        } catch (NumberFormatException e) {
          yield Optional.empty();
        }
      }
      case STRING_LIST -> {
        if (value instanceof List<?> list) {
          List<String> strings = new ArrayList<>();
          for (Object item : list) {
            if (item == null || item instanceof Map<?, ?> || item instanceof List<?>) {
              yield Optional.empty();
            }
            strings.add(String.valueOf(item));
          }
          yield Optional.of(List.copyOf(strings));
        }
        if (value instanceof String s) {
          yield Optional.of(s.isBlank() ? List.of() : List.of(s.split("\\s*,\\s*")));
        }
        yield Optional.empty();
      }
    };
  }

  private static String typeName(ParameterSpec.Type type) {
    return switch (type) {
      case STRING -> "a string";
      case BOOLEAN -> "true or false";
      case INTEGER -> "a whole number";
      case STRING_LIST -> "a list of strings";
    };
  }

  private static String describe(Object value) {
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    return "'" + value + "'";
  }

  private static InvalidParametersException missing(String name) {
    return new InvalidParametersException("parameter '" + name + "' is required");
  }

  private static InvalidParametersException wrongType(
      String name, ParameterSpec.Type type, Object value) {
    return new InvalidParametersException(
        "parameter '" + name + "' must be " + typeName(type) + ", got " + describe(value));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Parameters p && p.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
