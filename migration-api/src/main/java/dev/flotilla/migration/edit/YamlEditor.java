package dev.flotilla.migration.edit;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Edits scalar values in a YAML file without re-serialising it: everything but the replaced values
 * (comments, key order, indentation, quoting of other values, blank lines, {@code \r\n} line endings,
 * documents separated by {@code ---}) stays byte for byte as it was.
 *
 * <pre>{@code
 * YamlEditor yaml = YamlEditor.parse(".github/workflows/ci.yml", workspace.read(path));
 * for (YamlScalar uses : yaml.select("jobs.*.steps[*].uses")) {
 *   if (uses.value().startsWith("actions/checkout@")) {
 *     yaml.replace(uses, "actions/checkout@v4");
 *   }
 * }
 * if (yaml.isChanged()) {
 *   workspace.write(path, yaml.text());
 * }
 * }</pre>
 *
 * <p>The file is parsed with SnakeYAML's composer (no objects are constructed) under safe limits:
 * at most {@value #MAX_CODE_POINTS} code points, {@value #MAX_ALIASES} aliases of collections and
 * {@value #MAX_NESTING} levels of nesting; beyond them, {@link #parse} throws {@link
 * YamlEditException}. A replaced value keeps its quoting style (see {@link #replace}).
 *
 * <p>A value written as an alias ({@code *name}) is found where its anchor is: replacing it replaces
 * the anchored value, and so every alias of it. Instances are not thread-safe.
 */
public final class YamlEditor {

  /** The largest file, in Unicode code points, that {@link #parse} accepts. */
  public static final int MAX_CODE_POINTS = 3 * 1024 * 1024;

  /** How many aliases of collections a file may use (guards against "billion laughs"). */
  public static final int MAX_ALIASES = 50;

  /** How deeply collections may nest. */
  public static final int MAX_NESTING = 64;

  private final String source;
  private final String text;
  private final List<Node> documents;
  private final int[] charIndexOfCodePoint;
  private final TreeMap<Integer, Edit> edits = new TreeMap<>();

  private YamlEditor(String source, String text, List<Node> documents, int[] charIndexOfCodePoint) {
    this.source = source;
    this.text = text;
    this.documents = documents;
    this.charIndexOfCodePoint = charIndexOfCodePoint;
  }

  /**
   * Parses every document in {@code text}.
   *
   * @param source the file's name, used in error messages (e.g. {@code .github/workflows/ci.yml})
   * @param text the file's content
   * @throws YamlEditException naming the file, line and column when the text is not YAML, or when
   *     it exceeds the safe loading limits
   */
  public static YamlEditor parse(String source, String text) {
    if (text.length() > 2 * MAX_CODE_POINTS || text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
      throw new YamlEditException(
          source + " is larger than " + MAX_CODE_POINTS + " characters; refusing to parse it as YAML");
    }
    Yaml yaml = new Yaml(new SafeConstructor(loaderOptions()));
    List<Node> documents = new ArrayList<>();
    try {
      for (Node document : yaml.composeAll(new StringReader(text))) {
        if (document != null) {
          documents.add(document);
        }
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
      throw new YamlEditException(
          source + " is not valid YAML" + where + ": " + e.getProblem() + "; fix the file or leave it out", e);
    } catch (YAMLException e) {
      throw new YamlEditException(source + " cannot be read as YAML: " + e.getMessage(), e);
    }
    return new YamlEditor(source, text, documents, codePointToCharIndex(text));
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    // Duplicate keys are the file owner's business; an edit must not refuse a file the tools accept.
    options.setAllowDuplicateKeys(true);
    return options;
  }

  /** The name given to {@link #parse}. */
  public String source() {
    return source;
  }

  /** How many documents the file holds (empty documents are not counted). */
  public int documentCount() {
    return documents.size();
  }

  /**
   * Every scalar reached by {@code path} in every document, in file order. A path is keys separated
   * by dots, where {@code *} is any key and {@code [*]} any item of a list, {@code [2]} the third:
   * {@code jobs.*.steps[*].uses} or {@code runs.steps[*].uses}. Nodes at the path that are lists or
   * mappings are not returned. Keys containing {@code .}, {@code [} or {@code ]} cannot be named.
   *
   * @throws IllegalArgumentException when the path is malformed
   */
  public List<YamlScalar> select(String path) {
    List<Segment> segments = Segment.parse(path);
    Map<Integer, YamlScalar> found = new LinkedHashMap<>();
    for (int doc = 0; doc < documents.size(); doc++) {
      select(documents.get(doc), segments, 0, "", doc, false, found, identitySet());
    }
    return sorted(found);
  }

  /**
   * Every scalar that is the value of a mapping key named {@code key}, at any depth, in every
   * document, in file order: {@code valuesOfKey("uses")} finds each {@code uses:} value.
   */
  public List<YamlScalar> valuesOfKey(String key) {
    Map<Integer, YamlScalar> found = new LinkedHashMap<>();
    for (int doc = 0; doc < documents.size(); doc++) {
      collectValuesOfKey(documents.get(doc), key, "", doc, false, found, identitySet());
    }
    return sorted(found);
  }

  /**
   * Replaces the bytes of one scalar (found by {@link #select} or {@link #valuesOfKey} on this
   * editor) with {@code newValue}, written in the scalar's own style: a single-quoted value stays
   * single-quoted (a quote inside is doubled), a double-quoted one stays double-quoted (with {@code
   * \} escapes). A plain value stays plain unless the new value needs quotes ({@code a: b}, {@code #},
   * leading indicators) or would read back as another type ({@code yes}, {@code 3}, {@code null});
   * then it is single-quoted. Anchors and tags in front of the value are kept.
   *
   * @return whether the text changes
   * @throws YamlEditException when the scalar is a block scalar ({@code |} or {@code >}), or when
   *     another replacement of the same scalar with a different value was already made
   */
  public boolean replace(YamlScalar scalar, String newValue) {
    if (scalar.value().equals(newValue)) {
      return false;
    }
    String rendered = YamlQuoting.render(scalar, newValue, source);
    Edit previous = edits.get(scalar.start());
    if (previous != null) {
      if (previous.end() == scalar.end() && previous.replacement().equals(rendered)) {
        return false;
      }
      throw new YamlEditException(
          source + ":" + scalar.line() + ":" + scalar.column() + ": " + scalar.path()
              + " is already being replaced with another value (is it reached through an alias?)");
    }
    Map.Entry<Integer, Edit> before = edits.floorEntry(scalar.start());
    Map.Entry<Integer, Edit> after = edits.ceilingEntry(scalar.start());
    if ((before != null && before.getValue().end() > scalar.start())
        || (after != null && after.getKey() < scalar.end())) {
      throw new YamlEditException(
          source + ":" + scalar.line() + ":" + scalar.column() + ": " + scalar.path()
              + " overlaps a value that is already being replaced");
    }
    if (text.substring(scalar.start(), scalar.end()).equals(rendered)) {
      return false;
    }
    edits.put(scalar.start(), new Edit(scalar.start(), scalar.end(), rendered));
    return true;
  }

  /** Whether any {@link #replace} changed the text. */
  public boolean isChanged() {
    return !edits.isEmpty();
  }

  /** The text as parsed. */
  public String originalText() {
    return text;
  }

  /** The text with every replacement made so far; everything else is as it was. */
  public String text() {
    StringBuilder out = new StringBuilder(text.length() + 64);
    int copied = 0;
    for (Edit edit : edits.values()) {
      out.append(text, copied, edit.start()).append(edit.replacement());
      copied = edit.end();
    }
    return out.append(text, copied, text.length()).toString();
  }

  private void select(
      Node node,
      List<Segment> segments,
      int depth,
      String path,
      int doc,
      boolean inFlow,
      Map<Integer, YamlScalar> found,
      Set<Node> onPath) {
    if (depth == segments.size()) {
      if (node instanceof ScalarNode scalar) {
        YamlScalar found1 = scalar(scalar, path, doc, inFlow);
        found.putIfAbsent(found1.start(), found1);
      }
      return;
    }
    if (!onPath.add(node)) {
      return;
    }
    Segment segment = segments.get(depth);
    boolean flow = inFlow || isFlow(node);
    if (node instanceof MappingNode mapping && segment.key() != null) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && (segment.key().equals("*") || segment.key().equals(key.getValue()))) {
          select(tuple.getValueNode(), segments, depth + 1, join(path, key.getValue()), doc, flow, found, onPath);
        }
      }
    } else if (node instanceof SequenceNode sequence && segment.key() == null) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        if (segment.index() < 0 || segment.index() == i) {
          select(items.get(i), segments, depth + 1, path + "[" + i + "]", doc, flow, found, onPath);
        }
      }
    }
    onPath.remove(node);
  }

  private void collectValuesOfKey(
      Node node, String key, String path, int doc, boolean inFlow, Map<Integer, YamlScalar> found, Set<Node> onPath) {
    if (!onPath.add(node)) {
      return;
    }
    boolean flow = inFlow || isFlow(node);
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        String keyText = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
        String childPath = join(path, keyText);
        if (tuple.getValueNode() instanceof ScalarNode value) {
          if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
            YamlScalar scalar = scalar(value, childPath, doc, flow);
            found.putIfAbsent(scalar.start(), scalar);
          }
        } else {
          collectValuesOfKey(tuple.getValueNode(), key, childPath, doc, flow, found, onPath);
        }
      }
    } else if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        collectValuesOfKey(items.get(i), key, path + "[" + i + "]", doc, flow, found, onPath);
      }
    }
    onPath.remove(node);
  }

  private YamlScalar scalar(ScalarNode node, String path, int doc, boolean inFlow) {
    int start = charIndex(node.getStartMark().getIndex());
    int end = charIndex(node.getEndMark().getIndex());
    boolean tagged = false;
    // A scalar event starts at its anchor or tag, if it has one; the value itself comes after them.
    while (start < end && (text.charAt(start) == '&' || text.charAt(start) == '!')) {
      tagged |= text.charAt(start) == '!';
      while (start < end && !Character.isWhitespace(text.charAt(start))) {
        start++;
      }
      while (start < end && Character.isWhitespace(text.charAt(start))) {
        start++;
      }
    }
    Mark mark = node.getStartMark();
    int line = mark.getLine() + 1 + countLineBreaks(charIndex(mark.getIndex()), start);
    return new YamlScalar(
        node.getValue(),
        style(node),
        start,
        end,
        line,
        columnOf(start),
        doc,
        path,
        inFlow,
        node.getTag().getValue(),
        tagged);
  }

  private int countLineBreaks(int from, int to) {
    int breaks = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n' || (text.charAt(i) == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        breaks++;
      }
    }
    return breaks;
  }

  private int columnOf(int index) {
    int lineStart = Math.max(text.lastIndexOf('\n', index - 1), text.lastIndexOf('\r', index - 1)) + 1;
    return text.codePointCount(lineStart, index) + 1;
  }

  private static YamlScalar.Style style(ScalarNode node) {
    return switch (node.getScalarStyle()) {
      case SINGLE_QUOTED -> YamlScalar.Style.SINGLE_QUOTED;
      case DOUBLE_QUOTED, JSON_SCALAR_STYLE -> YamlScalar.Style.DOUBLE_QUOTED;
      case LITERAL -> YamlScalar.Style.LITERAL;
      case FOLDED -> YamlScalar.Style.FOLDED;
      case PLAIN -> YamlScalar.Style.PLAIN;
    };
  }

  private int charIndex(int codePointIndex) {
    return charIndexOfCodePoint == null ? codePointIndex : charIndexOfCodePoint[codePointIndex];
  }

  /**
   * SnakeYAML's marks count code points; Java strings count UTF-16 chars. They differ after any
   * character outside the Basic Multilingual Plane (an emoji in a comment), so map one to the other.
   * Null when the text has no such character and the two agree.
   */
  private static int[] codePointToCharIndex(String text) {
    int codePoints = text.codePointCount(0, text.length());
    if (codePoints == text.length()) {
      return null;
    }
    int[] map = new int[codePoints + 1];
    int charIndex = 0;
    for (int cp = 0; cp < codePoints; cp++) {
      map[cp] = charIndex;
      charIndex += Character.charCount(text.codePointAt(charIndex));
    }
    map[codePoints] = charIndex;
    return map;
  }

  private static boolean isFlow(Node node) {
    return node instanceof CollectionNode<?> collection && collection.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static Set<Node> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  private static List<YamlScalar> sorted(Map<Integer, YamlScalar> found) {
    return new TreeMap<>(found).values().stream().toList();
  }

  /** A replacement of the characters {@code [start, end)} of the original text. */
  private record Edit(int start, int end, String replacement) {}

  /** One step of a path: a key ({@code *} for any), or a list index ({@code -1} for any). */
  private record Segment(String key, int index) {

    static List<Segment> parse(String path) {
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("a YAML path must name at least one key, e.g. jobs.*.steps[*].uses");
      }
      List<Segment> segments = new ArrayList<>();
      for (String part : path.split("\\.", -1)) {
        int bracket = part.indexOf('[');
        String key = bracket < 0 ? part : part.substring(0, bracket);
        if (!key.isEmpty()) {
          segments.add(new Segment(key, -1));
        } else if (bracket != 0) {
          throw new IllegalArgumentException("empty key in YAML path '" + path + "'");
        }
        String rest = bracket < 0 ? "" : part.substring(bracket);
        while (!rest.isEmpty()) {
          int close = rest.indexOf(']');
          if (!rest.startsWith("[") || close < 0) {
            throw new IllegalArgumentException("malformed index in YAML path '" + path + "': " + rest);
          }
          String index = rest.substring(1, close);
          segments.add(new Segment(null, index.equals("*") ? -1 : parseIndex(index, path)));
          rest = rest.substring(close + 1);
        }
      }
      return segments;
    }

    private static int parseIndex(String index, String path) {
      try {
        int value = Integer.parseInt(index);
        if (value < 0) {
          throw new NumberFormatException(index);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "list index '" + index + "' in YAML path '" + path + "' must be a number or *", e);
      }
    }
  }
}
