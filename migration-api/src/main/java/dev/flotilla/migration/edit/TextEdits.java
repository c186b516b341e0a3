package dev.flotilla.migration.edit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Applies several {@link TextEdit}s to one text at once. Every offset refers to the original text,
 * so edits can be collected in any order while walking a parsed document and applied in one go;
 * everything outside the edited ranges is kept character for character.
 */
public final class TextEdits {

  private TextEdits() {}

  /**
   * The text with every edit applied. Identical edits count once (two findings may lead to the same
   * change); edits that overlap or reach past the end of the text are refused with an {@link
   * IllegalArgumentException} naming both edits, because their combined meaning is ambiguous.
   */
  public static String apply(String text, Collection<TextEdit> edits) {
    List<TextEdit> sorted = new ArrayList<>(new LinkedHashSet<>(edits));
    sorted.sort(Comparator.comparingInt(TextEdit::offset).thenComparingInt(TextEdit::length));
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    TextEdit previous = null;
    for (TextEdit edit : sorted) {
      if (edit.end() > text.length()) {
        throw new IllegalArgumentException(
            edit + " reaches past the end of the text (" + text.length() + " characters)");
      }
      // Two insertions at one offset would have no defined order, so they count as overlapping too.
      if (previous != null && (edit.offset() < previous.end() || edit.offset() == previous.offset())) {
        throw new IllegalArgumentException(edit + " overlaps " + previous);
      }
      out.append(text, copied, edit.offset()).append(edit.replacement());
      copied = edit.end();
      previous = edit;
    }
    return out.append(text, copied, text.length()).toString();
  }
}
