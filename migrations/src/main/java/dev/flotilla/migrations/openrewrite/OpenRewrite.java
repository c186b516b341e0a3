package dev.flotilla.migrations.openrewrite;

import dev.flotilla.migration.Migration;
import dev.flotilla.migration.Outcome;
import dev.flotilla.migration.ParameterSpec;
import dev.flotilla.migration.ParameterSpec.Type;
import dev.flotilla.migration.Parameters;
import dev.flotilla.migration.Validation;
import dev.flotilla.migration.Workspace;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an OpenRewrite recipe: one on the class path by its fully qualified name, with its options
 * as the other parameters, or a declarative recipe written inline in the campaign.
 *
 * <p>OpenRewrite is loaded only when this migration validates or runs, so a runner that runs
 * another migration pays nothing for it.
 */
public final class OpenRewrite implements Migration {

  private final RewriteSettings settings;

  /** Settings from the runner's environment (see docs/migrations/openrewrite.md). */
  public OpenRewrite() {
    this(RewriteSettings.from(System.getenv()));
  }

  OpenRewrite(RewriteSettings settings) {
    this.settings = settings;
  }

  @Override
  public String id() {
    return "openrewrite";
  }

  @Override
  public String title() {
    return "Apply an OpenRewrite recipe";
  }

  @Override
  public String description() {
    return """
        Runs an [OpenRewrite](https://docs.openrewrite.org) recipe and commits what it changed, \
        printed by OpenRewrite itself so formatting, comments and line endings of everything the \
        recipe did not touch stay as they were.

        - `recipe` is the recipe's fully qualified name; every other parameter is one of its options \
          by the option's own name.
        - `recipeYaml` is a declarative recipe written inline instead (`recipe` then picks one when \
          it declares several).
        - Java is parsed with the types of the dependencies the repository's poms declare; when \
          some cannot be resolved the run says how many.
        """;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(
        ParameterSpec.optional(
            Recipes.RECIPE,
            Type.STRING,
            null,
            "the recipe's fully qualified name; its options are the other parameters",
            "org.openrewrite.maven.ChangePropertyValue"),
        ParameterSpec.optional(
            Recipes.RECIPE_YAML,
            Type.STRING,
            null,
            "a declarative recipe (type: specs.openrewrite.org/v1beta/recipe) instead of a name",
            "type: specs.openrewrite.org/v1beta/recipe\\nname: com.acme.Java21\\nrecipeList: ..."));
  }

  @Override
  public boolean acceptsOtherParameters() {
    return true;
  }

  @Override
  public Validation validate(Parameters parameters) {
    return find(parameters).problems();
  }

  @Override
  public Outcome apply(Workspace workspace, Parameters parameters) throws IOException {
    Recipes.Lookup lookup = find(parameters);
    lookup.problems().orThrow(id());
    return new RecipeRunner(settings).run(lookup.recipe(), workspace);
  }

  private static Recipes.Lookup find(Parameters parameters) {
    Map<String, Object> options = new LinkedHashMap<>(parameters.asMap());
    String recipe = (String) options.remove(Recipes.RECIPE);
    String yaml = (String) options.remove(Recipes.RECIPE_YAML);
    options.values().removeIf(v -> v == null);
    return Recipes.ofContext().find(recipe, yaml, options);
  }
}
