package dev.flotilla.migrations.openrewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openrewrite.Column;

class DataTableCsvTest {

  static final class Row {
    @Column(displayName = "Path", description = "where")
    final String path;

    @Column(displayName = "Note", description = "what")
    final String note;

    Row(String path, String note) {
      this.path = path;
      this.note = note;
    }
  }

  @Test
  void quotesValuesWithCommasQuotesAndLineBreaks() {
    String csv = DataTableCsv.csv(Row.class, List.of(new Row("a.txt", "say \"hi\", then\nleave"), new Row("b.txt", null)));

    assertThat(csv).isEqualTo("Path,Note\r\na.txt,\"say \"\"hi\"\", then\nleave\"\r\nb.txt,\r\n");
  }

  @Test
  void cutsATooLargeTableAfterItsLastWholeRowAndSaysSo() {
    String big = "x".repeat(DataTableCsv.MAX_CHARS / 3);
    String csv = DataTableCsv.csv(Row.class, List.of(new Row("1", big), new Row("2", big), new Row("3", big), new Row("4", big)));

    assertThat(csv.length()).isLessThanOrEqualTo(DataTableCsv.MAX_CHARS + 200);
    assertThat(csv.lines().toList()).hasSize(4);
    assertThat(csv).endsWith("(cut: 2 of 4 rows left out to stay under " + DataTableCsv.MAX_CHARS + " characters),\r\n");
  }
}
