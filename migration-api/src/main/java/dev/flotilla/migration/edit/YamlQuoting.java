package dev.flotilla.migration.edit;

import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.resolver.Resolver;

/** Writes a new value for a scalar in the style the old one used, escaping as that style needs. */
final class YamlQuoting {

  private static final Resolver RESOLVER = new Resolver();
  private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";
  private static final String FLOW_INDICATORS = ",[]{}";

  private YamlQuoting() {}

  /**
   * The text to put where {@code old} is written so that it reads back as {@code value}. A plain
   * scalar stays plain unless the new value would need quotes or would read back as another type
   * ({@code true}, {@code 3}, {@code null}); then it is single-quoted. A single-quoted scalar that
   * cannot hold the value (line breaks, control characters) becomes double-quoted.
   */
  static String render(YamlScalar old, String value, String source) {
    return switch (old.style()) {
      case PLAIN -> canStayPlain(old, value) ? value : single(value);
      case SINGLE_QUOTED -> single(value);
      case DOUBLE_QUOTED -> doubleQuoted(value);
      case LITERAL, FOLDED -> throw new YamlEditException(
          source
              + ":"
              + old.line()
              + ":"
              + old.column()
              + ": "
              + old.path()
              + " is a block scalar (| or >); it cannot be replaced without rewriting its lines, "
              + "so edit it by hand or write it as a one-line value");
    };
  }

  private static boolean canStayPlain(YamlScalar old, String value) {
    if (!isPlainSafe(value, old.inFlowCollection())) {
      return false;
    }
    return old.explicitlyTagged()
        || RESOLVER.resolve(NodeId.scalar, value, true).getValue().equals(old.tag());
  }

  static boolean isPlainSafe(String value, boolean inFlow) {
    if (value.isEmpty()
        || Character.isWhitespace(value.charAt(0))
        || Character.isWhitespace(value.charAt(value.length() - 1))
        || value.startsWith("---")
        || value.startsWith("...")
        || value.endsWith(":")
        || value.contains(": ")
        || value.contains(":\t")
        || value.contains(" #")
        || value.contains("\t#")) {
      return false;
    }
    char first = value.charAt(0);
    if (INDICATORS.indexOf(first) >= 0) {
      // "-x", "?x" and ":x" are plain in YAML, every other indicator starts something else.
      boolean dashLike = first == '-' || first == '?' || first == ':';
      if (!dashLike || value.length() == 1 || Character.isWhitespace(value.charAt(1))) {
        return false;
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (needsEscape(c) || (inFlow && FLOW_INDICATORS.indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  static String single(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (needsEscape(value.charAt(i))) {
        // Single quotes fold line breaks and cannot escape anything but the quote itself.
        return doubleQuoted(value);
      }
    }
    return "'" + value.replace("'", "''") + "'";
  }

  static String doubleQuoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\0' -> out.append("\\0");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\u001B' -> out.append("\\e");
        case '\u0085' -> out.append("\\N");
        case '\u2028' -> out.append("\\L");
        case '\u2029' -> out.append("\\P");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04X", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7F && c <= 0x9F)
        || c == '\u2028'
        || c == '\u2029'
        || c == '\uFEFF'
        || c == '\uFFFE'
        || c == '\uFFFF';
  }
}
