package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers GraphQL opt-in queries the way GitHub does: one {@code rN} entry per aliased repository,
 * the blob or null for the opt-in file and for each aliased file, and the rule on the default branch. {@code files} says what each repository holds.
 */
final class GraphQlFleet implements ResponseDefinitionTransformerV2 {

  static final String NAME = "graphql-fleet";
  private static final Pattern ALIAS =
      Pattern.compile("(r\\d+): repository\\(owner: \"([^\"]+)\", name: \"([^\"]+)\"\\)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each aliased file a query asks every repository for: {@code ownerFile0: object(expression: "HEAD:path")}. */
  private static final Pattern ALIASED_FILE = Pattern.compile("(\\w+): object\\(expression: \"HEAD:([^\"]+)\"\\)");

  /**
   * What one repository holds: its opt-in file (or null), its required checks, and its other files by
   * path (answered to aliased {@code object} fields).
   */
  record Holding(String optIn, List<String> requiredChecks, Map<String, String> files) {
    Holding(String optIn, List<String> requiredChecks) {
      this(optIn, requiredChecks, Map.of());
    }
  }

  private volatile Function<String, Holding> files;

  GraphQlFleet(Function<String, Holding> files) {
    this.files = files;
  }

  void answer(Function<String, Holding> files) {
    this.files = files;
  }

  @Override
  public ResponseDefinition transform(ServeEvent serveEvent) {
    try {
      JsonNode request = JSON.readTree(serveEvent.getRequest().getBodyAsString());
      String query = request.path("query").asText();
      Map<String, String> aliasedFiles = new LinkedHashMap<>();
      Matcher f = ALIASED_FILE.matcher(query);
      while (f.find()) {
        aliasedFiles.put(f.group(1), f.group(2));
      }
      Matcher m = ALIAS.matcher(query);
      ObjectNode data = JSON.createObjectNode();
      while (m.find()) {
        Holding holding = files.apply(m.group(2) + "/" + m.group(3));
        ObjectNode repo = data.putObject(m.group(1));
        if (holding.optIn() == null) {
          repo.putNull("object");
        } else {
          repo.putObject("object")
              .put("text", holding.optIn())
              .put("oid", Integer.toHexString(holding.optIn().hashCode()))
              .put("byteSize", holding.optIn().length())
              .put("isBinary", false);
        }
        aliasedFiles.forEach((alias, path) -> {
          String text = holding.files().get(path);
          if (text == null) {
            repo.putNull(alias);
          } else {
            repo.putObject(alias).put("text", text).put("isBinary", false).put("isTruncated", false);
          }
        });
        ObjectNode rule = repo.putObject("defaultBranchRef").putObject("refUpdateRule");
        holding.requiredChecks().forEach(rule.putArray("requiredStatusCheckContexts")::add);
      }
      ObjectNode body = JSON.createObjectNode();
      body.set("data", data);
      // WireMock's standalone jar shades Jackson, so the body goes over as text.
      return new ResponseDefinitionBuilder()
          .withStatus(200)
          .withHeader("Content-Type", "application/json; charset=utf-8")
          .withHeader("X-RateLimit-Limit", "5000")
          .withHeader("X-RateLimit-Remaining", "4990")
          .withHeader("X-RateLimit-Resource", "graphql")
          .withBody(JSON.writeValueAsString(body))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  @Override
  public String getName() {
    return NAME;
  }
}
