package dev.flotilla.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Matches a method and a path against templates like {@code /api/campaigns/{name}/burndown}. */
final class Router<H> {

  /** Who may call a route. */
  enum Access {
    /** The page shell and its assets: it must load so a person can enter the token. */
    OPEN,
    /** Reads: open unless the server is configured to need the token for them. */
    READ,
    /** Changes: always need the token. */
    MUTATION
  }

  record Route<H>(String method, List<String> segments, Access access, H handler) {}

  record Match<H>(Route<H> route, Map<String, String> params) {}

  private final List<Route<H>> routes = new ArrayList<>();

  Router<H> add(String method, String template, Access access, H handler) {
    routes.add(new Route<>(method, split(template), access, handler));
    return this;
  }

  /**
   * @return the match; empty when no route has this path
   * @throws ApiException 405 when the path exists but not for this method
   */
  Optional<Match<H>> match(String method, String rawPath) {
    List<String> segments = split(rawPath);
    Set<String> allowed = new LinkedHashSet<>();
    for (Route<H> route : routes) {
      Map<String, String> params = bind(route.segments(), segments);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return Optional.of(new Match<>(route, params));
      }
      allowed.add(route.method());
    }
    if (!allowed.isEmpty()) {
      throw new ApiException(405, method + " is not supported here; use " + String.join(" or ", allowed));
    }
    return Optional.empty();
  }

  private static Map<String, String> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      if (t.startsWith("{") && t.endsWith("}")) {
        String value = decode(path.get(i));
        if (value.isEmpty()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), value);
      } else if (!t.equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }

  /** Split before decoding, so an encoded slash stays inside its segment. */
  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static String decode(String segment) {
    try {
      // URLDecoder turns '+' into a space, which is wrong in a path.
      return QueryString.refuseNul(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8), "path");
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("the path is not valid URL encoding near '" + segment + "'");
    }
  }
}
