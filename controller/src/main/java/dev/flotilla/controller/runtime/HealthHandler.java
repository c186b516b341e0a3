package dev.flotilla.controller.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers, and has not been without its store for too long) and
 * {@code /readyz} (every dependency answers: the store, and the Kubernetes API when runs are Jobs).
 * Plain text, one line per check, 503 when one fails.
 */
final class HealthHandler implements HttpHandler {

  /** One dependency's answer. */
  record Check(boolean up, String detail) {}

  private final Map<String, Supplier<Check>> liveness;
  private final Map<String, Supplier<Check>> readiness;

  HealthHandler(Map<String, Supplier<Check>> readiness) {
    this(Map.of(), readiness);
  }

  /** {@code liveness}: checks that answer at once, without waiting on the dependency. */
  HealthHandler(Map<String, Supplier<Check>> liveness, Map<String, Supplier<Check>> readiness) {
    this.liveness = new LinkedHashMap<>(liveness);
    this.readiness = new LinkedHashMap<>(readiness);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "use GET\n");
        return;
      }
      if (exchange.getRequestURI().getPath().equals("/healthz")) {
        if (liveness.values().stream().allMatch(check -> safely(check).up())) {
          send(exchange, 200, "ok\n");
        } else {
          report(exchange, liveness);
        }
        return;
      }
      report(exchange, readiness);
    }
  }

  private static void report(HttpExchange exchange, Map<String, Supplier<Check>> checks) throws IOException {
    StringBuilder body = new StringBuilder();
    boolean up = true;
    for (var entry : checks.entrySet()) {
      Check check = safely(entry.getValue());
      up &= check.up();
      body.append(entry.getKey()).append(": ").append(check.up() ? "ok" : "down").append(" (").append(check.detail()).append(")\n");
    }
    send(exchange, up ? 200 : 503, body.toString());
  }

  private static Check safely(Supplier<Check> check) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return new Check(false, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
