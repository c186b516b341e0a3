package dev.flotilla.migration.edit;

import java.util.Objects;

/**
 * Replace {@code length} characters at {@code offset} with {@code replacement}. A length of zero
 * inserts; an empty replacement deletes. Offsets count {@code char}s of the text the edit was made
 * for. Apply edits with {@link TextEdits#apply}.
 */
public record TextEdit(int offset, int length, String replacement) {

  public TextEdit {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "an edit needs a non-negative offset and length, got offset " + offset + ", length " + length);
    }
    Objects.requireNonNull(replacement, "replacement");
  }

  /** Inserts {@code text} at {@code offset}. */
  public static TextEdit insert(int offset, String text) {
    return new TextEdit(offset, 0, text);
  }

  /** Replaces the characters from {@code start} (inclusive) to {@code end} (exclusive). */
  public static TextEdit replace(int start, int end, String replacement) {
    return new TextEdit(start, end - start, replacement);
  }

  /** The offset just after the replaced characters. */
  public int end() {
    return offset + length;
  }
}
