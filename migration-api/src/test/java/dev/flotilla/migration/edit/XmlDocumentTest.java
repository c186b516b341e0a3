package dev.flotilla.migration.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class XmlDocumentTest {

  private static final String POM =
      """
      <?xml version="1.0" encoding="ISO-8859-1"?>
      <!-- a comment with <version>0.0</version> inside -->
      <project xmlns="http://maven.apache.org/POM/4.0.0" a="x > y">
        <dependencies>
          <dependency>
            <groupId>org.junit</groupId>
            <artifactId  >junit</artifactId>
            <version>
               4.12
            </version>
          </dependency>
          <dependency><groupId>b</groupId><artifactId>b</artifactId><version><![CDATA[1.0]]></version></dependency>
        </dependencies>
      </project>
      """;

  @Test
  void findsElementsByPathWithTheirTrimmedText() {
    XmlDocument doc = XmlDocument.parse(POM);

    List<XmlElement> dependencies = doc.select("project/dependencies/dependency");

    assertThat(dependencies).hasSize(2);
    assertThat(dependencies.get(0).childText("artifactId")).contains("junit");
    assertThat(dependencies.get(0).childText("version")).contains("4.12");
    assertThat(dependencies.get(1).childText("version")).contains("1.0");
    assertThat(dependencies.get(0).path()).isEqualTo("project/dependencies/dependency");
    assertThat(dependencies.get(0).child("version").orElseThrow().line()).isEqualTo(8);
    assertThat(doc.select("project/*/dependency")).hasSize(2);
  }

  @Test
  void offsetsPointAtTheTagsInTheText() {
    XmlDocument doc = XmlDocument.parse(POM);
    XmlElement artifactId = doc.select("project/dependencies/dependency/artifactId").get(0);

    assertThat(POM.substring(artifactId.start(), artifactId.end())).isEqualTo("<artifactId  >junit</artifactId>");
    assertThat(POM.substring(artifactId.contentStart(), artifactId.contentEnd())).isEqualTo("junit");
  }

  @Test
  void replacesOnlyTheTextKeepingTheWhitespaceAroundIt() {
    XmlDocument doc = XmlDocument.parse(POM);
    XmlElement version = doc.select("project/dependencies/dependency/version").get(0);

    String edited = doc.replaceText(version, "4.13.2");

    assertThat(edited).isEqualTo(POM.replace("   4.12\n", "   4.13.2\n"));
  }

  @Test
  void replacesTheInsideOfACdataSection() {
    XmlDocument doc = XmlDocument.parse(POM);
    XmlElement version = doc.select("project/dependencies/dependency/version").get(1);

    assertThat(doc.replaceText(version, "2.0")).isEqualTo(POM.replace("<![CDATA[1.0]]>", "<![CDATA[2.0]]>"));
  }

  @Test
  void keepsCrlfLineEndingsAndTabs() {
    String crlf = "<?xml version=\"1.0\"?>\r\n<project>\r\n\t<version>1.0</version>\r\n\t<!-- keep -->\r\n</project>\r\n";
    XmlDocument doc = XmlDocument.parse(crlf);
    XmlElement version = doc.select("project/version").get(0);

    assertThat(doc.replaceText(version, "2.0")).isEqualTo(crlf.replace("1.0</", "2.0</"));
    assertThat(version.line()).isEqualTo(3);
  }

  @Test
  void keepsALeadingByteOrderMark() {
    String withBom = "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project><version>1.0</version></project>\n";
    XmlDocument doc = XmlDocument.parse(withBom);

    String edited = doc.replaceText(doc.select("project/version").get(0), "1.1");

    assertThat(edited).isEqualTo(withBom.replace("1.0<", "1.1<")).startsWith("\uFEFF<?xml");
  }

  @Test
  void fillsAnEmptyElementTag() {
    String xml = "<project><version/><name a='1' /></project>";
    XmlDocument doc = XmlDocument.parse(xml);

    assertThat(doc.replaceText(doc.select("project/version").get(0), "1.0"))
        .isEqualTo("<project><version>1.0</version><name a='1' /></project>");
    assertThat(doc.replaceText(doc.select("project/name").get(0), "x"))
        .isEqualTo("<project><version/><name a='1' >x</name></project>");
  }

  @Test
  void keepsACommentNextToTheText() {
    String xml = "<p><version>1.0 <!-- pinned: see ISSUE-1 --></version></p>";
    XmlDocument doc = XmlDocument.parse(xml);

    assertThat(doc.replaceText(doc.select("p/version").get(0), "2.0"))
        .isEqualTo("<p><version>2.0 <!-- pinned: see ISSUE-1 --></version></p>");
  }

  @Test
  void refusesTextSplitByAComment() {
    XmlDocument doc = XmlDocument.parse("<p><version>1.<!-- x -->0</version></p>");
    XmlElement version = doc.select("p/version").get(0);

    assertThat(version.text()).isEqualTo("1.0");
    assertThatThrownBy(() -> version.replaceText("2.0"))
        .isInstanceOf(XmlEditException.class)
        .hasMessageContaining("split by comments");
  }

  @Test
  void refusesToReplaceTheTextOfAnElementWithChildren() {
    XmlDocument doc = XmlDocument.parse("<p>\n<q>x</q></p>");

    assertThatThrownBy(() -> doc.root().replaceText("y"))
        .isInstanceOf(XmlEditException.class)
        .hasMessageContaining("<p> at line 1");
  }

  @Test
  void escapesMarkupInTheNewText() {
    XmlDocument doc = XmlDocument.parse("<p><q>a</q></p>");

    assertThat(doc.replaceText(doc.select("p/q").get(0), "a<b&c")).isEqualTo("<p><q>a&lt;b&amp;c</q></p>");
  }

  @Test
  void decodesEntitiesInText() {
    XmlDocument doc = XmlDocument.parse("<p><q>a &amp; b</q></p>");

    assertThat(doc.select("p/q").get(0).text()).isEqualTo("a & b");
  }

  @Test
  void handlesNamespacePrefixesAndSameNamedNestedElements() {
    String xml = "<m:project xmlns:m='urn:m'><m:a><m:a>inner</m:a></m:a><m:a>second</m:a></m:project>";
    XmlDocument doc = XmlDocument.parse(xml);

    assertThat(doc.select("project/a")).hasSize(2);
    XmlElement inner = doc.select("project/a/a").get(0);
    assertThat(inner.qualifiedName()).isEqualTo("m:a");
    assertThat(doc.replaceText(inner, "x")).isEqualTo(xml.replace("inner", "x"));
    assertThat(doc.replaceText(doc.select("project/a").get(1), "y")).isEqualTo(xml.replace("second", "y"));
  }

  @Test
  void reportsLineAndColumnOfMalformedXml() {
    assertThatThrownBy(() -> XmlDocument.parse("<project>\n  <version>1.0</versoin>\n</project>"))
        .isInstanceOf(XmlEditException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void neverResolvesExternalEntities() {
    String xxe =
        """
        <?xml version="1.0"?>
        <!DOCTYPE project [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
        <project><name>&secret;</name></project>
        """;

    try {
      XmlDocument doc = XmlDocument.parse(xxe);
      assertThat(doc.select("project/name").get(0).text()).doesNotContain("root:");
    } catch (XmlEditException refused) {
      assertThat(refused.getMessage()).doesNotContain("root:");
    }
  }

  @Test
  void skipsADoctypeWithAnInternalSubset() {
    String xml = "<!DOCTYPE p [ <!-- > --> <!ELEMENT p ANY> ]>\n<p><q>1</q></p>";
    XmlDocument doc = XmlDocument.parse(xml);

    assertThat(doc.replaceText(doc.select("p/q").get(0), "2")).isEqualTo(xml.replace(">1<", ">2<"));
  }

  @Test
  void listsEveryElementInDocumentOrder() {
    XmlDocument doc = XmlDocument.parse("<a><b><c/></b><d/></a>");

    assertThat(doc.elements()).extracting(XmlElement::name).containsExactly("a", "b", "c", "d");
  }
}
