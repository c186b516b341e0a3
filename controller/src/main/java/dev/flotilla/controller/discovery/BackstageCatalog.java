package dev.flotilla.controller.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.FlotillaException;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.discovery.OwnerSources.CatalogAnswer;
import dev.flotilla.controller.model.Teams;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Asks a Backstage catalog which team owns each repository: {@code GET
 * /api/catalog/entities/by-query} for every entity carrying the repository annotation (by default
 * {@code github.com/project-slug: owner/name}), page by page with {@code cursor}, reading {@code
 * spec.owner}. The response is Backstage's {@code QueryEntitiesResponse}: {@code {items, totalItems,
 * pageInfo: {nextCursor}}} (https://backstage.io/docs/reference/catalog-client.queryentitiesresponse/).
 * A token is sent as {@code Authorization: Bearer}, as Backstage's static external access tokens
 * expect; it never appears in a log line or an exception.
 */
public final class BackstageCatalog {

  static final String PATH = "/api/catalog/entities/by-query";
  static final int PAGE_SIZE = 500;
  /** A catalog that keeps answering with a next page is broken; stop rather than loop for ever. */
  static final int MAX_PAGES = 1000;

  private final URI base;
  private final Secret token;
  private final String annotation;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public BackstageCatalog(URI base, Secret token, String annotation) {
    this.base = base;
    this.token = token;
    this.annotation = annotation;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Thrown when the catalog cannot give a whole answer; the message names the URL and status, never the token. */
  public static final class CatalogUnreachable extends FlotillaException {
    CatalogUnreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Every annotated entity's owner, read to the last page; a failure on any page fails the whole answer. */
  CatalogAnswer owners() {
    Map<String, String> owners = new HashMap<>();
    String cursor = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonNode body = get(cursor == null ? firstPage() : "cursor=" + encode(cursor) + "&limit=" + PAGE_SIZE);
      for (JsonNode entity : body.path("items")) {
        String slug = entity.path("metadata").path("annotations").path(annotation).asText("").trim();
        String owner = entity.path("spec").path("owner").asText("").trim();
        if (!slug.isEmpty() && !owner.isEmpty()) {
          owners.putIfAbsent(slug.toLowerCase(Locale.ROOT), Teams.normalise(owner));
        }
      }
      cursor = body.path("pageInfo").path("nextCursor").asText(null);
      if (cursor == null || cursor.isEmpty()) {
        return new CatalogAnswer(owners);
      }
    }
    throw new CatalogUnreachable("the Backstage catalog at " + base + " gave more than " + MAX_PAGES
        + " pages; check its pagination", null);
  }

  private String firstPage() {
    // A filter on a key alone matches every entity that has the key.
    return "filter=" + encode("metadata.annotations." + annotation)
        + "&fields=" + encode("metadata.annotations,spec.owner")
        + "&limit=" + PAGE_SIZE;
  }

  private JsonNode get(String query) {
    URI uri = URI.create(base.toString().replaceAll("/+$", "") + PATH + "?" + query);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token.reveal());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CatalogUnreachable("cannot reach the Backstage catalog at " + base + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CatalogUnreachable("interrupted while asking the Backstage catalog at " + base, e);
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new CatalogUnreachable("the Backstage catalog at " + base + " refused the token (HTTP " + response.statusCode()
          + "); set FLOTILLA_BACKSTAGE_TOKEN to a static token from backend.auth.externalAccess", null);
    }
    if (response.statusCode() != 200) {
      throw new CatalogUnreachable("the Backstage catalog at " + base + " answered HTTP " + response.statusCode(), null);
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new CatalogUnreachable("the Backstage catalog at " + base + " answered with something that is not JSON", e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Backstage catalog at " + base;
  }
}
