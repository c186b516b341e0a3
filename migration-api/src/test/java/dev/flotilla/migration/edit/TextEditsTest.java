package dev.flotilla.migration.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextEditsTest {

  @Test
  void appliesEditsGivenInAnyOrderAgainstTheOriginalOffsets() {
    String text = "alpha beta gamma";

    String edited =
        TextEdits.apply(
            text,
            List.of(TextEdit.replace(11, 16, "GAMMA"), TextEdit.insert(0, ">> "), TextEdit.replace(6, 10, "b")));

    assertThat(edited).isEqualTo(">> alpha b GAMMA");
  }

  @Test
  void countsIdenticalEditsOnce() {
    TextEdit edit = TextEdit.replace(0, 1, "X");

    assertThat(TextEdits.apply("abc", List.of(edit, edit))).isEqualTo("Xbc");
  }

  @Test
  void refusesOverlappingEdits() {
    assertThatThrownBy(
            () -> TextEdits.apply("abcdef", List.of(TextEdit.replace(0, 3, "x"), TextEdit.replace(2, 4, "y"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overlaps");
  }

  @Test
  void refusesTwoDifferentInsertionsAtOneOffset() {
    assertThatThrownBy(
            () -> TextEdits.apply("abc", List.of(TextEdit.insert(1, "x"), TextEdit.insert(1, "y"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnEditPastTheEnd() {
    assertThatThrownBy(() -> TextEdits.apply("abc", List.of(TextEdit.replace(2, 5, "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("past the end");
  }

  @Test
  void leavesTextAloneWithoutEdits() {
    assertThat(TextEdits.apply("a\r\nb", List.of())).isEqualTo("a\r\nb");
  }
}
