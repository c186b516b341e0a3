package dev.flotilla.dashboard;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The dashboard's settings, each read from an environment variable with a default. Built from a map so
 * tests need no environment; bad values fail here, at start, naming the setting.
 *
 * @param bindAddress interface to listen on
 * @param port TCP port; 0 picks a free one
 * @param token the bearer token that mutations (and, if {@code readsNeedToken}, reads) require;
 *     empty means mutations are refused
 * @param readsNeedToken whether GET requests need the token too
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param maxEventClients the most concurrent server-sent-event streams; more get 503
 * @param keepAlive how often an idle event stream gets a comment line, so proxies keep it open
 * @param stalePullRequestAfter how long a PR may stay open before "Needs attention" lists it
 * @param corsOrigins origins allowed to call the API from a browser page served elsewhere; never "*"
 * @param threads requests handled at once (more wait their turn without holding a thread); event streams
 *     and health probes have threads of their own
 * @param readTimeout how long a connection may send nothing while its request headers or body are
 *     awaited, or stay idle between requests, before the server closes it
 * @param maxConnections open connections at which the server stops accepting more and cuts the idle
 *     time of those open to a second
 */
public record DashboardConfig(
    String bindAddress,
    int port,
    Optional<String> token,
    boolean readsNeedToken,
    int maxBodyBytes,
    int maxEventClients,
    Duration keepAlive,
    Duration stalePullRequestAfter,
    List<String> corsOrigins,
    int threads,
    Duration readTimeout,
    int maxConnections) {

  public static final String BIND = "FLOTILLA_DASHBOARD_BIND";
  public static final String PORT = "FLOTILLA_DASHBOARD_PORT";
  public static final String TOKEN = "FLOTILLA_DASHBOARD_TOKEN";
  public static final String READS_NEED_TOKEN = "FLOTILLA_DASHBOARD_READS_NEED_TOKEN";
  public static final String MAX_BODY_BYTES = "FLOTILLA_DASHBOARD_MAX_BODY_BYTES";
  public static final String MAX_EVENT_CLIENTS = "FLOTILLA_DASHBOARD_MAX_EVENT_CLIENTS";
  public static final String KEEPALIVE_SECONDS = "FLOTILLA_DASHBOARD_KEEPALIVE_SECONDS";
  public static final String STALE_PR_DAYS = "FLOTILLA_DASHBOARD_STALE_PR_DAYS";
  public static final String CORS_ORIGINS = "FLOTILLA_DASHBOARD_CORS_ORIGINS";
  public static final String THREADS = "FLOTILLA_DASHBOARD_THREADS";
  public static final String READ_TIMEOUT_SECONDS = "FLOTILLA_DASHBOARD_READ_TIMEOUT_SECONDS";
  public static final String MAX_CONNECTIONS = "FLOTILLA_DASHBOARD_MAX_CONNECTIONS";

  /** Short tokens can be guessed; 16 characters is the least `openssl rand -hex 16` gives twice over. */
  static final int MIN_TOKEN_LENGTH = 16;

  public DashboardConfig {
    token = token.filter(t -> !t.isEmpty());
    corsOrigins = List.copyOf(corsOrigins);
    if (readsNeedToken && token.isEmpty()) {
      throw new DashboardConfigException(READS_NEED_TOKEN + "=true needs " + TOKEN + " to be set");
    }
    token.ifPresent(t -> {
      if (t.length() < MIN_TOKEN_LENGTH || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        // The value itself stays out of the message: it is a secret even when it is a bad one.
        throw new DashboardConfigException(TOKEN + " must be at least " + MIN_TOKEN_LENGTH
            + " printable ASCII characters without spaces, e.g. the output of `openssl rand -hex 32`");
      }
    });
    for (String origin : corsOrigins) {
      if (!origin.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
        throw new DashboardConfigException(CORS_ORIGINS + " must list origins like https://backstage.example.com"
            + " separated by commas (no wildcard, no path), got '" + origin + "'");
      }
    }
  }

  /** Local defaults: loopback, an ephemeral port, no token (so reads only). */
  public static DashboardConfig defaults() {
    return fromEnv(Map.of(PORT, "0"));
  }

  public static DashboardConfig fromEnv(Map<String, String> env) {
    return new DashboardConfig(
        setting(env, BIND, "127.0.0.1", DashboardConfig::host),
        setting(env, PORT, "8080", v -> intIn(v, 0, 65535)),
        Optional.ofNullable(env.get(TOKEN)).map(String::strip),
        setting(env, READS_NEED_TOKEN, "false", DashboardConfig::bool),
        setting(env, MAX_BODY_BYTES, "65536", v -> intIn(v, 1, 16 * 1024 * 1024)),
        setting(env, MAX_EVENT_CLIENTS, "32", v -> intIn(v, 1, 1000)),
        Duration.ofSeconds(setting(env, KEEPALIVE_SECONDS, "15", v -> intIn(v, 1, 3600))),
        Duration.ofDays(setting(env, STALE_PR_DAYS, "7", v -> intIn(v, 1, 365))),
        setting(env, CORS_ORIGINS, "", DashboardConfig::list),
        setting(env, THREADS, "8", v -> intIn(v, 1, 256)),
        Duration.ofSeconds(setting(env, READ_TIMEOUT_SECONDS, "10", v -> intIn(v, 1, 300))),
        setting(env, MAX_CONNECTIONS, "1000", v -> intIn(v, 16, 100_000)));
  }

  public DashboardConfig withToken(String newToken) {
    return new DashboardConfig(bindAddress, port, Optional.ofNullable(newToken), readsNeedToken, maxBodyBytes,
        maxEventClients, keepAlive, stalePullRequestAfter, corsOrigins, threads, readTimeout, maxConnections);
  }

  /** Never prints the token: configs end up in logs. */
  @Override
  public String toString() {
    return "DashboardConfig[bindAddress=" + bindAddress + ", port=" + port
        + ", token=" + (token.isPresent() ? "<set>" : "<none>")
        + ", readsNeedToken=" + readsNeedToken + ", maxBodyBytes=" + maxBodyBytes
        + ", maxEventClients=" + maxEventClients + ", keepAlive=" + keepAlive
        + ", stalePullRequestAfter=" + stalePullRequestAfter + ", corsOrigins=" + corsOrigins
        + ", threads=" + threads + ", readTimeout=" + readTimeout + ", maxConnections=" + maxConnections + "]";
  }

  private static <T> T setting(Map<String, String> env, String name, String fallback, Function<String, T> parse) {
    String raw = env.getOrDefault(name, fallback).strip();
    try {
      return parse.apply(raw);
    } catch (IllegalArgumentException e) {
      throw new DashboardConfigException(name + "='" + raw + "' is invalid: " + e.getMessage());
    }
  }

  private static int intIn(String v, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number between " + min + " and " + max, e);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("expected a whole number between " + min + " and " + max);
    }
    return n;
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  private static String host(String v) {
    if (v.isEmpty() || !v.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
      throw new IllegalArgumentException("expected a host name or IP address, e.g. 0.0.0.0");
    }
    return v;
  }

  private static List<String> list(String v) {
    return v.isEmpty()
        ? List.of()
        : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
