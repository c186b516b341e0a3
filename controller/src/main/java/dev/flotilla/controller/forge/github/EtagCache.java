package dev.flotilla.controller.forge.github;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last answer to each conditional GET, by URL: GitHub answers a request carrying the ETag with
 * 304 when nothing changed, which costs no rate budget, and the kept body stands in for it. Held
 * in memory; {@link #entries()} and {@link #put} are what a persistent copy would need.
 */
public final class EtagCache {

  /** One remembered answer: its ETag, its body and its {@code Link} header (null when none). */
  public record Entry(String etag, String body, String link) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public Optional<Entry> get(String url) {
    return Optional.ofNullable(entries.get(url));
  }

  public void put(String url, Entry entry) {
    entries.put(url, entry);
  }

  public Map<String, Entry> entries() {
    return Map.copyOf(entries);
  }

  public int size() {
    return entries.size();
  }
}
