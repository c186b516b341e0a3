package dev.flotilla.dashboard;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server as three lanes that cannot take each other's threads. Jetty reads request headers
 * without holding a thread, so a client that sends half a request holds only its connection, and the
 * connector closes that after the read timeout. Ordinary requests are then limited to {@code threads} at
 * a time (the rest wait without a thread); event streams have their own share, bounded by the event hub;
 * health probes are never queued behind either. The pool is sized so the first two lanes full still
 * leave threads for probes.
 */
final class Lanes {

  private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);

  /** Probe paths answered outside the request limit, when asked with GET or HEAD and no body. */
  static final Set<String> PROBES = Set.of("/healthz", "/readyz");
  static final String EVENTS = "/api/events";

  /** Threads left for probes, refusals and Jetty's own acceptor and selector, beyond the two lanes. */
  private static final int SPARE_THREADS = 6;
  /** When the connection limit is reached, open connections may idle this long (milliseconds). */
  private static final long CROWDED_IDLE_MILLIS = 1000;

  private Lanes() {}

  /** A Jetty server, not yet started, that answers every request with {@code handler}. */
  static Server server(DashboardConfig config, HttpHandler handler) {
    QueuedThreadPool pool = new QueuedThreadPool(config.threads() + config.maxEventClients() + SPARE_THREADS, 4);
    pool.setName("flotilla-dashboard");
    pool.setDaemon(true);
    // Reserved threads would be idle ones Jetty keeps aside for itself; the sizing above counts on all of them.
    pool.setReservedThreads(0);
    Server server = new Server(pool);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    // Every blocking read of a header or a body, and every idle keep-alive, ends after this long.
    connector.setIdleTimeout(config.readTimeout().toMillis());
    // Without it every response waits for the client's delayed ACK (Nagle's algorithm): about 40 ms.
    connector.setAcceptedTcpNoDelay(true);
    server.addConnector(connector);

    NetworkConnectionLimit limit = new NetworkConnectionLimit(config.maxConnections(), connector);
    limit.setEndPointIdleTimeout(CROWDED_IDLE_MILLIS);
    server.addBean(limit);

    QoSHandler requests = new QoSHandler(new JdkHandler(handler));
    requests.setMaxRequestCount(config.threads());
    requests.exclude(Lanes::isProbe, Lanes::isEventStream);
    server.setHandler(new GracefulHandler(new Edge(requests, config)));
    server.setErrorHandler(new JsonErrors());
    return server;
  }

  static ServerConnector connector(Server server) {
    return (ServerConnector) server.getConnectors()[0];
  }

  private static boolean isProbe(Request request) {
    String method = request.getMethod();
    return ("GET".equals(method) || "HEAD".equals(method))
        && PROBES.contains(Request.getPathInContext(request))
        && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
        && request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) <= 0;
  }

  private static boolean isEventStream(Request request) {
    return "GET".equals(request.getMethod()) && EVENTS.equals(Request.getPathInContext(request));
  }

  /**
   * Gives event streams a longer idle time: an open stream sends nothing but a comment line every
   * keep-alive interval, which may be longer than the read timeout, so its connection gets room for two.
   */
  private static final class Edge extends Handler.Wrapper {
    private final long streamIdleMillis;

    Edge(Handler next, DashboardConfig config) {
      super(next);
      this.streamIdleMillis = Math.max(config.readTimeout().toMillis(), 2 * config.keepAlive().toMillis());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      if (isEventStream(request)) {
        request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(streamIdleMillis);
      }
      return super.handle(request, response, callback);
    }
  }

  /** Runs a JDK-style handler on a Jetty request, on a pool thread since it blocks. */
  private static final class JdkHandler extends Handler.Abstract {
    private final HttpHandler handler;
    private final HttpContext context;

    JdkHandler(HttpHandler handler) {
      super(InvocationType.BLOCKING);
      this.handler = handler;
      this.context = new RootContext(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      URI target;
      try {
        target = new URI(request.getHttpURI().getPathQuery());
      } catch (URISyntaxException e) {
        // The JDK's server refused these before any handler too.
        Response.writeError(request, response, callback, 400, "malformed request target");
        return true;
      }
      JdkExchange exchange = new JdkExchange(request, response, context, target);
      try {
        handler.handle(exchange);
      } catch (IOException | RuntimeException e) {
        LOG.error("request {} {} failed", request.getMethod(), target.getRawPath(), e);
        if (exchange.getResponseCode() == -1) {
          try {
            exchange.sendResponseHeaders(500, -1);
          } catch (IOException unsent) {
            LOG.debug("could not answer 500: {}", unsent.toString());
          }
        }
      } finally {
        exchange.close();
      }
      callback.succeeded();
      return true;
    }
  }

  /** The one context the JDK-style handlers see; routing to mounted handlers is the dashboard's. */
  private static final class RootContext extends HttpContext {
    private final Map<String, Object> attributes = new HashMap<>();
    private HttpHandler handler;

    RootContext(HttpHandler handler) {
      this.handler = handler;
    }

    @Override
    public HttpHandler getHandler() {
      return handler;
    }

    @Override
    public void setHandler(HttpHandler handler) {
      this.handler = handler;
    }

    @Override
    public String getPath() {
      return "/";
    }

    @Override
    public HttpServer getServer() {
      throw new UnsupportedOperationException("the dashboard runs on Jetty; there is no JDK HttpServer");
    }

    @Override
    public Map<String, Object> getAttributes() {
      return attributes;
    }

    @Override
    public List<Filter> getFilters() {
      return List.of();
    }

    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
      throw new UnsupportedOperationException("the dashboard checks its token itself");
    }

    @Override
    public Authenticator getAuthenticator() {
      return null;
    }
  }

  /**
   * Requests Jetty refuses before any handler (a URI it will not decode: an encoded NUL or control
   * character, an ambiguous segment) get the API's own JSON error shape, not Jetty's HTML page. Jetty
   * keeps no detail of why, so the message says what such paths have in common.
   */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(
        Request request, Response response, int code, String message, Throwable cause, Callback callback) throws IOException {
      String error = code == HttpStatus.BAD_REQUEST_400
          ? "the request's path cannot be read: it holds an encoded character no API path has (such as a NUL,"
              + " %00, or another control character) or an ambiguous segment; fix the URL"
          : message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.write(true, ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(Map.of("error", error))), callback);
    }
  }
}
