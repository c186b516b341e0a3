package dev.flotilla.dashboard;

import dev.flotilla.dashboard.port.ChangesetQuery;
import dev.flotilla.dashboard.port.ChangesetState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Parses query strings, and the changeset table's filters in particular, with messages that name the parameter. */
final class QueryString {

  private final Map<String, List<String>> params;

  private QueryString(Map<String, List<String>> params) {
    this.params = params;
  }

  static QueryString parse(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }
    }
    return new QueryString(params);
  }

  String first(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Values of a repeatable, comma-separable parameter: {@code state=A,B&state=C}. */
  List<String> all(String name) {
    return params.getOrDefault(name, List.of()).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  int integer(String name, int fallback, int min, int max) {
    String raw = first(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(raw.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // The message below says what is allowed, which is all the caller needs.
      throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max + ", got '" + raw + "'");
    }
    throw ApiException.badRequest(name + " must be a whole number from " + min + " to " + max + ", got '" + raw + "'");
  }

  /** {@code ?state=&owner=&q=&sort=[-]field&offset=&limit=} as a port query. */
  ChangesetQuery changesetQuery(String campaign) {
    EnumSet<ChangesetState> states = EnumSet.noneOf(ChangesetState.class);
    for (String s : all("state")) {
      try {
        states.add(ChangesetState.valueOf(s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("state '" + s + "' is unknown; use one of "
            + Arrays.stream(ChangesetState.values()).map(Enum::name).collect(Collectors.joining(", ")));
      }
    }
    String sortParam = first("sort");
    boolean descending = false;
    ChangesetQuery.Sort sort = ChangesetQuery.Sort.REPOSITORY;
    if (sortParam != null && !sortParam.isBlank()) {
      String field = sortParam.strip();
      if (field.startsWith("-")) {
        descending = true;
        field = field.substring(1);
      }
      sort = sortByParam(field);
    }
    return new ChangesetQuery(campaign, states, first("owner"), first("q"), sort, descending,
        integer("offset", 0, 0, Integer.MAX_VALUE),
        integer("limit", ChangesetQuery.DEFAULT_LIMIT, 1, ChangesetQuery.MAX_LIMIT));
  }

  private static ChangesetQuery.Sort sortByParam(String field) {
    for (ChangesetQuery.Sort s : ChangesetQuery.Sort.values()) {
      if (s.param().equalsIgnoreCase(field)) {
        return s;
      }
    }
    throw ApiException.badRequest("sort '" + field + "' is unknown; use one of "
        + Arrays.stream(ChangesetQuery.Sort.values()).map(ChangesetQuery.Sort::param).collect(Collectors.joining(", "))
        + ", with a leading '-' for descending");
  }

  private static String decode(String s) {
    try {
      return refuseNul(URLDecoder.decode(s, StandardCharsets.UTF_8), "query string");
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the query string is not valid URL encoding near '" + s + "'");
    }
  }

  /** No name or value holds NUL, and the store cannot hold one: a 400, not a store error. */
  static String refuseNul(String decoded, String where) {
    if (decoded.indexOf('\0') >= 0) {
      throw ApiException.badRequest(
          "the " + where + " holds an encoded NUL character (%00), which no name or value contains; remove it");
    }
    return decoded;
  }
}
