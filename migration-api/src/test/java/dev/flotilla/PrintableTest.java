package dev.flotilla;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void escapesEveryControlCharacter() {
    String hostile = "a\nb\rc\td\u001B[31me\u0000f\u007Fg\u0085h\u009Bi\u2028j\u2029k\u202El\u2066m\u200Fn";

    assertThat(Printable.escape(hostile))
        .isEqualTo(
            "a\\nb\\rc\\td\\u001B[31me\\u0000f\\u007Fg\\u0085h\\u009Bi\\u2028j\\u2029k\\u202El\\u2066m\\u200Fn");
  }

  @Test
  void keepsPrintableTextAndPairedSurrogatesAsTheyAre() {
    String text = "ünïcødé 名前 🚀 C:\\path 'quoted' \"double\"";

    assertThat(Printable.escape(text)).isSameAs(text);
  }

  @Test
  void escapesAnUnpairedSurrogate() {
    assertThat(Printable.escape("x\uD800y\uDC00")).isEqualTo("x\\uD800y\\uDC00");
  }
}
