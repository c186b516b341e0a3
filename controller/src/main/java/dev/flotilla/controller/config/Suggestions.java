package dev.flotilla.controller.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for a misspelt key, value or id. */
final class Suggestions {

  private Suggestions() {}

  /**
   * The candidate closest to {@code given}: equal ignoring case and '-', '_' or '.', or at most two
   * edits away (one for short words, so that unrelated short words are not suggested).
   */
  static Optional<String> closest(String given, Collection<String> candidates) {
    String normalised = normalise(given);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      String other = normalise(candidate);
      if (other.equals(normalised)) {
        return Optional.of(candidate);
      }
      int distance = distance(normalised, other, 3);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.min(given.length(), best == null ? 0 : best.length()) <= 4 ? 1 : 2;
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** "; did you mean 'x'?" or nothing. */
  static String didYouMean(String given, Collection<String> candidates) {
    return closest(given, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
  }

  private static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[-_.\\s]", "");
  }

  /** Levenshtein distance, giving up (returning {@code limit}) once it exceeds {@code limit}. */
  private static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit || a.length() > 100 || b.length() > 100) {
      return limit;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return Math.min(previous[b.length()], limit);
  }
}
