package dev.flotilla.migrations.openrewrite;

import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.openrewrite.DataTable;
import org.openrewrite.ExecutionContext;
import org.openrewrite.InMemoryExecutionContext;
import org.openrewrite.Recipe;
import org.openrewrite.RecipeRun;
import org.openrewrite.Result;
import org.openrewrite.SourceFile;
import org.openrewrite.internal.InMemoryLargeSourceSet;

/**
 * Runs one recipe over one repository and writes its results back through the {@link Workspace}
 * with OpenRewrite's own printing, so everything a recipe did not touch stays byte for byte.
 */
final class RecipeRunner {

  private final RewriteSettings settings;

  RecipeRunner(RewriteSettings settings) {
    this.settings = settings;
  }

  Outcome run(Recipe recipe, Workspace workspace) throws IOException {
    List<Throwable> errors = new ArrayList<>();
    ExecutionContext ctx = new InMemoryExecutionContext(errors::add);
    RepositorySources.Parsed parsed = new RepositorySources(settings).parse(workspace, ctx);
    if (parsed.sources().isEmpty()) {
      return Outcome.notApplicable("no file OpenRewrite can read");
    }
    RecipeRun run = recipe.run(new InMemoryLargeSourceSet(parsed.sources()), ctx);
    List<String> written = new ArrayList<>();
    for (Result result : run.getChangeset().getAllResults()) {
      written.add(write(result, workspace));
    }
    DataTableCsv.attachAll(run.getDataTableStore(), workspace);
    List<String> notes = new ArrayList<>(parsed.notes());
    notes.addAll(dataTables(run));
    if (!errors.isEmpty()) {
      notes.add(errors.size() + " recipe errors, first: " + Recipes.rootMessage(errors.get(0)));
    }
    String noteText = String.join("; ", notes);
    if (written.isEmpty()) {
      // Nothing changed while part of the repository was unreadable: a person should know.
      return noteText.isEmpty() ? Outcome.unchanged() : Outcome.unchanged(recipe.getName() + " changed nothing; " + noteText);
    }
    String summary = recipe.getName() + " changed " + written.size() + (written.size() == 1 ? " file" : " files");
    return Outcome.changed(noteText.isEmpty() ? summary : summary + "; " + noteText);
  }

  /** One result: a new file, a deletion, a move or an edit. */
  private static String write(Result result, Workspace workspace) throws IOException {
    SourceFile before = result.getBefore();
    SourceFile after = result.getAfter();
    if (after == null) {
      String path = path(before.getSourcePath());
      workspace.delete(path);
      return path;
    }
    String path = path(after.getSourcePath());
    if (before != null && !before.getSourcePath().equals(after.getSourcePath())) {
      workspace.delete(path(before.getSourcePath()));
    }
    workspace.write(path, after.printAll());
    return path;
  }

  private static List<String> dataTables(RecipeRun run) {
    TreeMap<String, Long> rows = new TreeMap<>();
    for (DataTable<?> table : run.getDataTableStore().getDataTables()) {
      long count = run.getDataTableStore().getRows(table.getName(), table.getGroup()).count();
      if (count > 0 && !table.getName().startsWith("org.openrewrite.table.")) {
        rows.merge(table.getDisplayName(), count, Long::sum);
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> parts = new ArrayList<>();
    rows.forEach((name, count) -> parts.add(name + " (" + count + " rows)"));
    return List.of("data tables: " + String.join(", ", parts));
  }

  private static String path(Path sourcePath) {
    return sourcePath.toString().replace('\\', '/');
  }
}
