package dev.flotilla.controller.forge.github.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The response and webhook shapes the simulator answers with, each a copy of one of GitHub's own
 * examples: {@code github-sim/openapi-examples.json} holds examples of the REST OpenAPI description
 * (npm {@code @octokit/openapi} 23.0.2, {@code generated/api.github.com.json}), keyed by
 * {@code METHOD path status}; {@code github-sim/webhook-examples.json} holds payload examples (npm
 * {@code @octokit/webhooks-examples} 7.6.1), keyed by {@code event.action}. The simulator overwrites
 * the fields its state decides and leaves the rest as GitHub's example has them.
 */
final class Templates {

  static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode rest;
  private final JsonNode webhooks;

  Templates() {
    this.rest = load("/github-sim/openapi-examples.json");
    this.webhooks = load("/github-sim/webhook-examples.json");
  }

  /** A fresh copy of the example of {@code operation}, such as {@code GET /repos/{owner}/{repo}/pulls/{pull_number} 200}. */
  ObjectNode rest(String operation) {
    return (ObjectNode) copy(rest, operation);
  }

  /** The first item of a list example. */
  ObjectNode restItem(String operation) {
    return (ObjectNode) copy(rest, operation).get(0);
  }

  /** A fresh copy of a webhook payload example, such as {@code pull_request.opened} or {@code push}. */
  ObjectNode webhook(String eventAndAction) {
    return (ObjectNode) copy(webhooks, eventAndAction);
  }

  private static JsonNode copy(JsonNode from, String key) {
    JsonNode found = from.get(key);
    if (found == null) {
      throw new IllegalArgumentException("no example " + key + " among the simulator's templates");
    }
    return found.deepCopy();
  }

  private static JsonNode load(String resource) {
    try (InputStream in = Templates.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the test resources");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
