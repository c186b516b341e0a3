package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the GitHub REST and GraphQL APIs: the one place that counts calls, keeps to the
 * rate budget, waits out secondary rate limits and retries what is safe to retry. Requests that
 * change something and got no answer are not repeated here: the caller looks first.
 */
final class GitHubClient {

  private static final Logger LOG = LoggerFactory.getLogger(GitHubClient.class);
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
  private static final int MAX_ATTEMPTS = 5;
  private static final double SLOW_DOWN_BELOW = 0.05;
  private static final Duration SECONDARY_LIMIT_DEFAULT_WAIT = Duration.ofSeconds(60);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /** The rate budget GitHub last reported for one resource ({@code core}, {@code graphql}). */
  record Budget(int remaining, int limit, Instant reset) {}

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

  /** One request. Its authorization header is never printed. */
  static final class Request {
    final String method;
    final String endpoint;
    final String target;
    JsonNode body;
    String authorization;
    boolean idempotent;
    final Map<String, String> headers = new LinkedHashMap<>();

    private Request(String method, String endpoint, String target, boolean idempotent) {
      this.method = method;
      this.endpoint = endpoint;
      this.target = target;
      this.idempotent = idempotent;
    }

    /** {@code endpoint} is the method and path template, for counting; {@code target} a path or a full URL. */
    static Request get(String endpoint, String target) {
      return new Request("GET", endpoint, target, true);
    }

    static Request post(String endpoint, String target, JsonNode body) {
      return new Request("POST", endpoint, target, false).body(body);
    }

    static Request put(String endpoint, String target, JsonNode body) {
      return new Request("PUT", endpoint, target, true).body(body);
    }

    static Request patch(String endpoint, String target, JsonNode body) {
      return new Request("PATCH", endpoint, target, true).body(body);
    }

    static Request delete(String endpoint, String target) {
      return new Request("DELETE", endpoint, target, true);
    }

    Request body(JsonNode value) {
      this.body = value;
      return this;
    }

    Request auth(String headerValue) {
      this.authorization = headerValue;
      return this;
    }

    /** Marks a POST whose repetition does no harm (adding labels, requesting reviewers, a query). */
    Request idempotent() {
      this.idempotent = true;
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

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;
  private final ApiCallCounter counter;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ObjectMapper json;
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

  GitHubClient(HttpClient http, URI base, Duration timeout, ApiCallCounter counter, Clock clock, Sleeper sleeper, ObjectMapper json) {
    this.http = http;
    this.base = base;
    this.timeout = timeout;
    this.counter = counter;
    this.clock = clock;
    this.sleeper = sleeper;
    this.json = json;
  }

  ObjectMapper json() {
    return json;
  }

  Optional<Budget> budget(String resource) {
    return Optional.ofNullable(budgets.get(resource));
  }

  /**
   * Sends the request, retrying 5xx answers and timeouts when it is idempotent and waiting out rate
   * limits. Returns every other answer, 4xx included, for the caller to judge.
   */
  Response send(Request request) {
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      keepToBudget(resourceOf(request));
      HttpResponse<String> raw;
      try {
        raw = http.send(build(request), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        counter.onCall(request.endpoint, -1);
        if (!request.idempotent || attempt >= MAX_ATTEMPTS) {
          throw new GitHubException(
              request.endpoint + " got no answer after " + attempt + " attempt(s): " + describe(e), -1, e);
        }
        LOG.warn("{} got no answer ({}); retrying in {}", request.endpoint, describe(e), backoff);
        pause(backoff);
        backoff = backoff.multipliedBy(2);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitHubException(request.endpoint + " was interrupted", -1, e);
      }
      counter.onCall(request.endpoint, raw.statusCode());
      noteBudget(raw.headers());
      Response response = response(raw, attempt);
      Optional<Duration> limited = rateLimitWait(raw, response);
      if (limited.isPresent()) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new GitHubException(
              request.endpoint + " is still rate limited after " + attempt + " attempts: " + response.message(), raw.statusCode());
        }
        LOG.warn("{} hit a GitHub rate limit ({}); waiting {}", request.endpoint, raw.statusCode(), limited.get());
        pause(limited.get());
        continue;
      }
      if (raw.statusCode() >= 500) {
        if (!request.idempotent || attempt >= MAX_ATTEMPTS) {
          throw new GitHubException(
              request.endpoint + " failed with " + raw.statusCode() + " after " + attempt + " attempt(s): " + response.message(),
              raw.statusCode());
        }
        LOG.warn("{} failed with {}; retrying in {}", request.endpoint, raw.statusCode(), backoff);
        pause(backoff);
        backoff = backoff.multipliedBy(2);
        continue;
      }
      return response;
    }
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

  private HttpRequest build(Request request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(url(request.target))
            .timeout(timeout)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "flotilla");
    if (request.authorization != null) {
      builder.header("Authorization", request.authorization);
    }
    request.headers.forEach(builder::header);
    if (request.body != null) {
      builder.header("Content-Type", "application/json");
      builder.method(request.method, HttpRequest.BodyPublishers.ofString(request.body.toString()));
    } else {
      builder.method(request.method, HttpRequest.BodyPublishers.noBody());
    }
    return builder.build();
  }

  /** Paths resolve against the API root; full URLs (pagination links) must stay on its host. */
  private URI url(String target) {
    if (!target.startsWith("http://") && !target.startsWith("https://")) {
      return URI.create(base + target);
    }
    URI uri = URI.create(target);
    if (!uri.getHost().equalsIgnoreCase(base.getHost()) || uri.getPort() != base.getPort()) {
      // A credential must never follow a link to another host.
      throw new GitHubException("GitHub linked to " + uri.getHost() + ", outside " + base.getHost() + "; not following", -1);
    }
    return uri;
  }

  private Response response(HttpResponse<String> raw, int attempt) {
    HttpHeaders headers = raw.headers();
    return new Response(
        raw.statusCode(),
        parse(raw.body()),
        headers.firstValue("Link").orElse(null),
        headers.firstValue("ETag").orElse(null),
        attempt);
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

  private void noteBudget(HttpHeaders headers) {
    Optional<String> remaining = headers.firstValue("X-RateLimit-Remaining");
    if (remaining.isEmpty()) {
      return;
    }
    try {
      int left = Integer.parseInt(remaining.get().trim());
      int limit = headers.firstValue("X-RateLimit-Limit").map(v -> Integer.parseInt(v.trim())).orElse(5000);
      Instant reset =
          headers.firstValue("X-RateLimit-Reset")
              .map(v -> Instant.ofEpochSecond(Long.parseLong(v.trim())))
              .orElse(clock.instant().plus(Duration.ofHours(1)));
      String resource = headers.firstValue("X-RateLimit-Resource").orElse("core");
      budgets.put(resource, new Budget(left, limit, reset));
      counter.onRateLimit(resource, left, limit);
    } catch (NumberFormatException e) {
      LOG.debug("ignoring unreadable rate limit headers: {}", e.getMessage());
    }
  }

  /** How long to wait before sending this again, if GitHub said it was rate limited. */
  private Optional<Duration> rateLimitWait(HttpResponse<String> raw, Response response) {
    int status = raw.statusCode();
    if (status != 403 && status != 429) {
      return Optional.empty();
    }
    Optional<String> retryAfter = raw.headers().firstValue("Retry-After");
    if (retryAfter.isPresent()) {
      try {
        return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(retryAfter.get().trim()))));
      } catch (NumberFormatException e) {
        return Optional.of(SECONDARY_LIMIT_DEFAULT_WAIT);
      }
    }
    if (response.message().toLowerCase(Locale.ROOT).contains("secondary rate limit")) {
      return Optional.of(SECONDARY_LIMIT_DEFAULT_WAIT);
    }
    if (raw.headers().firstValue("X-RateLimit-Remaining").map(String::trim).filter("0"::equals).isPresent()) {
      Instant reset =
          raw.headers().firstValue("X-RateLimit-Reset")
              .map(v -> Instant.ofEpochSecond(Long.parseLong(v.trim())))
              .orElse(clock.instant().plus(SECONDARY_LIMIT_DEFAULT_WAIT));
      return Optional.of(positive(Duration.between(clock.instant(), reset).plusSeconds(1)));
    }
    return Optional.empty();
  }

  /**
   * Below 5% of the budget, spreads the rest evenly until the reset; with none left, waits for the
   * reset. So a big scan slows down instead of failing every changeset at once.
   */
  private void keepToBudget(String resource) {
    Budget budget = budgets.get(resource);
    if (budget == null || budget.remaining() >= budget.limit() * SLOW_DOWN_BELOW) {
      return;
    }
    Duration untilReset = Duration.between(clock.instant(), budget.reset());
    if (untilReset.isNegative() || untilReset.isZero()) {
      return;
    }
    Duration wait = budget.remaining() <= 0 ? untilReset.plusSeconds(1) : untilReset.dividedBy(budget.remaining());
    LOG.info("{} of {} GitHub {} requests left until {}; waiting {}", budget.remaining(), budget.limit(), resource, budget.reset(), wait);
    pause(wait);
    if (budget.remaining() <= 0) {
      // The budget is new after the reset; the next answer reports it.
      budgets.remove(resource, budget);
    }
  }

  private static String resourceOf(Request request) {
    return request.endpoint.endsWith(" /graphql") ? "graphql" : "core";
  }

  private void pause(Duration duration) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitHubException("interrupted while waiting to call GitHub again", -1, e);
    }
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() || duration.isZero() ? Duration.ofSeconds(1) : duration;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
