package dev.flotilla.migration.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlEditorTest {

  private static final String WORKFLOW =
      """
      # CI for the service 🚀 (emoji outside the BMP shift code-point indexes)
      name: ci
      on: [push]
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v3   # v3.5.0
            - uses: 'actions/setup-java@v3'
              with: {distribution: temurin, java-version: "17"}
            - uses: "actions/cache@v3"
            - run: |
                echo "uses: not/me@v1"
        release:
          uses: acme/workflows/.github/workflows/release.yml@v1
      """;

  @Test
  void selectsScalarsByPathWithWildcards() {
    YamlEditor yaml = YamlEditor.parse("ci.yml", WORKFLOW);

    List<YamlScalar> uses = yaml.select("jobs.*.steps[*].uses");

    assertThat(uses).extracting(YamlScalar::value)
        .containsExactly("actions/checkout@v3", "actions/setup-java@v3", "actions/cache@v3");
    assertThat(uses).extracting(YamlScalar::path)
        .containsExactly("jobs.build.steps[0].uses", "jobs.build.steps[1].uses", "jobs.build.steps[2].uses");
    assertThat(uses).extracting(YamlScalar::style).containsExactly(
        YamlScalar.Style.PLAIN, YamlScalar.Style.SINGLE_QUOTED, YamlScalar.Style.DOUBLE_QUOTED);
    assertThat(uses.get(0).line()).isEqualTo(8);
    assertThat(uses.get(0).column()).isEqualTo(15);
    assertThat(yaml.select("jobs.build.steps[1].uses")).extracting(YamlScalar::value)
        .containsExactly("actions/setup-java@v3");
  }

  @Test
  void findsValuesOfAKeyAtAnyDepth() {
    YamlEditor yaml = YamlEditor.parse("ci.yml", WORKFLOW);

    assertThat(yaml.valuesOfKey("uses")).extracting(YamlScalar::value).containsExactly(
        "actions/checkout@v3",
        "actions/setup-java@v3",
        "actions/cache@v3",
        "acme/workflows/.github/workflows/release.yml@v1");
    assertThat(yaml.valuesOfKey("java-version")).singleElement()
        .satisfies(s -> assertThat(s.inFlowCollection()).isTrue());
  }

  @Test
  void replacesOnlyTheValueAfterAnEmojiKeepingEverythingElse() {
    YamlEditor yaml = YamlEditor.parse("ci.yml", WORKFLOW);

    for (YamlScalar uses : yaml.select("jobs.*.steps[*].uses")) {
      yaml.replace(uses, uses.value().replace("@v3", "@v4"));
    }

    assertThat(yaml.isChanged()).isTrue();
    assertThat(yaml.text()).isEqualTo(WORKFLOW.replace("@v3", "@v4"));
    assertThat(yaml.originalText()).isEqualTo(WORKFLOW);
  }

  @Test
  void keepsCrlfLineEndingsAndCommentsWhenReplacing() {
    String text = "a: 1\r\n# note\r\nb: old # trailing\r\nc: 'x'\r\n";
    YamlEditor yaml = YamlEditor.parse("f.yml", text);

    yaml.replace(yaml.select("b").get(0), "new");
    yaml.replace(yaml.select("c").get(0), "it's");

    assertThat(yaml.text()).isEqualTo("a: 1\r\n# note\r\nb: new # trailing\r\nc: 'it''s'\r\n");
  }

  @Test
  void editsEveryDocumentOfAMultiDocumentFile() {
    String text = "image: app:1\n---\n# second\nimage: \"app:1\"\n...\n---\nimage: app:1\n";
    YamlEditor yaml = YamlEditor.parse("k.yml", text);

    List<YamlScalar> images = yaml.select("image");
    images.forEach(s -> yaml.replace(s, "app:2"));

    assertThat(images).extracting(YamlScalar::document).containsExactly(0, 1, 2);
    assertThat(yaml.documentCount()).isEqualTo(3);
    assertThat(yaml.text()).isEqualTo(text.replace("app:1", "app:2"));
  }

  @Test
  void escapesNewValuesInTheOldQuotingStyle() {
    String text = "a: \"x\"\nb: 'y'\nc: plain\nd: plain\n";
    YamlEditor yaml = YamlEditor.parse("f.yml", text);

    yaml.replace(yaml.select("a").get(0), "say \"hi\"\\\tnow");
    yaml.replace(yaml.select("b").get(0), "two\nlines");
    yaml.replace(yaml.select("c").get(0), "key: value # not a comment");
    yaml.replace(yaml.select("d").get(0), "still-plain");

    assertThat(yaml.text()).isEqualTo(
        "a: \"say \\\"hi\\\"\\\\\\tnow\"\nb: \"two\\nlines\"\nc: 'key: value # not a comment'\nd: still-plain\n");
    YamlEditor reread = YamlEditor.parse("f.yml", yaml.text());
    assertThat(reread.select("a").get(0).value()).isEqualTo("say \"hi\"\\\tnow");
    assertThat(reread.select("b").get(0).value()).isEqualTo("two\nlines");
    assertThat(reread.select("c").get(0).value()).isEqualTo("key: value # not a comment");
  }

  @Test
  void quotesAPlainValueThatWouldChangeType() {
    String text = "ref: main\nversion: 3\n";
    YamlEditor yaml = YamlEditor.parse("f.yml", text);

    yaml.replace(yaml.select("ref").get(0), "true");
    yaml.replace(yaml.select("version").get(0), "4");

    assertThat(yaml.text()).isEqualTo("ref: 'true'\nversion: 4\n");
  }

  @Test
  void quotesFlowIndicatorsInsideFlowCollections() {
    String text = "with: {tags: a, other: b}\n";
    YamlEditor yaml = YamlEditor.parse("f.yml", text);

    yaml.replace(yaml.select("with.tags").get(0), "a,b");

    assertThat(yaml.text()).isEqualTo("with: {tags: 'a,b', other: b}\n");
  }

  @Test
  void keepsAnchorsAndTagsInFrontOfTheValue() {
    String text = "base: &v !!str 1.0\ncopy: *v\n";
    YamlEditor yaml = YamlEditor.parse("f.yml", text);

    YamlScalar base = yaml.select("base").get(0);
    yaml.replace(base, "2.0");

    assertThat(base.explicitlyTagged()).isTrue();
    assertThat(yaml.text()).isEqualTo("base: &v !!str 2.0\ncopy: *v\n");
    assertThat(yaml.select("copy").get(0).start()).isEqualTo(base.start());
  }

  @Test
  void replacingTheSameScalarTwiceWithTheSameValueIsOneEdit() {
    String text = "base: &v x\ncopy: *v\n";
    YamlEditor yaml = YamlEditor.parse("f.yml", text);

    assertThat(yaml.replace(yaml.select("base").get(0), "y")).isTrue();
    assertThat(yaml.replace(yaml.select("copy").get(0), "y")).isFalse();
    assertThatThrownBy(() -> yaml.replace(yaml.select("copy").get(0), "z"))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("f.yml:1:10");
    assertThat(yaml.text()).isEqualTo("base: &v y\ncopy: *v\n");
  }

  @Test
  void leavesTheTextAloneWhenTheValueIsTheSame() {
    YamlEditor yaml = YamlEditor.parse("f.yml", "a: b\n");

    assertThat(yaml.replace(yaml.select("a").get(0), "b")).isFalse();
    assertThat(yaml.isChanged()).isFalse();
    assertThat(yaml.text()).isEqualTo("a: b\n");
  }

  @Test
  void refusesToReplaceBlockScalars() {
    YamlEditor yaml = YamlEditor.parse("f.yml", "run: |\n  echo hi\n");

    assertThatThrownBy(() -> yaml.replace(yaml.select("run").get(0), "echo bye"))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("f.yml:1:6")
        .hasMessageContaining("block scalar");
  }

  @Test
  void namesFileLineAndColumnOfASyntaxError() {
    assertThatThrownBy(() -> YamlEditor.parse("ci.yml", "a: b\nc: [unclosed\nd: e\n"))
        .isInstanceOf(YamlEditException.class)
        .hasMessageStartingWith("ci.yml is not valid YAML at line");
  }

  @Test
  void refusesAliasBombs() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x]\n");
    for (int i = 0; i < 60; i++) {
      bomb.append("b").append(i).append(": [*a, *a]\n");
    }

    assertThatThrownBy(() -> YamlEditor.parse("bomb.yml", bomb.toString()))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("bomb.yml");
  }

  @Test
  void refusesTooDeepNesting() {
    String deep = "[".repeat(100) + "]".repeat(100);

    assertThatThrownBy(() -> YamlEditor.parse("deep.yml", deep))
        .isInstanceOf(YamlEditException.class)
        .hasMessageContaining("deep.yml");
  }

  @Test
  void refusesMalformedPaths() {
    YamlEditor yaml = YamlEditor.parse("f.yml", "a: b\n");

    assertThatThrownBy(() -> yaml.select("a..b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> yaml.select("a[x]")).isInstanceOf(IllegalArgumentException.class);
    assertThat(yaml.select("missing.key")).isEmpty();
  }

  @Test
  void anEmptyFileHasNoDocuments() {
    YamlEditor yaml = YamlEditor.parse("f.yml", "# only a comment\n");

    assertThat(yaml.documentCount()).isZero();
    assertThat(yaml.valuesOfKey("uses")).isEmpty();
  }
}
