package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.flotilla.controller.config.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
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
 * {@code X-Hub-Signature-256} HMAC, then that the delivery is new, and only then reads the event.
 * Pull request, check run, check suite and status events reach the {@link WebhookListener}; polling
 * stays the fallback for deliveries that never come.
 */
public final class GitHubWebhookHandler implements HttpHandler {

  public static final String PATH = "/webhooks/github";
  public static final int DEFAULT_MAX_BODY = 1024 * 1024;
  private static final int REMEMBERED_DELIVERIES = 10_000;
  private static final String SIGNATURE_PREFIX = "sha256=";
  private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhookHandler.class);

  private final SecretKeySpec key;
  private final WebhookListener listener;
  private final int maxBody;
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
    this.key = secret == null ? null : new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.listener = listener;
    this.maxBody = maxBody;
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
      if (delivery != null && !firstTime(delivery)) {
        LOG.info("ignored webhook delivery {}: already received", delivery);
        respond(exchange, 200, "already received");
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
      forget(delivery);
      respond(exchange, 400, "payload is not JSON; set the webhook's content type to application/json");
      return;
    }
    Optional<WebhookEvent> event = toEvent(eventType, payload);
    if (event.isEmpty()) {
      respond(exchange, 200, "event " + eventType + " is not used");
      return;
    }
    try {
      listener.onEvent(event.get());
    } catch (RuntimeException e) {
      // Forgotten, so GitHub's redelivery of this event is handled instead of ignored.
      forget(delivery);
      LOG.error("handling webhook delivery {} ({}) failed", delivery, eventType, e);
      respond(exchange, 500, "could not handle the event; redeliver it later");
      return;
    }
    LOG.debug("webhook {} {} for {} {}", eventType, event.get().action(), event.get().repository(), event.get().branch());
    respond(exchange, 200, "ok");
  }

  static Optional<WebhookEvent> toEvent(String type, JsonNode payload) {
    String repository = payload.path("repository").path("full_name").asText(null);
    if (type == null || repository == null) {
      return Optional.empty();
    }
    String action = payload.path("action").asText(null);
    return switch (type) {
      case "pull_request" -> {
        JsonNode head = payload.path("pull_request").path("head");
        yield Optional.of(new WebhookEvent(
            WebhookEvent.Kind.PULL_REQUEST, action, repository, head.path("ref").asText(null), head.path("sha").asText(null)));
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
      default -> Optional.empty();
    };
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

  private boolean firstTime(String delivery) {
    synchronized (deliveries) {
      return deliveries.put(delivery, Boolean.TRUE) == null;
    }
  }

  private void forget(String delivery) {
    if (delivery != null) {
      synchronized (deliveries) {
        deliveries.remove(delivery);
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
