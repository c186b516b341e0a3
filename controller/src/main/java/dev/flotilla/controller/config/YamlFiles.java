package dev.flotilla.controller.config;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Turns the bytes of a file people write into SnakeYAML node trees, refusing what is too big,
 * binary, not UTF-8, too deeply nested or alias-heavy before it can cost memory or time. Nodes keep
 * their marks, so every later error can name its line.
 */
final class YamlFiles {

  static final int MAX_ALIASES = 50;
  static final int MAX_NESTING = 50;

  private YamlFiles() {}

  /** Decodes UTF-8 after checking size and binary content; drops a byte order mark. */
  static String decode(byte[] bytes, String file, int maxBytes) {
    checkSize(bytes.length, file, maxBytes);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw binary(file, lineAt(bytes, i));
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return stripBom(decoder.decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      int offset = firstInvalidUtf8(bytes);
      throw new ConfigException(
          file,
          lineAt(bytes, offset),
          String.format(
              "is not UTF-8 text (byte 0x%02X at line %d cannot be decoded); save the file as"
                  + " UTF-8",
              bytes[offset] & 0xff, lineAt(bytes, offset)));
    }
  }

  /** The same size and binary checks for text that is already decoded. */
  static String check(String text, String file, int maxBytes) {
    checkSize(text.getBytes(StandardCharsets.UTF_8).length, file, maxBytes);
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      throw binary(file, lineAt(text, nul));
    }
    return stripBom(text);
  }

  static LoaderOptions options(int maxBytes) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setCodePointLimit(maxBytes);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  /** The single document of a file, or null when the file holds no document at all. */
  static Node composeOne(String text, String file, int maxBytes) {
    Node node;
    try {
      node = new Yaml(options(maxBytes)).compose(new StringReader(text));
    } catch (YAMLException e) {
      throw syntax(file, e);
    }
    refuseUnstorable(node, file);
    return node;
  }

  /** Every non-empty document of a file, in order. */
  static List<Node> composeAll(String text, String file, int maxBytes) {
    List<Node> documents = new ArrayList<>();
    try {
      for (Node node : new Yaml(options(maxBytes)).composeAll(new StringReader(text))) {
        // A document separator with nothing after it is an empty document, not a mistake.
        if (!YamlReader.isNull(node)) {
          refuseUnstorable(node, file);
          documents.add(node);
        }
      }
    } catch (YAMLException e) {
      throw syntax(file, e);
    }
    return documents;
  }

  /**
   * Refuses values the store cannot hold, naming each one's key and line: a NUL character (a YAML
   * {@code \0} escape; the raw byte is refused as binary earlier) and an unpaired UTF-16 surrogate
   * (a {@code \}{@code uD800} escape), which PostgreSQL's text and jsonb refuse or mangle.
   */
  static void refuseUnstorable(Node root, String file) {
    List<ConfigException.Problem> problems = new ArrayList<>();
    collectUnstorable(root, "", Collections.newSetFromMap(new IdentityHashMap<>()), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(file, problems);
    }
  }

  private static void collectUnstorable(
      Node node, String key, Set<Node> seen, List<ConfigException.Problem> problems) {
    // An alias is the same node again: visiting each node once keeps alias bombs linear.
    if (!seen.add(node)) {
      return;
    }
    if (node instanceof ScalarNode scalar) {
      unstorable(scalar.getValue())
          .ifPresent(
              what -> {
                int line = line(scalar);
                String subject = key.isEmpty() ? "a value" : "'" + YamlReader.shorten(key) + "'";
                problems.add(
                    new ConfigException.Problem(
                        line, subject + " at line " + line + " holds " + what + ", which Flotilla cannot store; remove it"));
              });
    } else if (node instanceof SequenceNode sequence) {
      sequence.getValue().forEach(item -> collectUnstorable(item, key, seen, problems));
    } else if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        String name = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
        String path = key.isEmpty() ? name : key + "." + name;
        collectUnstorable(tuple.getKeyNode(), path, seen, problems);
        collectUnstorable(tuple.getValueNode(), path, seen, problems);
      }
    }
  }

  /** What in {@code text} the store cannot hold, described for a person, if anything. */
  private static Optional<String> unstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return Optional.of("a NUL character (\\0)");
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(String.format("an unpaired UTF-16 surrogate (\\u%04X)", (int) c));
      }
    }
    return Optional.empty();
  }

  static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  private static ConfigException syntax(String file, YAMLException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.contains("Nesting Depth")) {
      return new ConfigException(
          file, 0, "nests deeper than " + MAX_NESTING + " levels; flatten the file");
    }
    if (message.contains("Number of aliases")) {
      return new ConfigException(
          file,
          0,
          "uses more than " + MAX_ALIASES + " aliases (*name); write the values out instead");
    }
    if (message.contains("exceeds the limit")) {
      return new ConfigException(file, 0, "is too large; keep it small and split it if needed");
    }
    if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      int line = mark.getLine() + 1;
      String problem = marked.getProblem() == null ? message : marked.getProblem();
      String context = marked.getContext() == null ? "" : marked.getContext();
      if (context.contains("expected a single document")) {
        return new ConfigException(
            file,
            line,
            "holds a second YAML document at line " + line + "; keep one document (remove '---')");
      }
      return new ConfigException(
          file,
          line,
          "is not valid YAML at line "
              + line
              + ", column "
              + (mark.getColumn() + 1)
              + ": "
              + problem
              + hint(problem));
    }
    return new ConfigException(file, 0, "is not valid YAML: " + message);
  }

  private static String hint(String problem) {
    if (problem.contains("(TAB)")) {
      return "; indent with spaces";
    }
    if (problem.contains("duplicate anchor") || problem.contains("undefined alias")) {
      return "; define each anchor (&name) once, before its aliases (*name)";
    }
    return "";
  }

  private static void checkSize(long size, String file, int maxBytes) {
    if (size > maxBytes) {
      throw new ConfigException(
          file,
          0,
          "is "
              + size
              + " bytes, more than the limit of "
              + maxBytes
              + " bytes ("
              + maxBytes / 1024
              + " KiB); keep only the settings Flotilla reads");
    }
  }

  private static ConfigException binary(String file, int line) {
    return new ConfigException(
        file,
        line,
        "contains a NUL byte at line "
            + line
            + ", so it is binary, not YAML text; replace it with a UTF-8 text file");
  }

  private static String stripBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }

  private static int lineAt(String text, int offset) {
    return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
  }

  /** Where strict decoding fails: the first byte that does not start a valid UTF-8 sequence. */
  private static int firstInvalidUtf8(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xff;
      int length =
          b < 0x80
              ? 1
              : b >= 0xc2 && b < 0xe0
                  ? 2
                  : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      if (length == 0 || i + length > bytes.length) {
        return i;
      }
      for (int k = 1; k < length; k++) {
        if ((bytes[i + k] & 0xc0) != 0x80) {
          return i;
        }
      }
      i += length;
    }
    return Math.max(0, bytes.length - 1);
  }
}
