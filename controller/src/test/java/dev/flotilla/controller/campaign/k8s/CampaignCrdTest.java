package dev.flotilla.controller.campaign.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.flotilla.controller.config.CampaignParser;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.migration.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generated CRD: committed as generated, one schema with the file format, and it validates. */
class CampaignCrdTest {

  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/" + CampaignResource.CRD_NAME + "-v1.yml");
  private static final Path COMMITTED = Path.of("../k8s/base/campaign-crd.yaml");
  private static final Path EXAMPLE = Path.of("../k8s/examples/campaign.yaml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void committedCrdIsTheGeneratedOne() throws IOException {
    assertThat(Files.readString(COMMITTED))
        .as("k8s/base/campaign-crd.yaml is stale: copy controller/%s over it", GENERATED)
        .isEqualTo(Files.readString(GENERATED));
  }

  @Test
  void specSchemaHasTheKeysOfTheCampaignFile() throws IOException {
    JsonNode spec = schema().path("properties").path("spec").path("properties");

    assertThat(fieldNames(spec)).containsExactlyInAnyOrderElementsOf(CampaignParser.SPEC_KEYS);
    assertThat(fieldNames(spec.path("rollout").path("properties"))).containsExactlyInAnyOrderElementsOf(CampaignParser.ROLLOUT_KEYS);
    assertThat(fieldNames(spec.path("limits").path("properties"))).containsExactlyInAnyOrderElementsOf(CampaignParser.LIMITS_KEYS);
    assertThat(fieldNames(spec.path("verifiers").path("items").path("properties"))).containsExactlyInAnyOrderElementsOf(CampaignParser.VERIFIER_KEYS);
    assertThat(fieldNames(spec.path("postMerge").path("properties"))).containsExactlyInAnyOrderElementsOf(CampaignParser.POST_MERGE_KEYS);
    assertThat(fieldNames(spec.path("cancelPolicy").path("enum").elements()))
        .containsExactlyInAnyOrder(CampaignSpec.CancelPolicy.KEEP_PULL_REQUESTS.written(), CampaignSpec.CancelPolicy.CLOSE_PULL_REQUESTS.written());
  }

  @Test
  void printerColumnsShowProgressAtAGlance() throws IOException {
    JsonNode columns = YAML.readTree(GENERATED.toFile()).path("spec").path("versions").get(0).path("additionalPrinterColumns");
    List<String> shown = new ArrayList<>();
    columns.forEach(c -> shown.add(c.path("name").asText() + "=" + c.path("jsonPath").asText()));

    assertThat(shown).containsExactlyInAnyOrder(
        "Migration=.spec.migration", "Phase=.status.phase", "Merged=.status.progress", "Open=.status.open",
        "Failed=.status.failed", "Age=.metadata.creationTimestamp");
    assertThat(YAML.readTree(GENERATED.toFile()).path("spec").path("versions").get(0).path("subresources").has("status")).isTrue();
  }

  @Test
  void exampleIsValidForTheSchemaAndTheFileParser() throws IOException {
    assertThat(errors(YAML.readTree(EXAMPLE.toFile()))).isEmpty();

    CampaignSpec spec = CampaignParser.parse(Files.readString(EXAMPLE), EXAMPLE.toString(), Migrations.load());
    assertThat(spec.cancelPolicy()).isEqualTo(CampaignSpec.CancelPolicy.CLOSE_PULL_REQUESTS);
    assertThat(spec.paused()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no migration          | migration: null                   | /spec                           | required property",
      "unknown cancel policy | cancelPolicy: burnIt              | /spec/cancelPolicy              | enumeration",
      "no concurrent runs    | limits: {concurrentRuns: 0}       | /spec/limits/concurrentRuns     | minimum value",
      "wave written as word  | rollout: {waves: [five]}          | /spec/rollout/waves/0           | regex pattern",
      "halt rate above one   | rollout: {haltOnFailureRate: 1.5} | /spec/rollout/haltOnFailureRate | maximum value",
      "paused as a string    | paused: \"yes\"                   | /spec/paused                    | boolean"
  })
  void schemaRejectsBrokenCampaigns(String what, String change, String location, String problem) throws IOException {
    JsonNode example = YAML.readTree(EXAMPLE.toFile());
    @SuppressWarnings("unchecked")
    Map<String, Object> override = YAML.readValue(change, Map.class);
    var spec = (com.fasterxml.jackson.databind.node.ObjectNode) example.path("spec");
    override.forEach((key, value) -> {
      if (value == null) {
        spec.remove(key);
      } else {
        spec.set(key, YAML.valueToTree(value));
      }
    });

    assertThat(errors(example)).as(what).singleElement()
        .satisfies(e -> assertThat(e).startsWith(location + ": ").contains(problem));
  }

  private static List<String> errors(JsonNode campaign) throws IOException {
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema());
    return schema.validate(campaign).stream().map(CampaignCrdTest::describe).toList();
  }

  private static String describe(Error error) {
    return error.getInstanceLocation() + ": " + error.getMessage();
  }

  private static JsonNode schema() throws IOException {
    return YAML.readTree(GENERATED.toFile()).path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> fieldNames(java.util.Iterator<JsonNode> values) {
    List<String> names = new ArrayList<>();
    values.forEachRemaining(v -> names.add(v.asText()));
    return names;
  }
}
