package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import dev.flotilla.controller.forge.ForgeBusy;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way requests reach GitHub, for hub4j's typed calls and the plain ones alike: wraps
 * hub4j's JDK HttpClient connector, counts every request by endpoint, keeps to the rate budget,
 * waits out rate limits and retries what is safe to retry. A request that changes something and got
 * no clear answer is not repeated: it fails with a {@link GitHubException} whose outcome is unknown,
 * and the caller looks before sending it again. Failures are unchecked so hub4j passes them on as
 * they are instead of retrying them itself.
 */
final class MeteredConnector implements GitHubConnector {

  private static final Logger LOG = LoggerFactory.getLogger(MeteredConnector.class);
  private static final int MAX_ATTEMPTS = 5;
  private static final double SLOW_DOWN_BELOW = 0.05;
  private static final Duration SECONDARY_LIMIT_DEFAULT_WAIT = Duration.ofSeconds(60);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /** The rate budget GitHub last reported for one resource ({@code core}, {@code graphql}). */
  record Budget(int remaining, int limit, Instant reset) {}

  /** The final answer to a request and how many attempts it took: a refusal after a retry may be about the lost first attempt. */
  record Exchange(Buffered response, int attempts) {}

  private final GitHubConnector delegate;
  private final URI api;
  private final Endpoints endpoints;
  private final Duration timeout;
  private final ApiCallCounter counter;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ObjectMapper json = new ObjectMapper();
  /** The last budget reported per installation (or token) and resource, keyed {@code who resource}. */
  private final Map<String, Budget> budgets = new ConcurrentHashMap<>();
  private volatile Function<String, String> budgetKeys = authorization -> "the token";
  private volatile ContentPacer pacer;
  private final ExecutorService senders =
      Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "github-request");
        thread.setDaemon(true);
        return thread;
      });

  MeteredConnector(GitHubConnector delegate, URI api, Duration timeout, ApiCallCounter counter, Clock clock, Sleeper sleeper) {
    this.delegate = delegate;
    this.api = api;
    this.endpoints = new Endpoints(api);
    this.timeout = timeout;
    this.counter = counter;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * How to tell whose budget a request spends from its {@code Authorization} header, and the pacer told
   * when GitHub answers a content-creating request with its secondary limit.
   */
  void budgets(Function<String, String> budgetKeys, ContentPacer pacer) {
    this.budgetKeys = budgetKeys;
    this.pacer = pacer;
  }

  /** Whose budget a request with this {@code Authorization} header spends. */
  String budgetKey(String authorization) {
    return budgetKeys.apply(authorization);
  }

  @Override
  public GitHubConnectorResponse send(GitHubConnectorRequest request) {
    return exchange(request).response();
  }

  /**
   * Sends the request, retrying 5xx answers and timeouts when it is idempotent and waiting out rate
   * limits. Returns every other answer, 4xx included, for the caller to judge.
   */
  Exchange exchange(GitHubConnectorRequest request) {
    URI url = uri(request);
    if (!url.getHost().equalsIgnoreCase(api.getHost()) || url.getPort() != api.getPort()) {
      // A credential must never follow a link (a next page, a URL in an answer) to another host.
      throw new GitHubException("GitHub linked to " + url.getHost() + ", outside " + api.getHost() + "; not following", -1);
    }
    String endpoint = endpoints.name(request.method(), url);
    boolean idempotent = Endpoints.idempotent(endpoint);
    String resource = endpoint.endsWith(" /graphql") ? "graphql" : "core";
    String who = budgetKey(request.header("Authorization"));
    boolean createsContent = createsContent(request.method(), endpoint);
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      keepToBudget(who, resource);
      Buffered response;
      try {
        response = sendOnce(request);
      } catch (IOException e) {
        counter.onCall(endpoint, -1);
        if (!idempotent || attempt >= MAX_ATTEMPTS) {
          throw new GitHubException(endpoint + " got no answer after " + attempt + " attempt(s): " + describe(e), -1, e);
        }
        LOG.warn("{} got no answer ({}); retrying in {}", endpoint, describe(e), backoff);
        pause(backoff);
        backoff = backoff.multipliedBy(2);
        continue;
      }
      counter.onCall(endpoint, response.statusCode());
      noteBudget(who, response);
      Optional<Duration> limited = rateLimitWait(response, resource);
      if (limited.isPresent() && createsContent && secondaryLimit(response) && pacer != null) {
        // Not done, so safe to send again; but later, and not from a thread that would sit on it.
        Instant until = clock.instant().plus(limited.get());
        pacer.pause(who, until);
        LOG.warn("{} hit GitHub's secondary rate limit for {}; content creation pauses until {}", endpoint, who, until);
        throw new ForgeBusy("GitHub answered " + who + " with its secondary rate limit on content creation", limited.get());
      }
      if (limited.isPresent()) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new GitHubException(
              endpoint + " is still rate limited after " + attempt + " attempts: " + response.message(), response.statusCode());
        }
        LOG.warn("{} hit a GitHub rate limit ({}); waiting {}", endpoint, response.statusCode(), limited.get());
        pause(limited.get());
        continue;
      }
      if (response.statusCode() >= 500) {
        if (!idempotent || attempt >= MAX_ATTEMPTS) {
          throw new GitHubException(
              endpoint + " failed with " + response.statusCode() + " after " + attempt + " attempt(s): " + response.message(),
              response.statusCode());
        }
        LOG.warn("{} failed with {}; retrying in {}", endpoint, response.statusCode(), backoff);
        pause(backoff);
        backoff = backoff.multipliedBy(2);
        continue;
      }
      return new Exchange(response, attempt);
    }
  }

  /** One attempt, bounded by the timeout: the JDK client has no per-request timeout of its own here. */
  private Buffered sendOnce(GitHubConnectorRequest request) throws IOException {
    Future<Buffered> answer =
        senders.submit(() -> {
          try (GitHubConnectorResponse raw = delegate.send(request)) {
            byte[] body;
            try (InputStream stream = raw.bodyStream()) {
              body = stream == null ? new byte[0] : stream.readAllBytes();
            } catch (IOException e) {
              // Error answers may come without a body.
              body = new byte[0];
            }
            return new Buffered(request, raw.statusCode(), raw.allHeaders(), body, json);
          }
        });
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new IOException("no answer within " + timeout, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getClass().getSimpleName(), e.getCause());
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new GitHubException("interrupted while calling GitHub", -1, e);
    }
  }

  /**
   * Whether GitHub counts the request against its secondary limit on content creation: every request
   * that changes something, but for minting an installation token and GraphQL (queries and mutations
   * share one endpoint; mutations are paced where they are made).
   */
  static boolean createsContent(String method, String endpoint) {
    return !"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method)
        && !endpoint.endsWith(" /graphql") && !endpoint.contains("/access_tokens");
  }

  /** A secondary limit rather than the primary budget: a {@code Retry-After}, or GitHub's message for it. */
  private static boolean secondaryLimit(Buffered response) {
    return response.header("Retry-After") != null
        || response.message().toLowerCase(Locale.ROOT).contains("secondary rate limit");
  }

  private void noteBudget(String who, Buffered response) {
    String remaining = response.header("X-RateLimit-Remaining");
    if (remaining == null) {
      return;
    }
    try {
      int left = Integer.parseInt(remaining.trim());
      String limitHeader = response.header("X-RateLimit-Limit");
      int limit = limitHeader == null ? 5000 : Integer.parseInt(limitHeader.trim());
      String resetHeader = response.header("X-RateLimit-Reset");
      Instant reset =
          resetHeader == null ? clock.instant().plus(Duration.ofHours(1)) : Instant.ofEpochSecond(Long.parseLong(resetHeader.trim()));
      String resource = Optional.ofNullable(response.header("X-RateLimit-Resource")).orElse("core");
      budgets.put(who + " " + resource, new Budget(left, limit, reset));
      counter.onRateLimit(resource, left, limit);
    } catch (NumberFormatException e) {
      LOG.debug("ignoring unreadable rate limit headers: {}", e.getMessage());
    }
  }

  /** How long to wait before sending this again, if GitHub said it was rate limited. */
  private Optional<Duration> rateLimitWait(Buffered response, String resource) {
    int status = response.statusCode();
    if (status == 200 && "graphql".equals(resource) && response.text().contains("\"RATE_LIMITED\"")) {
      // GraphQL answers a spent budget with 200 and an error of type RATE_LIMITED.
      return Optional.of(untilReset(response));
    }
    if (status != 403 && status != 429) {
      return Optional.empty();
    }
    String retryAfter = response.header("Retry-After");
    if (retryAfter != null) {
      try {
        return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(retryAfter.trim()))));
      } catch (NumberFormatException e) {
        return Optional.of(SECONDARY_LIMIT_DEFAULT_WAIT);
      }
    }
    if (response.message().toLowerCase(Locale.ROOT).contains("secondary rate limit")) {
      return Optional.of(SECONDARY_LIMIT_DEFAULT_WAIT);
    }
    if ("0".equals(Optional.ofNullable(response.header("X-RateLimit-Remaining")).map(String::trim).orElse(""))) {
      return Optional.of(untilReset(response));
    }
    return Optional.empty();
  }

  private Duration untilReset(Buffered response) {
    String resetHeader = response.header("X-RateLimit-Reset");
    Instant reset =
        resetHeader == null ? clock.instant().plus(SECONDARY_LIMIT_DEFAULT_WAIT) : Instant.ofEpochSecond(Long.parseLong(resetHeader.trim()));
    Duration wait = Duration.between(clock.instant(), reset).plusSeconds(1);
    return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
  }

  /**
   * Below 5% of the budget, spreads the rest evenly until the reset; with none left, waits for the
   * reset. So a big scan slows down instead of failing every changeset at once.
   */
  private void keepToBudget(String who, String resource) {
    Budget budget = budgets.get(who + " " + resource);
    if (budget == null || budget.remaining() >= budget.limit() * SLOW_DOWN_BELOW) {
      return;
    }
    Duration untilReset = Duration.between(clock.instant(), budget.reset());
    if (untilReset.isNegative() || untilReset.isZero()) {
      return;
    }
    Duration wait = budget.remaining() <= 0 ? untilReset.plusSeconds(1) : untilReset.dividedBy(budget.remaining());
    LOG.info("{} of {} GitHub {} requests left for {} until {}; waiting {}", budget.remaining(), budget.limit(), resource, who, budget.reset(), wait);
    pause(wait);
    if (budget.remaining() <= 0) {
      // The budget is new after the reset; the next answer reports it.
      budgets.remove(who + " " + resource, budget);
    }
  }

  private void pause(Duration duration) {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitHubException("interrupted while waiting to call GitHub again", -1, e);
    }
  }

  private static URI uri(GitHubConnectorRequest request) {
    try {
      return request.url().toURI();
    } catch (URISyntaxException e) {
      throw new GitHubException("not a URL GitHub can be asked: " + e.getReason(), -1, e);
    }
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }

  /** An answer read to its end, so it can be judged here and still be read by hub4j or the plain client. */
  static final class Buffered extends GitHubConnectorResponse {

    private final byte[] body;
    private final ObjectMapper json;

    Buffered(GitHubConnectorRequest request, int status, Map<String, List<String>> headers, byte[] body, ObjectMapper json) {
      super(request, status, caseInsensitive(headers));
      this.body = body;
      this.json = json;
    }

    @Override
    public InputStream bodyStream() {
      return new ByteArrayInputStream(body);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** GitHub's message with the messages of its {@code errors} list, for exceptions and reasons. */
    String message() {
      JsonNode parsed;
      try {
        parsed = json.readTree(body);
      } catch (IOException e) {
        // Proxies in front of GitHub Enterprise answer with HTML; keep a little of it for the message.
        String text = text();
        return text.substring(0, Math.min(200, text.length()));
      }
      return GitHubClient.message(parsed == null ? json.missingNode() : parsed);
    }

    @Override
    public void close() {
      // Nothing is held open: the body was read when the answer came.
    }

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
      Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((name, values) -> {
        if (name != null) {
          copy.put(name, values);
        }
      });
      return copy;
    }
  }
}
