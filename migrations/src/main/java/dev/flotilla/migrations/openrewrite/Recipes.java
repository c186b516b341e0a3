package dev.flotilla.migrations.openrewrite;

import dev.flotilla.migration.Validation;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.openrewrite.Recipe;
import org.openrewrite.Validated;
import org.openrewrite.config.ClasspathScanningLoader;
import org.openrewrite.config.CompositeRecipe;
import org.openrewrite.config.Environment;
import org.openrewrite.config.OptionDescriptor;
import org.openrewrite.config.YamlResourceLoader;
import org.openrewrite.internal.RecipeIntrospectionUtils;

/**
 * Finds a recipe by name and gives it its options, or says precisely why it cannot.
 *
 * <p>A recipe class is loaded directly from the class loader; only a name that is no class (a
 * declarative recipe in some jar's {@code META-INF/rewrite/*.yml}, or a typo) costs a scan of the
 * class loader, done once and kept. The class loader is the thread's context class loader, so
 * recipes in a team's own migration jars are found as well as the bundled ones.
 */
final class Recipes {

  static final String RECIPE = "recipe";
  static final String RECIPE_YAML = "recipeYaml";
  private static final URI INLINE = URI.create("campaign:recipeYaml");
  private static final int SUGGESTIONS = 5;
  private static final Map<ClassLoader, ClasspathScanningLoader> SCANNED = new ConcurrentHashMap<>();

  private final ClassLoader classLoader;

  private Recipes(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  static Recipes ofContext() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return new Recipes(context != null ? context : Recipes.class.getClassLoader());
  }

  /** A recipe ready to run, or every problem with the request. */
  record Lookup(Recipe recipe, Validation problems) {}

  /**
   * The recipe named {@code name} (or the one declared in {@code yaml}) with {@code options} set,
   * checked against the recipe's declared options: unknown ones, missing required ones, values of
   * the wrong type or outside the allowed values, and the recipe's own validation.
   */
  Lookup find(String name, String yaml, Map<String, Object> options) {
    Validation.Builder problems = Validation.builder();
    Recipe recipe = yaml == null ? byName(name, problems) : declared(name, yaml, problems);
    if (recipe == null) {
      return new Lookup(null, problems.build());
    }
    Map<OptionDescriptor, Object> typed = typedOptions(recipe, options, problems);
    if (!problems.build().isValid()) {
      return new Lookup(null, problems.build());
    }
    Recipe configured = recipe;
    if (!typed.isEmpty()) {
      Map<String, Object> byName = new LinkedHashMap<>();
      typed.forEach((option, value) -> byName.put(option.getName(), value));
      try {
        configured = recipe.withOptions(byName);
      } catch (RuntimeException e) {
        problems.problem(RECIPE, "cannot set the options of " + recipe.getName() + ": " + rootMessage(e));
        return new Lookup(null, problems.build());
      }
    }
    for (Validated.Invalid<Object> failure : configured.validate().failures()) {
      problems.problem(
          failure.getProperty() == null ? RECIPE : failure.getProperty(),
          failure.getMessage() + " (" + configured.getName() + ")");
    }
    Validation found = problems.build();
    return new Lookup(found.isValid() ? configured : null, found);
  }

  private Recipe byName(String name, Validation.Builder problems) {
    if (name == null || name.isBlank()) {
      problems.problem(RECIPE, "give a recipe's fully qualified name (such as org.openrewrite.maven.ChangePropertyValue) or a declarative recipe in " + RECIPE_YAML);
      return null;
    }
    Recipe recipe = recipeClass(name);
    if (recipe != null) {
      return recipe;
    }
    ClasspathScanningLoader scanned = scanned();
    try {
      return unwrap(new Environment(List.of(scanned)).activateRecipes(name));
    } catch (RuntimeException notFound) {
      List<String> near = suggestions(name, scanned.listRecipes());
      problems.problem(
          RECIPE,
          "no recipe '" + name + "' on the class path"
              + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?")
              + " Recipes outside the bundled Apache-2.0 modules come from the team's own migration jars.");
      return null;
    }
  }

  private Recipe recipeClass(String name) {
    Class<?> type;
    try {
      type = Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
    if (!Recipe.class.isAssignableFrom(type)) {
      return null;
    }
    return RecipeIntrospectionUtils.constructRecipe(type);
  }

  private Recipe declared(String name, String yaml, Validation.Builder problems) {
    Collection<Recipe> recipes;
    Environment environment;
    try {
      YamlResourceLoader inline =
          new YamlResourceLoader(
              new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
              INLINE,
              new Properties(),
              classLoader,
              List.of(scanned()));
      recipes = inline.listRecipes();
      environment = new Environment(List.of(inline), List.of(scanned()));
    } catch (RuntimeException e) {
      problems.problem(RECIPE_YAML, "is not a declarative recipe: " + rootMessage(e));
      return null;
    }
    List<String> names = recipes.stream().map(Recipe::getName).sorted().toList();
    if (names.isEmpty()) {
      problems.problem(RECIPE_YAML, "declares no recipe; it needs type: specs.openrewrite.org/v1beta/recipe, a name and a recipeList");
      return null;
    }
    String chosen = name;
    if (chosen == null || chosen.isBlank()) {
      if (names.size() > 1) {
        problems.problem(RECIPE, "is required to pick one of the recipes " + RECIPE_YAML + " declares: " + String.join(", ", names));
        return null;
      }
      chosen = names.get(0);
    } else if (!names.contains(chosen)) {
      problems.problem(RECIPE, "'" + chosen + "' is not declared in " + RECIPE_YAML + "; it declares " + String.join(", ", names));
      return null;
    }
    try {
      return unwrap(environment.activateRecipes(chosen));
    } catch (RuntimeException e) {
      problems.problem(RECIPE_YAML, "cannot be loaded: " + rootMessage(e));
      return null;
    }
  }

  /** activateRecipes may wrap the one recipe it found in a composite. */
  private static Recipe unwrap(Recipe activated) {
    return activated instanceof CompositeRecipe composite && composite.getRecipeList().size() == 1
        ? composite.getRecipeList().get(0)
        : activated;
  }

  private ClasspathScanningLoader scanned() {
    return SCANNED.computeIfAbsent(classLoader, loader -> new ClasspathScanningLoader(new Properties(), loader));
  }

  private static Map<OptionDescriptor, Object> typedOptions(
      Recipe recipe, Map<String, Object> given, Validation.Builder problems) {
    Map<String, OptionDescriptor> declared = new LinkedHashMap<>();
    recipe.getDescriptor().getOptions().forEach(o -> declared.put(o.getName(), o));
    Map<OptionDescriptor, Object> typed = new LinkedHashMap<>();
    given.forEach(
        (name, value) -> {
          OptionDescriptor option = declared.get(name);
          if (option == null) {
            problems.problem(
                name,
                "is not an option of " + recipe.getName() + "; its options are: "
                    + (declared.isEmpty() ? "(none)" : String.join(", ", declared.keySet())));
            return;
          }
          Object typedValue = OptionTypes.coerce(option.getType(), value);
          if (typedValue == null) {
            problems.problem(name, "must be " + OptionTypes.describe(option.getType()) + ", got '" + value + "'");
          } else if (option.getValid() != null
              && !option.getValid().isEmpty()
              && !option.getValid().contains(String.valueOf(typedValue))) {
            problems.problem(name, "must be one of " + String.join(", ", option.getValid()) + ", got '" + value + "'");
          } else {
            typed.put(option, typedValue);
          }
        });
    for (OptionDescriptor option : declared.values()) {
      if (option.isRequired() && !given.containsKey(option.getName())) {
        problems.problem(
            option.getName(),
            "is required by " + recipe.getName() + " (" + option.getDisplayName()
                + (option.getExample() == null ? "" : ", for example '" + option.getExample() + "'") + ")");
      }
    }
    return typed;
  }

  /** Same simple name first, then the closest full names. */
  private static List<String> suggestions(String name, Collection<Recipe> known) {
    String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    Set<String> names = known.stream().map(Recipe::getName).collect(Collectors.toSet());
    List<String> near = new ArrayList<>();
    names.stream()
        .filter(n -> n.substring(n.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).equals(simple))
        .sorted()
        .forEach(near::add);
    names.stream()
        .filter(n -> !near.contains(n))
        .map(n -> Map.entry(n, distance(n.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT))))
        .filter(e -> e.getValue() <= Math.max(3, name.length() / 8))
        .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .forEach(near::add);
    return near.stream().limit(SUGGESTIONS).toList();
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
