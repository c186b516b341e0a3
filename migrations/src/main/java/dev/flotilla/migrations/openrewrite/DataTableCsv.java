package dev.flotilla.migrations.openrewrite;

import dev.flotilla.migration.Workspace;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.openrewrite.Column;
import org.openrewrite.DataTable;
import org.openrewrite.DataTableStore;
import org.openrewrite.table.RecipeRunStats;

/**
 * Writes the rows a recipe put in its data tables as CSV, one table per name (and group), and
 * attaches them to the run. A row's columns are its type's {@link Column} fields, in declaration
 * order, headed by their display names. {@link RecipeRunStats} is left out: it times the recipe
 * itself, not the repository.
 */
final class DataTableCsv {

  /** A table larger than this is cut after its last whole row that fits, and says so in a last row. */
  static final int MAX_CHARS = 1024 * 1024;

  private DataTableCsv() {}

  static void attachAll(DataTableStore store, Workspace workspace) {
    for (DataTable<?> table : store.getDataTables()) {
      if (table.getName().equals(RecipeRunStats.class.getName())) {
        continue;
      }
      List<?> rows = store.getRows(table.getName(), table.getGroup()).toList();
      if (rows.isEmpty()) {
        continue;
      }
      String name = table.getGroup() == null ? table.getName() : table.getName() + "-" + table.getGroup();
      workspace.attachDataTable(name.replaceAll("[^A-Za-z0-9._-]", "_"), csv(table.getType(), rows));
    }
  }

  static String csv(Class<?> type, List<?> rows) {
    List<Field> columns = columns(type);
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>();
    for (Field column : columns) {
      Column annotation = column.getAnnotation(Column.class);
      header.add(annotation.displayName().isBlank() ? column.getName() : annotation.displayName());
    }
    line(out, header);
    int written = 0;
    for (Iterator<?> it = rows.iterator(); it.hasNext(); written++) {
      Object row = it.next();
      List<String> values = new ArrayList<>();
      for (Field column : columns) {
        values.add(value(column, row));
      }
      StringBuilder next = new StringBuilder();
      line(next, values);
      if (out.length() + next.length() > MAX_CHARS) {
        List<String> note = new ArrayList<>();
        note.add("(cut: " + (rows.size() - written) + " of " + rows.size() + " rows left out to stay under " + MAX_CHARS + " characters)");
        while (note.size() < columns.size()) {
          note.add("");
        }
        line(out, note);
        break;
      }
      out.append(next);
    }
    return out.toString();
  }

  private static List<Field> columns(Class<?> type) {
    List<Field> columns = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers()) && field.isAnnotationPresent(Column.class)) {
        field.setAccessible(true);
        columns.add(field);
      }
    }
    return columns;
  }

  private static String value(Field column, Object row) {
    try {
      Object value = column.get(row);
      return value == null ? "" : value.toString();
    } catch (IllegalAccessException e) {
      return "";
    }
  }

  private static void line(StringBuilder out, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String value = values.get(i);
      if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
        out.append('"').append(value.replace("\"", "\"\"")).append('"');
      } else {
        out.append(value);
      }
    }
    out.append("\r\n");
  }
}
