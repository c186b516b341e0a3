package dev.flotilla.migration.edit;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An XML document parsed for editing in place: the elements, found with a real parser (StAX), and
 * the exact character ranges of their tags and text in the original document, so a change rewrites
 * only the characters it must. Comments, attribute order, whitespace, line endings, the XML
 * declaration and a leading byte-order mark all survive, because nothing is ever re-serialised.
 *
 * <pre>{@code
 * XmlDocument pom = XmlDocument.parse(workspace.read("pom.xml"));
 * List<TextEdit> edits = new ArrayList<>();
 * for (XmlElement dependency : pom.select("project/dependencies/dependency")) {
 *   if (dependency.childText("artifactId").orElse("").equals("junit")) {
 *     dependency.child("version").ifPresent(v -> edits.add(v.replaceText("4.13.2")));
 *   }
 * }
 * workspace.write("pom.xml", pom.apply(edits));
 * }</pre>
 *
 * <p>The parser reads no DTD and resolves no external entity: a document cannot make Flotilla read
 * files or fetch URLs.
 */
public final class XmlDocument {

  private final String text;
  private final int[] lineStarts;
  private XmlElement root;

  private XmlDocument(String text) {
    this.text = text;
    this.lineStarts = lineStarts(text);
  }

  /**
   * Parses {@code text}, which may start with a byte-order mark.
   *
   * @throws XmlEditException if the text is not well-formed XML; the message gives line and column
   */
  public static XmlDocument parse(String text) {
    XmlDocument document = new XmlDocument(text);
    document.root = document.readElements();
    return document;
  }

  /** The text the document was parsed from, unchanged. */
  public String text() {
    return text;
  }

  public XmlElement root() {
    return root;
  }

  /**
   * The elements at a path of local names from the root, in document order:
   * {@code select("project/build/plugins/plugin")}. A {@code *} segment matches any name.
   */
  public List<XmlElement> select(String path) {
    String[] names = path.split("/");
    List<XmlElement> current = matches(root, names[0]) ? List.of(root) : List.of();
    for (int i = 1; i < names.length; i++) {
      String name = names[i];
      current = current.stream().flatMap(e -> e.children().stream()).filter(e -> matches(e, name)).toList();
    }
    return current;
  }

  /** Every element, in document order. */
  public List<XmlElement> elements() {
    List<XmlElement> all = new ArrayList<>();
    walk(root, all::add);
    return all;
  }

  /** The document's text with the edits applied (see {@link TextEdits#apply}). */
  public String apply(Collection<TextEdit> edits) {
    return TextEdits.apply(text, edits);
  }

  /** The document's text with {@code element}'s text set to {@code value}. */
  public String replaceText(XmlElement element, String value) {
    return apply(List.of(element.replaceText(value)));
  }

  /** The 1-based line number of a character offset. */
  public int lineOf(int offset) {
    int index = java.util.Arrays.binarySearch(lineStarts, offset);
    return index >= 0 ? index + 1 : -index - 1;
  }

  private XmlElement readElements() {
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    Markup markup = new Markup(text, start);
    Deque<XmlElement> open = new ArrayDeque<>();
    XmlElement top = null;
    XMLStreamReader reader = null;
    try {
      reader = factory().createXMLStreamReader(new StringReader(text.substring(start)));
      while (reader.hasNext()) {
        switch (reader.next()) {
          case XMLStreamConstants.START_ELEMENT -> {
            String qualified = qualifiedName(reader);
            XmlElement element =
                new XmlElement(this, open.peek(), qualified, reader.getLocalName(), markup.nextStartTag(qualified));
            if (open.isEmpty()) {
              top = element;
            } else {
              open.peek().addChild(element);
            }
            open.push(element);
          }
          case XMLStreamConstants.END_ELEMENT -> {
            XmlElement element = open.pop();
            element.close(
                element.isEmptyElementTag()
                    ? new Markup.Tag(element.start(), element.contentStart(), true)
                    : markup.nextEndTag(element.qualifiedName()));
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (!open.isEmpty()) {
              open.peek().appendText(reader.getText());
            }
          }
          default -> {
            // Comments, processing instructions and the document's start and end carry no element text.
          }
        }
      }
    } catch (XMLStreamException e) {
      throw notWellFormed(e);
    } finally {
      closeQuietly(reader);
    }
    if (top == null) {
      throw new XmlEditException("the document has no root element");
    }
    return top;
  }

  private static XMLInputFactory factory() {
    // The JDK's own implementation, whatever else is on the classpath, so behaviour is the same everywhere.
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    return factory;
  }

  private static String qualifiedName(XMLStreamReader reader) {
    String prefix = reader.getPrefix();
    return prefix == null || prefix.isEmpty() ? reader.getLocalName() : prefix + ":" + reader.getLocalName();
  }

  private static XmlEditException notWellFormed(XMLStreamException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int marker = message.indexOf("Message: ");
    String reason = marker >= 0 ? message.substring(marker + "Message: ".length()) : message;
    if (e.getLocation() == null) {
      return new XmlEditException("not well-formed XML: " + reason, e);
    }
    return new XmlEditException(
        "not well-formed XML at line " + e.getLocation().getLineNumber() + ", column "
            + e.getLocation().getColumnNumber() + ": " + reason,
        e);
  }

  private static void closeQuietly(XMLStreamReader reader) {
    if (reader == null) {
      return;
    }
    try {
      reader.close();
    } catch (XMLStreamException e) {
      // Closing a reader over a string frees nothing that matters; the parse result stands.
    }
  }

  private static boolean matches(XmlElement element, String name) {
    return name.equals("*") || element.name().equals(name);
  }

  private static void walk(XmlElement element, Consumer<XmlElement> visitor) {
    visitor.accept(element);
    element.children().forEach(child -> walk(child, visitor));
  }

  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts.add(i + 1);
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }
}
