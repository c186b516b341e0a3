package dev.flotilla.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.migration.ParameterSpec.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {

  /** A migration that only declares parameters, to check them against. */
  private static final Migration SPECS =
      new Migration() {
        @Override
        public String id() {
          return "specs";
        }

        @Override
        public String title() {
          return "Specs";
        }

        @Override
        public String description() {
          return "";
        }

        @Override
        public List<ParameterSpec> parameters() {
          return List.of(
              ParameterSpec.required("name", Type.STRING, "what to call it", "x"),
              ParameterSpec.required("version", Type.STRING, "the version", "1.0"),
              ParameterSpec.optional("force", Type.BOOLEAN, false, "overwrite", "true"),
              ParameterSpec.optional("limit", Type.INTEGER, 10L, "how many", "3"),
              ParameterSpec.optional("tags", Type.STRING_LIST, List.of(), "labels", "[a, b]"));
        }

        @Override
        public Validation validate(Parameters p) {
          return p.string("name").equals("bad") ? Validation.of("name", "must not be 'bad'") : Validation.ok();
        }

        @Override
        public Outcome apply(Workspace workspace, Parameters parameters) {
          return Outcome.unchanged();
        }
      };

  @Test
  void readsTypedValuesFromYaml() {
    Parameters p = Parameters.fromYaml("name: x\nforce: true\nlimit: 3\ntags: [a, b]\n");

    assertThat(p.string("name")).isEqualTo("x");
    assertThat(p.bool("force", false)).isTrue();
    assertThat(p.integer("limit", 0)).isEqualTo(3);
    assertThat(p.stringList("tags")).containsExactly("a", "b");
  }

  @Test
  void keepsVersionLikeScalarsAsWritten() {
    Parameters p = Parameters.fromYaml("version: 2.10\ndate: 2024-01-02\nanswer: no\nhex: 0x1F\n");

    assertThat(p.string("version")).isEqualTo("2.10");
    assertThat(p.string("date")).isEqualTo("2024-01-02");
    assertThat(p.string("answer")).isEqualTo("no");
    assertThat(p.string("hex")).isEqualTo("0x1F");
  }

  @Test
  void namesLineAndColumnOfASyntaxError() {
    assertThatThrownBy(() -> Parameters.fromYaml("name: x\nversion: [1.0\nforce: true\n"))
        .isInstanceOf(InvalidParametersException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("column");
  }

  @Test
  void refusesADuplicateKey() {
    assertThatThrownBy(() -> Parameters.fromYaml("name: x\nname: y\n"))
        .isInstanceOf(InvalidParametersException.class)
        .hasMessageContaining("duplicate key name")
        .hasMessageContaining("line 2");
  }

  @Test
  void refusesATopLevelThatIsNotAMapping() {
    assertThatThrownBy(() -> Parameters.fromYaml("- a\n- b\n"))
        .isInstanceOf(InvalidParametersException.class)
        .hasMessageContaining("must be a mapping")
        .hasMessageContaining("a list");
  }

  @Test
  void readsEmptyYamlAsNoParameters() {
    assertThat(Parameters.fromYaml("")).isEqualTo(Parameters.empty());
  }

  @Test
  void reportsUnknownMissingAndWronglyTypedParametersAllAtOnce() {
    Parameters p = Parameters.of(Map.of("nmae", "x", "force", "maybe", "limit", "many", "tags", Map.of("a", 1)));

    Validation validation = p.check(SPECS);

    assertThat(validation.problems())
        .extracting(Validation.Problem::parameter)
        .containsExactlyInAnyOrder("nmae", "name", "version", "force", "limit", "tags");
    assertThat(validation.describe())
        .contains("nmae: unknown parameter for migration 'specs'; known parameters: name, version, force, limit, tags")
        .contains("name: is required (what to call it)")
        .contains("force: must be true or false, got 'maybe'")
        .contains("limit: must be a whole number, got 'many'")
        .contains("tags: must be a list of strings, got a mapping");
  }

  @Test
  void reportsANullInAListInsteadOfCrashing() {
    Parameters p = Parameters.fromYaml("name: x\nversion: '1'\ntags: [a, ~]\n");

    assertThat(p.check(SPECS).describe()).isEqualTo("tags: must be a list of strings, got a list");
  }

  @Test
  void runsTheMigrationsOwnValidationOnlyWhenTheShapeIsRight() {
    assertThat(Parameters.of(Map.of("name", "bad", "version", "1")).check(SPECS).describe())
        .isEqualTo("name: must not be 'bad'");
    assertThat(Parameters.of(Map.of("name", "bad")).check(SPECS).describe())
        .isEqualTo("version: is required (the version)");
  }

  @Test
  void coercesCommandLineStringsToBooleansAndIntegers() {
    Parameters p = Parameters.fromPairs(List.of("name=x", "version=1.0", "force=true", "limit=7", "tags=a, b"));

    assertThat(p.check(SPECS).isValid()).isTrue();
    Parameters typed = p.withDefaults(SPECS.parameters());
    assertThat(typed.asMap()).containsEntry("force", true).containsEntry("limit", 7L).containsEntry("tags", List.of("a", "b"));
    assertThat(p.bool("force", false)).isTrue();
    assertThat(p.integer("limit", 0)).isEqualTo(7);
  }

  @Test
  void fillsInDefaultsForWhatWasLeftOut() {
    Parameters typed = Parameters.of(Map.of("name", "x", "version", "1")).withDefaults(SPECS.parameters());

    assertThat(typed.bool("force", true)).isFalse();
    assertThat(typed.integer("limit", 0)).isEqualTo(10);
    assertThat(typed.stringList("tags")).isEmpty();
  }

  @Test
  void refusesAPairWithoutAnEqualsSign() {
    assertThatThrownBy(() -> Parameters.fromPairs(List.of("version")))
        .isInstanceOf(InvalidParametersException.class)
        .hasMessageContaining("'version' is not of the form key=value");
  }

  @Test
  void namesTheParameterWhenATypedGetterFails() {
    Parameters p = Parameters.of(Map.of("force", "perhaps"));

    assertThatThrownBy(() -> p.bool("force", false)).hasMessageContaining("'force' must be true or false");
    assertThatThrownBy(() -> p.string("missing")).hasMessageContaining("'missing' is required");
  }

  record Settings(String name, boolean force, long limit) {}

  @Test
  void bindsIntoARecord() {
    Settings settings = Parameters.fromYaml("name: x\nforce: true\nlimit: 3\nextra: ignored\n").bind(Settings.class);

    assertThat(settings).isEqualTo(new Settings("x", true, 3));
  }
}
