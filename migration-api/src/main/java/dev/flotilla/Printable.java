package dev.flotilla;

/**
 * Text from a repository made safe to log or show on one line: every control character is written
 * as an escape, so a value cannot end a log line, forge a new one, move the cursor or reorder what a
 * terminal shows.
 */
public final class Printable {

  private Printable() {}

  /**
   * {@code text} with every C0 control (LF, CR and TAB as {@code \n}, {@code \r}, {@code \t}), DEL,
   * C1 control, line and paragraph separator, bidirectional control and unpaired surrogate written as
   * {@code \}{@code uXXXX}; null stays null.
   */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (!needsEscape(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7F && c <= 0x9F)
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u061C'
        || (c >= '\u200E' && c <= '\u200F')
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069')
        || Character.isSurrogate(c);
  }
}
