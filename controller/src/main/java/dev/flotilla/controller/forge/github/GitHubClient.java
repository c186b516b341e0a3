package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kohsuke.github.connector.GitHubConnectorRequest;

/**
 * Plain requests to the GitHub REST and GraphQL APIs, for what hub4j has no call for (or only one
 * that costs extra round trips). They go through the same {@link MeteredConnector} as hub4j's own,
 * so they are counted, rate limited and retried in one place.
 */
final class GitHubClient {

  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

  /** An answer: the status, the parsed body, and the headers pagination and caching need. */
  record Response(int status, JsonNode body, String link, String etag, int attempts) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    Optional<String> next() {
      if (link == null) {
        return Optional.empty();
      }
      Matcher m = NEXT_LINK.matcher(link);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** GitHub's message with the messages of its {@code errors} list, for exceptions and reasons. */
    String message() {
      return GitHubClient.message(body);
    }
  }

  /** One request. Its authorization header is never printed. */
  static final class Request {
    final String method;
    final String endpoint;
    final String target;
    JsonNode body;
    String authorization;
    final Map<String, String> headers = new LinkedHashMap<>();

    private Request(String method, String endpoint, String target) {
      this.method = method;
      this.endpoint = endpoint;
      this.target = target;
    }

    /** {@code endpoint} is the method and path template, for messages; {@code target} a path or a full URL. */
    static Request get(String endpoint, String target) {
      return new Request("GET", endpoint, target);
    }

    static Request post(String endpoint, String target, JsonNode body) {
      return new Request("POST", endpoint, target).body(body);
    }

    static Request put(String endpoint, String target, JsonNode body) {
      return new Request("PUT", endpoint, target).body(body);
    }

    static Request patch(String endpoint, String target, JsonNode body) {
      return new Request("PATCH", endpoint, target).body(body);
    }

    static Request delete(String endpoint, String target) {
      return new Request("DELETE", endpoint, target);
    }

    Request body(JsonNode value) {
      this.body = value;
      return this;
    }

    Request auth(String headerValue) {
      this.authorization = headerValue;
      return this;
    }

    Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    @Override
    public String toString() {
      return endpoint;
    }
  }

  /** A plain request as hub4j's connector takes it, with the headers GitHub asks clients to send. */
  private static final class PlainRequest implements GitHubConnectorRequest {
    private final String method;
    private final URL url;
    private final byte[] body;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    PlainRequest(Request request, URI url, ObjectMapper json) {
      this.method = request.method;
      try {
        this.url = url.toURL();
      } catch (MalformedURLException e) {
        throw new GitHubException(request.endpoint + " has no valid URL", -1, e);
      }
      this.body = request.body == null ? null : request.body.toString().getBytes(StandardCharsets.UTF_8);
      headers.put("Accept", List.of("application/vnd.github+json"));
      headers.put("X-GitHub-Api-Version", List.of("2022-11-28"));
      headers.put("User-Agent", List.of("flotilla"));
      if (request.authorization != null) {
        headers.put("Authorization", List.of(request.authorization));
      }
      request.headers.forEach((name, value) -> headers.put(name, List.of(value)));
      if (body != null) {
        headers.put("Content-Type", List.of("application/json"));
      }
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public Map<String, List<String>> allHeaders() {
      return headers;
    }

    @Override
    public String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String contentType() {
      return header("Content-Type");
    }

    @Override
    public InputStream body() {
      return body == null ? null : new ByteArrayInputStream(body);
    }

    @Override
    public URL url() {
      return url;
    }

    @Override
    public boolean hasBody() {
      return body != null;
    }

    @Override
    public String toString() {
      // The authorization header stays out of anything printed.
      return method + " " + url.getPath();
    }
  }

  private final MeteredConnector connector;
  private final URI base;
  private final ObjectMapper json;

  GitHubClient(MeteredConnector connector, URI base, ObjectMapper json) {
    this.connector = connector;
    this.base = base;
    this.json = json;
  }

  ObjectMapper json() {
    return json;
  }

  /**
   * Sends the request through the connector, which retries what is safe to retry and waits out rate
   * limits. Returns every other answer, 4xx included, for the caller to judge.
   */
  Response send(Request request) {
    MeteredConnector.Exchange exchange = connector.exchange(new PlainRequest(request, url(request.target), json));
    MeteredConnector.Buffered raw = exchange.response();
    return new Response(raw.statusCode(), parse(raw.text()), raw.header("Link"), raw.header("ETag"), exchange.attempts());
  }

  /**
   * A GET that carries the ETag of its last answer; a 304 (free of rate budget) returns that answer
   * again, with status 304 so the caller knows nothing changed.
   */
  Response sendConditional(Request request, EtagCache cache) {
    String key = url(request.target).toString();
    Optional<EtagCache.Entry> known = cache.get(key);
    known.ifPresent(entry -> request.header("If-None-Match", entry.etag()));
    Response response = send(request);
    if (response.status() == 304 && known.isPresent()) {
      return new Response(304, parse(known.get().body()), known.get().link(), known.get().etag(), response.attempts());
    }
    if (response.ok() && response.etag() != null) {
      cache.put(key, new EtagCache.Entry(response.etag(), response.body().toString(), response.link()));
    }
    return response;
  }

  /** Every item of a paginated list, following {@code Link: rel="next"} to the last page. */
  List<JsonNode> getAll(String endpoint, String target, String authorization, String arrayField) {
    List<JsonNode> items = new ArrayList<>();
    String next = target;
    while (next != null) {
      Response page = send(Request.get(endpoint, next).auth(authorization));
      requireOk(page, endpoint);
      JsonNode array = arrayField == null ? page.body() : page.body().path(arrayField);
      array.forEach(items::add);
      next = page.next().orElse(null);
    }
    return items;
  }

  static void requireOk(Response response, String what) {
    if (!response.ok()) {
      throw new GitHubException(what + " failed with " + response.status() + ": " + response.message(), response.status());
    }
  }

  /** Paths resolve against the API root; full URLs (pagination links) are checked by the connector. */
  private URI url(String target) {
    return target.startsWith("http://") || target.startsWith("https://") ? URI.create(target) : URI.create(base + target);
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      // Proxies in front of GitHub Enterprise answer with HTML; keep a little of it for the message.
      return TextNode.valueOf(body.substring(0, Math.min(200, body.length())));
    }
  }

  /** GitHub's message with the messages of its {@code errors} list. */
  static String message(JsonNode body) {
    StringBuilder text = new StringBuilder(body.path("message").asText(body.isTextual() ? body.asText() : ""));
    for (JsonNode error : body.path("errors")) {
      String detail = error.isTextual() ? error.asText() : error.path("message").asText("");
      if (!detail.isEmpty()) {
        text.append(text.length() == 0 ? "" : ": ").append(detail);
      }
    }
    return text.toString();
  }
}
