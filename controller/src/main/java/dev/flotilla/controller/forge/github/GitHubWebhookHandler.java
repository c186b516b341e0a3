package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.store.Jdbc.StoreException;
import dev.flotilla.controller.store.WebhookDeliveries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives GitHub webhook deliveries at {@code /webhooks/github}: checks the size, then the
 * {@code X-Hub-Signature-256} HMAC, then that the delivery is new (in memory, and in the store's
 * {@code webhook_delivery} table so a redelivery after a restart is recognised too), reads the event,
 * hands it to the {@link WebhookListener} and answers 202 at once: the work is done later on the
 * engine's threads, never on the HTTP server's. Polling stays the fallback for deliveries that never
 * come. Which payload fields are read is checked against {@code @octokit/webhooks-examples} in
 * {@code GitHubWebhookHandlerIT}.
 */
public final class GitHubWebhookHandler implements HttpHandler {

  public static final String PATH = "/webhooks/github";
  public static final int DEFAULT_MAX_BODY = 1024 * 1024;
  private static final int REMEMBERED_DELIVERIES = 10_000;
  private static final String SIGNATURE_PREFIX = "sha256=";
  private static final String OPT_IN_FILE = ".flotilla.yaml";
  private static final int PUSH_COMMITS_LISTED = 20;
  /** Kept longer than GitHub offers redelivery in its settings page (three days). */
  public static final Duration KEEP_DELIVERIES = Duration.ofDays(7);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhookHandler.class);

  private final SecretKeySpec key;
  private final WebhookListener listener;
  private final int maxBody;
  private final WebhookDeliveries recorded;
  private final Clock clock;
  private Instant nextPrune = Instant.EPOCH;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Boolean> deliveries =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED_DELIVERIES;
        }
      };

  /** @param secret the webhook secret; null refuses every delivery, as nothing can be verified */
  public GitHubWebhookHandler(Secret secret, WebhookListener listener) {
    this(secret, listener, DEFAULT_MAX_BODY);
  }

  public GitHubWebhookHandler(Secret secret, WebhookListener listener, int maxBody) {
    this(secret, listener, maxBody, null, Clock.systemUTC());
  }

  /** @param recorded where deliveries are recorded and redeliveries recognised; null keeps them in memory only */
  public GitHubWebhookHandler(Secret secret, WebhookListener listener, int maxBody, WebhookDeliveries recorded, Clock clock) {
    this.key = secret == null ? null : new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.listener = listener;
    this.maxBody = maxBody;
    this.recorded = recorded;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, "webhooks are POSTed");
        return;
      }
      long declared = contentLength(exchange);
      if (declared > maxBody) {
        respond(exchange, 413, "payload over " + maxBody + " bytes");
        return;
      }
      Optional<byte[]> body = readAtMost(exchange.getRequestBody(), maxBody);
      if (body.isEmpty()) {
        respond(exchange, 413, "payload over " + maxBody + " bytes");
        return;
      }
      String delivery = exchange.getRequestHeaders().getFirst("X-GitHub-Delivery");
      if (!signedWithSecret(exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"), body.get())) {
        LOG.warn("refused webhook delivery {}: missing or wrong X-Hub-Signature-256", delivery);
        respond(exchange, 401, "missing or wrong signature");
        return;
      }
      dispatch(exchange, exchange.getRequestHeaders().getFirst("X-GitHub-Event"), delivery, body.get());
    }
  }

  private void dispatch(HttpExchange exchange, String eventType, String delivery, byte[] body) throws IOException {
    if ("ping".equals(eventType)) {
      respond(exchange, 200, "pong");
      return;
    }
    JsonNode payload;
    try {
      payload = json.readTree(body);
    } catch (JsonProcessingException e) {
      respond(exchange, 400, "payload is not JSON; set the webhook's content type to application/json");
      return;
    }
    Optional<WebhookEvent> event = toEvent(eventType, payload).map(e -> e.withDelivery(delivery));
    if (delivery != null && !firstTime(delivery, eventType, payload, event.isPresent())) {
      LOG.info("ignored webhook delivery {}: already received", delivery);
      respond(exchange, 200, "already received");
      return;
    }
    if (event.isEmpty()) {
      respond(exchange, 200, "event " + eventType + " is not used");
      return;
    }
    WebhookListener.Accepted accepted;
    try {
      accepted = listener.accept(event.get());
    } catch (RuntimeException e) {
      // Forgotten, so GitHub's redelivery of this event is handled instead of ignored.
      forget(delivery);
      LOG.error("handing over webhook delivery {} ({}) failed", delivery, eventType, e);
      respond(exchange, 500, "could not handle the event; redeliver it later");
      return;
    }
    note(delivery, accepted.name().toLowerCase(Locale.ROOT));
    LOG.debug("webhook {} {} for {} {}: {}", eventType, event.get().action(), event.get().repository(), event.get().branch(), accepted);
    respond(exchange, 202, accepted.name().toLowerCase(Locale.ROOT));
  }

  static Optional<WebhookEvent> toEvent(String type, JsonNode payload) {
    if (type == null) {
      return Optional.empty();
    }
    String repository = payload.path("repository").path("full_name").asText(null);
    String action = payload.path("action").asText(null);
    return switch (type) {
      case "installation" -> Optional.of(installation(WebhookEvent.Kind.INSTALLATION, action, payload,
          payload.path("repositories")));
      case "installation_repositories" -> Optional.of(installation(WebhookEvent.Kind.INSTALLATION_REPOSITORIES, action, payload,
          payload.path("removed".equals(action) ? "repositories_removed" : "repositories_added")));
      case "repository_ruleset" -> Optional.of(new WebhookEvent(WebhookEvent.Kind.REPOSITORY_RULESET, null, action, repository,
          null, null, payload.path("organization").path("login").asText(null), List.of()));
      default -> repository == null ? Optional.empty() : repositoryEvent(type, action, repository, payload);
    };
  }

  private static Optional<WebhookEvent> repositoryEvent(String type, String action, String repository, JsonNode payload) {
    return switch (type) {
      case "pull_request" -> {
        JsonNode head = payload.path("pull_request").path("head");
        yield Optional.of(new WebhookEvent(
            WebhookEvent.Kind.PULL_REQUEST, action, repository, head.path("ref").asText(null), head.path("sha").asText(null)));
      }
      case "pull_request_review" -> {
        JsonNode head = payload.path("pull_request").path("head");
        yield Optional.of(new WebhookEvent(
            WebhookEvent.Kind.PULL_REQUEST_REVIEW, action, repository, head.path("ref").asText(null), head.path("sha").asText(null)));
      }
      case "check_run" -> {
        JsonNode run = payload.path("check_run");
        String branch = run.path("check_suite").path("head_branch").asText(null);
        if (branch == null) {
          branch = run.path("pull_requests").path(0).path("head").path("ref").asText(null);
        }
        yield Optional.of(new WebhookEvent(WebhookEvent.Kind.CHECK_RUN, action, repository, branch, run.path("head_sha").asText(null)));
      }
      case "check_suite" -> {
        JsonNode suite = payload.path("check_suite");
        yield Optional.of(new WebhookEvent(
            WebhookEvent.Kind.CHECK_SUITE, action, repository, suite.path("head_branch").asText(null), suite.path("head_sha").asText(null)));
      }
      case "status" -> Optional.of(new WebhookEvent(
          WebhookEvent.Kind.STATUS, payload.path("state").asText(null), repository, statusBranch(payload), payload.path("sha").asText(null)));
      case "push" -> optInPush(repository, payload);
      case "branch_protection_rule" -> Optional.of(new WebhookEvent(WebhookEvent.Kind.BRANCH_PROTECTION_RULE, null, action,
          repository, null, null, payload.path("organization").path("login").asText(null), List.of()));
      default -> Optional.empty();
    };
  }

  /**
   * A push to the default branch that may have changed {@code .flotilla.yaml}. GitHub lists at most 20
   * commits in a push payload, so a longer push counts as touching the file.
   */
  private static Optional<WebhookEvent> optInPush(String repository, JsonNode payload) {
    String defaultBranch = payload.path("repository").path("default_branch").asText("");
    if (defaultBranch.isEmpty() || !("refs/heads/" + defaultBranch).equals(payload.path("ref").asText())) {
      return Optional.empty();
    }
    JsonNode commits = payload.path("commits");
    boolean touched = payload.path("deleted").asBoolean(false) || commits.size() >= PUSH_COMMITS_LISTED;
    for (JsonNode commit : commits) {
      for (String list : List.of("added", "modified", "removed")) {
        for (JsonNode path : commit.path(list)) {
          touched |= OPT_IN_FILE.equals(path.asText());
        }
      }
    }
    if (!touched) {
      return Optional.empty();
    }
    return Optional.of(new WebhookEvent(WebhookEvent.Kind.PUSH, null, null, repository, defaultBranch,
        payload.path("after").asText(null), null, List.of()));
  }

  /** An installation event names its account and the repositories it concerns (none when it covers them all). */
  private static WebhookEvent installation(WebhookEvent.Kind kind, String action, JsonNode payload, JsonNode repositories) {
    List<String> names = new ArrayList<>();
    repositories.forEach(r -> {
      String name = r.path("full_name").asText(null);
      if (name != null) {
        names.add(name);
      }
    });
    String account = payload.path("installation").path("account").path("login").asText(null);
    return new WebhookEvent(kind, null, action, null, null, null, account, names);
  }

  /** A status names every branch holding the commit; Flotilla's own branch is the one that matters. */
  private static String statusBranch(JsonNode payload) {
    String first = null;
    for (JsonNode branch : payload.path("branches")) {
      String name = branch.path("name").asText();
      if (name.startsWith("flotilla/")) {
        return name;
      }
      first = first == null ? name : first;
    }
    return first;
  }

  private boolean signedWithSecret(String header, byte[] body) {
    if (key == null || header == null || !header.startsWith(SIGNATURE_PREFIX)) {
      return false;
    }
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      expected = mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(SIGNATURE_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    // Constant-time, so the comparison's timing says nothing about the right signature.
    return MessageDigest.isEqual(expected, given);
  }

  /**
   * True for a delivery not received before, recording it. The store remembers across restarts; when
   * it cannot be reached the memory alone decides, so an outage of the store loses no event.
   */
  private boolean firstTime(String delivery, String eventType, JsonNode payload, boolean used) {
    synchronized (deliveries) {
      if (deliveries.put(delivery, Boolean.TRUE) != null) {
        return false;
      }
    }
    if (recorded == null) {
      return true;
    }
    try {
      pruneNowAndThen();
      String repository = payload.path("repository").path("full_name").asText(null);
      return recorded.recordIfNew(
          delivery, eventType, payload.path("action").asText(null), repository, clock.instant(), used ? "received" : "not used");
    } catch (StoreException e) {
      LOG.warn("could not record webhook delivery {}; handling it anyway: {}", delivery, e.getMessage());
      return true;
    }
  }

  /** At most once an hour, deletes recorded deliveries older than GitHub would redeliver. */
  private void pruneNowAndThen() {
    Instant now = clock.instant();
    synchronized (deliveries) {
      if (now.isBefore(nextPrune)) {
        return;
      }
      nextPrune = now.plus(PRUNE_EVERY);
    }
    int pruned = recorded.pruneBefore(now.minus(KEEP_DELIVERIES));
    if (pruned > 0) {
      LOG.debug("pruned {} webhook deliveries received before {}", pruned, now.minus(KEEP_DELIVERIES));
    }
  }

  private void note(String delivery, String outcome) {
    if (delivery == null || recorded == null) {
      return;
    }
    try {
      recorded.outcome(delivery, outcome);
    } catch (StoreException e) {
      LOG.warn("could not record the outcome of webhook delivery {}: {}", delivery, e.getMessage());
    }
  }

  private void forget(String delivery) {
    if (delivery == null) {
      return;
    }
    synchronized (deliveries) {
      deliveries.remove(delivery);
    }
    if (recorded != null) {
      try {
        recorded.forget(delivery);
      } catch (StoreException e) {
        LOG.warn("could not forget webhook delivery {}: {}", delivery, e.getMessage());
      }
    }
  }

  private static long contentLength(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The body, or empty when it is longer than {@code limit}: a missing Content-Length is no way around the limit. */
  private static Optional<byte[]> readAtMost(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        return Optional.empty();
      }
      out.write(buffer, 0, n);
    }
    return Optional.of(out.toByteArray());
  }

  private static void respond(HttpExchange exchange, int status, String message) throws IOException {
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
