package dev.flotilla.controller.config;

import dev.flotilla.Printable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of a SnakeYAML node tree and collects every problem, each naming its key
 * and line, instead of stopping at the first. A value that is wrong reads as empty, so parsing goes
 * on and the next problem is found too.
 */
final class YamlReader {

  /** A key of a mapping and its value. */
  record Entry(ScalarNode key, Node value) {}

  private static final Set<String> TRUE = Set.of("true", "True", "TRUE");
  private static final Set<String> FALSE = Set.of("false", "False", "FALSE");
  private static final int MAX_SHOWN = 60;

  private final List<ConfigException.Problem> problems = new ArrayList<>();

  /** Records "{subject} at line N{rest}"; {@code rest} starts with " must ..." or "; ...". */
  void problem(Node at, String subject, String rest) {
    int line = YamlFiles.line(at);
    problems.add(new ConfigException.Problem(line, subject + " at line " + line + rest));
  }

  void problem(int line, String message) {
    problems.add(new ConfigException.Problem(line, message));
  }

  List<ConfigException.Problem> problems() {
    return List.copyOf(problems);
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  void throwIfAny(String file) {
    if (!problems.isEmpty()) {
      throw new ConfigException(file, problems);
    }
  }

  /**
   * The entries of a mapping by key, after checking that each key is a plain name, known, and given
   * once. {@code where} says where the mapping is, such as " in mergeWindow", or "".
   */
  Map<String, Entry> entries(MappingNode mapping, String where, Collection<String> allowed) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode key) || isNull(keyNode)) {
        problem(keyNode, "a key" + where, " must be a plain name such as '" + first(allowed) + "'");
        continue;
      }
      if (key.getTag().equals(Tag.MERGE)) {
        problem(key, "merge key '<<'" + where, " is not supported; write the keys out");
        continue;
      }
      String name = key.getValue();
      Entry previous = entries.get(name);
      if (previous != null) {
        problem(
            key,
            "key '" + name + "'" + where,
            " is given a second time (first at line "
                + YamlFiles.line(previous.key())
                + "); keep one");
        continue;
      }
      if (!allowed.contains(name)) {
        problem(
            key,
            "unknown key '" + shorten(name) + "'" + where,
            Suggestions.closest(name, allowed)
                    .map(s -> "; did you mean '" + s + "'? allowed keys: ")
                    .orElse("; allowed keys: ")
                + String.join(", ", allowed));
        continue;
      }
      entries.put(name, new Entry(key, tuple.getValueNode()));
    }
    return entries;
  }

  /**
   * Whether {@code mapping} has a key that is a misspelling of {@code key}: then the unknown key is
   * already reported with a suggestion, and "key is missing" would only repeat it.
   */
  static boolean hasMisspelt(MappingNode mapping, String key) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode scalar
          && !scalar.getValue().equals(key)
          && Suggestions.closest(scalar.getValue(), List.of(key)).isPresent()) {
        return true;
      }
    }
    return false;
  }

  static boolean isNull(Node node) {
    return node == null || node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
  }

  Optional<MappingNode> mapping(String name, Node value, String example) {
    if (isNull(value)) {
      return Optional.empty();
    }
    if (value instanceof MappingNode mapping) {
      return Optional.of(mapping);
    }
    problem(
        value,
        "'" + name + "'",
        " must be a mapping such as " + example + ", got " + describe(value));
    return Optional.empty();
  }

  Optional<Boolean> bool(String name, Node value) {
    if (isNull(value)) {
      return Optional.empty();
    }
    if (value instanceof ScalarNode scalar) {
      String text = scalar.getValue();
      boolean known = TRUE.contains(text) || FALSE.contains(text);
      if (known && scalar.isPlain()) {
        return Optional.of(TRUE.contains(text));
      }
      if (known) {
        problem(
            value, "'" + name + "'", " must be true or false without quotes, got \"" + text + "\"");
        return Optional.empty();
      }
    }
    problem(value, "'" + name + "'", " must be true or false, got " + describe(value));
    return Optional.empty();
  }

  Optional<String> string(String name, Node value) {
    if (isNull(value)) {
      return Optional.empty();
    }
    if (value instanceof ScalarNode scalar) {
      return Optional.of(scalar.getValue());
    }
    problem(value, "'" + name + "'", " must be a single value, got " + describe(value));
    return Optional.empty();
  }

  Optional<Long> integer(String name, Node value) {
    if (isNull(value)) {
      return Optional.empty();
    }
    if (value instanceof ScalarNode scalar && scalar.isPlain()) {
      try {
        return Optional.of(Long.parseLong(scalar.getValue().replace("_", "")));
      } catch (NumberFormatException e) {
        // not a whole number: reported below with the value
      }
    }
    problem(value, "'" + name + "'", " must be a whole number, got " + describe(value));
    return Optional.empty();
  }

  Optional<Double> number(String name, Node value) {
    if (isNull(value)) {
      return Optional.empty();
    }
    if (value instanceof ScalarNode scalar && scalar.isPlain()) {
      try {
        double parsed = Double.parseDouble(scalar.getValue());
        if (Double.isFinite(parsed)) {
          return Optional.of(parsed);
        }
      } catch (NumberFormatException e) {
        // not a number: reported below with the value
      }
    }
    problem(value, "'" + name + "'", " must be a number, got " + describe(value));
    return Optional.empty();
  }

  /** A list of single, non-blank values; each bad item is a problem of its own. */
  Optional<List<ScalarNode>> list(String name, Node value, String example) {
    if (isNull(value)) {
      return Optional.empty();
    }
    if (!(value instanceof SequenceNode sequence)) {
      problem(
          value,
          "'" + name + "'",
          " must be a list such as " + example + ", got " + describe(value));
      return Optional.empty();
    }
    List<ScalarNode> items = new ArrayList<>();
    for (Node item : sequence.getValue()) {
      if (item instanceof ScalarNode scalar && !isNull(scalar) && !scalar.getValue().isBlank()) {
        items.add(scalar);
      } else {
        problem(
            item,
            "an item of '" + name + "'",
            " must be a single non-empty value, got " + describe(item));
      }
    }
    return Optional.of(items);
  }

  Optional<List<String>> strings(String name, Node value, String example) {
    return list(name, value, example)
        .map(items -> items.stream().map(ScalarNode::getValue).distinct().toList());
  }

  /** How a value reads in a message: short, quoted, never a whole tree. */
  static String describe(Node node) {
    if (isNull(node)) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + shorten(((ScalarNode) node).getValue()) + "'";
  }

  /** A value from a file as it may appear in a message or a log line: one line, escaped, short. */
  static String shorten(String text) {
    String oneLine = Printable.escape(text);
    return oneLine.length() <= MAX_SHOWN ? oneLine : oneLine.substring(0, MAX_SHOWN) + "...";
  }

  private static String first(Collection<String> allowed) {
    return allowed.isEmpty() ? "name" : allowed.iterator().next();
  }
}
