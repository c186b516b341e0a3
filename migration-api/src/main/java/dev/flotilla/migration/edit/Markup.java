package dev.flotilla.migration.edit;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds where tags sit in the raw text of a document that StAX has already found well-formed.
 *
 * <p>{@code Location.getCharacterOffset()} differs between StAX implementations (some report the
 * end of an event, some count bytes, some return -1), so offsets come from walking the text in step
 * with the parser's events instead: the next start tag in the text is the one the parser just
 * reported, and its name is checked to prove it.
 */
final class Markup {

  /** A tag's span: {@code start} at its {@code <}, {@code end} just after its {@code >}. */
  record Tag(int start, int end, boolean selfClosing) {}

  /** A run of character data or a CDATA section inside an element. */
  record Segment(int start, int end, boolean cdata) {}

  private final String text;
  private int position;

  Markup(String text, int start) {
    this.text = text;
    this.position = start;
  }

  Tag nextStartTag(String qualifiedName) {
    int lt = nextTag();
    if (text.startsWith("</", lt) || !namedAt(lt + 1, qualifiedName)) {
      throw mismatch("<" + qualifiedName, lt);
    }
    int end = tagEnd(lt + 1 + qualifiedName.length());
    position = end;
    return new Tag(lt, end, text.charAt(end - 2) == '/');
  }

  Tag nextEndTag(String qualifiedName) {
    int lt = nextTag();
    if (!text.startsWith("</", lt) || !namedAt(lt + 2, qualifiedName)) {
      throw mismatch("</" + qualifiedName, lt);
    }
    int end = tagEnd(lt + 2 + qualifiedName.length());
    position = end;
    return new Tag(lt, end, false);
  }

  /** The character data and CDATA sections between {@code from} and {@code to}, without comments. */
  static List<Segment> segments(String text, int from, int to) {
    List<Segment> segments = new ArrayList<>();
    int i = from;
    while (i < to) {
      if (text.startsWith("<!--", i)) {
        i = text.indexOf("-->", i + 4) + 3;
      } else if (text.startsWith("<![CDATA[", i)) {
        int close = text.indexOf("]]>", i + 9) + 3;
        segments.add(new Segment(i, close, true));
        i = close;
      } else if (text.startsWith("<?", i)) {
        i = text.indexOf("?>", i + 2) + 2;
      } else {
        int lt = text.indexOf('<', i);
        int end = lt < 0 || lt > to ? to : lt;
        segments.add(new Segment(i, end, false));
        i = end;
      }
    }
    return segments;
  }

  /** The offset of the next {@code <} that opens an element tag, skipping everything else. */
  private int nextTag() {
    while (true) {
      int lt = text.indexOf('<', position);
      if (lt < 0) {
        throw new XmlEditException("expected another tag after offset " + position);
      }
      if (text.startsWith("<!--", lt)) {
        position = text.indexOf("-->", lt + 4) + 3;
      } else if (text.startsWith("<![CDATA[", lt)) {
        position = text.indexOf("]]>", lt + 9) + 3;
      } else if (text.startsWith("<?", lt)) {
        position = text.indexOf("?>", lt + 2) + 2;
      } else if (text.startsWith("<!", lt)) {
        position = declarationEnd(lt + 2);
      } else {
        return lt;
      }
    }
  }

  private boolean namedAt(int offset, String qualifiedName) {
    if (!text.startsWith(qualifiedName, offset)) {
      return false;
    }
    int after = offset + qualifiedName.length();
    return after < text.length() && (isXmlSpace(text.charAt(after)) || text.charAt(after) == '>' || text.charAt(after) == '/');
  }

  /** The offset after the {@code >} closing a tag; a {@code >} inside a quoted attribute value does not count. */
  private int tagEnd(int from) {
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i + 1;
      }
    }
    throw new XmlEditException("a tag starting before offset " + from + " is never closed");
  }

  /** Skips {@code <!DOCTYPE ...>}, including an internal subset in brackets. */
  private int declarationEnd(int from) {
    int depth = 0;
    char quote = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (text.startsWith("<!--", i)) {
        i = text.indexOf("-->", i + 4) + 2;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == '>' && depth == 0) {
        return i + 1;
      }
    }
    throw new XmlEditException("a declaration starting before offset " + from + " is never closed");
  }

  private XmlEditException mismatch(String expected, int found) {
    int end = Math.min(text.length(), found + 40);
    return new XmlEditException(
        "could not line up the parser with the text: expected " + expected + " at offset " + found
            + " but found '" + text.substring(found, end) + "'");
  }

  static boolean isXmlSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
