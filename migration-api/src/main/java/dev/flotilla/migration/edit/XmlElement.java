package dev.flotilla.migration.edit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One element of an {@link XmlDocument}, with where it sits in the document's text: its start tag,
 * its content and its end tag. Offsets count {@code char}s of {@link XmlDocument#text()}.
 *
 * <p>Elements are found with {@link XmlDocument#select} or by walking {@link #children()}; an edit
 * to one is made with {@link #replaceText}, which touches only the characters of its text.
 */
public final class XmlElement {

  private final XmlDocument document;
  private final XmlElement parent;
  private final String qualifiedName;
  private final String name;
  private final Markup.Tag startTag;
  private final List<XmlElement> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();
  private Markup.Tag endTag;

  XmlElement(XmlDocument document, XmlElement parent, String qualifiedName, String name, Markup.Tag startTag) {
    this.document = document;
    this.parent = parent;
    this.qualifiedName = qualifiedName;
    this.name = name;
    this.startTag = startTag;
  }

  /** The local name, without a namespace prefix: {@code version} for {@code <m:version>}. */
  public String name() {
    return name;
  }

  /** The name as written in the tag, prefix included. */
  public String qualifiedName() {
    return qualifiedName;
  }

  /** The enclosing element; empty for the root. */
  public Optional<XmlElement> parent() {
    return Optional.ofNullable(parent);
  }

  /** The local names from the root down to this element, joined by {@code /}: {@code project/dependencies/dependency}. */
  public String path() {
    return parent == null ? name : parent.path() + "/" + name;
  }

  /** The 1-based line of the start tag, for messages. */
  public int line() {
    return document.lineOf(startTag.start());
  }

  /** The offset of the {@code <} that opens the start tag. */
  public int start() {
    return startTag.start();
  }

  /** The offset just after the end tag (or after {@code />} for an empty-element tag). */
  public int end() {
    return endTag.end();
  }

  /** The offset just after the start tag's {@code >}: where the content begins. */
  public int contentStart() {
    return startTag.end();
  }

  /** The offset of the end tag's {@code <}: where the content ends ({@link #contentStart()} for {@code <x/>}). */
  public int contentEnd() {
    return startTag.selfClosing() ? startTag.end() : endTag.start();
  }

  /** Whether the element is written as an empty-element tag such as {@code <version/>}. */
  public boolean isEmptyElementTag() {
    return startTag.selfClosing();
  }

  /** The element's own character data (entities decoded, CDATA included), without surrounding whitespace. */
  public String text() {
    return text.toString().strip();
  }

  public List<XmlElement> children() {
    return Collections.unmodifiableList(children);
  }

  /** The child elements with this local name, in document order. */
  public List<XmlElement> children(String localName) {
    return children.stream().filter(c -> c.name.equals(localName)).toList();
  }

  /** The first child element with this local name. */
  public Optional<XmlElement> child(String localName) {
    return children.stream().filter(c -> c.name.equals(localName)).findFirst();
  }

  /** The {@link #text()} of the first child with this local name. */
  public Optional<String> childText(String localName) {
    return child(localName).map(XmlElement::text);
  }

  /**
   * The edit that sets this element's text to {@code value} (escaped as needed). Only the text
   * itself is replaced: whitespace around it, comments next to it and a CDATA wrapper stay, so
   * {@code <version> 1.0 <!-- pinned --> </version>} becomes {@code <version> 2.0 <!-- pinned --> </version>}.
   * An empty-element tag {@code <version/>} gains content and an end tag.
   *
   * @throws XmlEditException if the element has child elements, or its text is split into several
   *     pieces by comments or CDATA sections so that which piece to replace is unclear
   */
  public TextEdit replaceText(String value) {
    if (!children.isEmpty()) {
      throw new XmlEditException(
          "<" + qualifiedName + "> at line " + line() + " contains elements; only the text of an element without children can be replaced");
    }
    String source = document.text();
    if (startTag.selfClosing()) {
      // "<version/>" or "<version a='b' />": the "/>" becomes ">value</version>".
      int slash = source.lastIndexOf('/', startTag.end() - 1);
      return TextEdit.replace(slash, startTag.end(), ">" + escape(value) + "</" + qualifiedName + ">");
    }
    List<Markup.Segment> filled =
        Markup.segments(source, contentStart(), contentEnd()).stream()
            .filter(s -> s.cdata() || !source.substring(s.start(), s.end()).isBlank())
            .toList();
    if (filled.isEmpty()) {
      return TextEdit.insert(contentStart(), escape(value));
    }
    if (filled.size() > 1) {
      throw new XmlEditException(
          "the text of <" + qualifiedName + "> at line " + line()
              + " is split by comments or CDATA sections; edit it by hand");
    }
    Markup.Segment segment = filled.get(0);
    if (segment.cdata() && !value.contains("]]>")) {
      return TextEdit.replace(segment.start() + "<![CDATA[".length(), segment.end() - "]]>".length(), value);
    }
    if (segment.cdata()) {
      return TextEdit.replace(segment.start(), segment.end(), escape(value));
    }
    int from = segment.start();
    int to = segment.end();
    while (from < to && Markup.isXmlSpace(source.charAt(from))) {
      from++;
    }
    while (to > from && Markup.isXmlSpace(source.charAt(to - 1))) {
      to--;
    }
    return TextEdit.replace(from, to, escape(value));
  }

  /** Escapes {@code &}, {@code <} and {@code >} for use as character data. */
  public static String escape(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public String toString() {
    return "<" + qualifiedName + "> at line " + line();
  }

  void appendText(String characters) {
    text.append(characters);
  }

  void addChild(XmlElement child) {
    children.add(child);
  }

  void close(Markup.Tag end) {
    this.endTag = end;
  }
}
