package dev.flotilla.migration;

import java.io.IOException;
import java.util.List;

/**
 * A change written once and applied to every opted-in repository.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.flotilla.migration.Migration}. A migration must be idempotent: a
 * second {@link #apply} on its own output changes nothing. It touches the repository only through
 * the {@link Workspace} it is given.
 *
 * <pre>{@code
 * public final class AddEditorConfig implements Migration {
 *   public String id() { return "add-editorconfig"; }
 *   public String title() { return "Add .editorconfig"; }
 *   public String description() { return "Adds the shared `.editorconfig`."; }
 *   public Outcome apply(Workspace ws, Parameters p) throws IOException {
 *     if (ws.exists(".editorconfig")) return Outcome.unchanged();
 *     ws.write(".editorconfig", "root = true\n");
 *     return Outcome.changed("added .editorconfig");
 *   }
 * }
 * }</pre>
 */
public interface Migration {

  /** A stable, verb-noun identifier such as {@code github-actions-version}; never changes. */
  String id();

  /** One line, used as the pull request title and the commit message. */
  String title();

  /** Markdown: the pull request body and the text on the dashboard. */
  String description();

  /**
   * The parameters this migration takes. Flotilla checks every given parameter against these before
   * any repository is cloned: unknown names, missing required ones and wrong types are all reported
   * at once.
   */
  default List<ParameterSpec> parameters() {
    return List.of();
  }

  /**
   * Whether this migration takes parameters beyond {@link #parameters()}, whose names only it knows
   * (the options of a recipe it runs, say). When true, names not in {@link #parameters()} are not
   * reported as unknown by the generic check: {@link #validate} must check them, naming the valid
   * ones.
   */
  default boolean acceptsOtherParameters() {
    return false;
  }

  /**
   * Checks that go beyond names and types (a version that must parse, a pattern that must compile).
   * Called only after the parameters matched {@link #parameters()}; report every problem, not the
   * first.
   */
  default Validation validate(Parameters parameters) {
    return Validation.ok();
  }

  /**
   * Whether a run with these parameters may create or change a file under {@code
   * .github/workflows/}. GitHub refuses a push that touches a workflow unless the token carries the
   * {@code workflows} permission, and Flotilla asks for that permission only for runs that may need
   * it: return {@code true} whenever these parameters could lead to such an edit. Called with the
   * parameters already checked and their defaults filled in.
   *
   * <pre>{@code
   * public boolean editsWorkflows(Parameters p) {
   *   return p.string("path").startsWith(".github/workflows/");
   * }
   * }</pre>
   */
  default boolean editsWorkflows(Parameters parameters) {
    return false;
  }

  /** Edits the checked-out repository and says what happened. */
  Outcome apply(Workspace workspace, Parameters parameters) throws IOException;
}
