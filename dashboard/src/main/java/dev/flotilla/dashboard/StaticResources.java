package dev.flotilla.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The page and its assets, read once from the classpath. Only the files listed here are served. */
final class StaticResources {

  private static final String BASE = "/dev/flotilla/dashboard/web/";
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8",
      "favicon.svg", "image/svg+xml");
  /** Scripts and styles from this server only; the page builds its DOM with textContent, never HTML strings. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  void serve(Call call, String file) throws IOException {
    String type = TYPES.get(file);
    if (type == null) {
      throw ApiException.notFound("There is no file '" + file + "' here");
    }
    byte[] bytes = cache.computeIfAbsent(file, StaticResources::load);
    call.exchange().getResponseHeaders().set("Content-Security-Policy", CSP);
    call.exchange().getResponseHeaders().set("Referrer-Policy", "no-referrer");
    call.send(200, type, bytes);
  }

  private static byte[] load(String file) {
    try (InputStream in = StaticResources.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("dashboard resource " + BASE + file + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard resource " + file, e);
    }
  }
}
