package dev.flotilla.dashboard;

import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.dashboard.port.Actor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP request being answered: its path parameters, query, body and response helpers. */
final class Call {

  static final String ACTOR_HEADER = "X-Flotilla-Actor";
  private static final int MAX_ACTOR_LENGTH = 64;

  private final HttpExchange exchange;
  private final Map<String, String> params;
  private QueryString query;
  private final int maxBodyBytes;

  Call(HttpExchange exchange, Map<String, String> params, int maxBodyBytes) {
    this.exchange = exchange;
    this.params = params;
    this.maxBodyBytes = maxBodyBytes;
  }

  HttpExchange exchange() {
    return exchange;
  }

  String param(String name) {
    return params.get(name);
  }

  /** Parsed on first use, so a malformed query string fails only the routes that read it. */
  QueryString query() {
    if (query == null) {
      query = QueryString.parse(exchange.getRequestURI().getRawQuery());
    }
    return query;
  }

  /**
   * Reads the body, refusing more than the configured limit: by its declared length before reading,
   * and by counting while reading for chunked bodies.
   */
  byte[] body() throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.strip());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Content-Length must be a number");
      }
      if (length > maxBodyBytes) {
        throw tooLarge();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = exchange.getRequestBody()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxBodyBytes) {
          throw tooLarge();
        }
        out.write(buf, 0, n);
      }
    } catch (IOException | UncheckedIOException e) {
      // The client stopped sending (the read timeout) or went away: its fault, not the server's.
      throw new ApiException(408, "The request body did not arrive in time; send it whole");
    }
    return out.toByteArray();
  }

  private ApiException tooLarge() {
    return new ApiException(413, "The request body is larger than " + maxBodyBytes
        + " bytes; actions need no body, send an empty one");
  }

  /**
   * Who is acting: the name the person gave in {@value #ACTOR_HEADER}, reduced to characters safe in
   * a log line and a history table, or {@code dashboard}.
   */
  Actor actor() {
    String given = exchange.getRequestHeaders().getFirst(ACTOR_HEADER);
    String name = given == null ? "" : given.replaceAll("[^A-Za-z0-9._@+ -]", "").strip();
    if (name.length() > MAX_ACTOR_LENGTH) {
      name = name.substring(0, MAX_ACTOR_LENGTH);
    }
    InetSocketAddress remote = exchange.getRemoteAddress();
    String source = remote == null ? "unknown" : remote.getAddress().getHostAddress();
    return new Actor(name.isEmpty() ? "dashboard" : name, source);
  }

  void json(int status, Object body) throws IOException {
    send(status, "application/json; charset=utf-8", Json.MAPPER.writeValueAsBytes(body));
  }

  void send(int status, String contentType, byte[] bytes) throws IOException {
    send(exchange, status, contentType, bytes);
  }

  static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
