package dev.flotilla.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A Jetty request as the JDK's {@link HttpExchange}, behaving as the JDK's own does where handlers can
 * tell: the URI is the target as sent (path and query, still encoded), the response code is -1 until
 * {@link #sendResponseHeaders} is called, a length of -1 means no body, and {@link #close} never throws.
 * So the dashboard's handlers and the controller's mounted ones run unchanged.
 */
final class JdkExchange extends HttpExchange {

  private final Request request;
  private final Response response;
  private final HttpContext context;
  private final URI uri;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private InputStream in;
  private OutputStream out;
  private int responseCode = -1;

  JdkExchange(Request request, Response response, HttpContext context, URI uri) {
    this.request = request;
    this.response = response;
    this.context = context;
    this.uri = uri;
    for (HttpField field : request.getHeaders()) {
      if (field.getValue() != null) {
        requestHeaders.add(field.getName(), field.getValue());
      }
    }
    this.in = Content.Source.asInputStream(request);
    this.out = Content.Sink.asOutputStream(response);
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return request.getMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return context;
  }

  @Override
  public InputStream getRequestBody() {
    return in;
  }

  @Override
  public OutputStream getResponseBody() {
    return out;
  }

  @Override
  public void sendResponseHeaders(int code, long length) throws IOException {
    if (responseCode != -1) {
      throw new IOException("headers already sent");
    }
    responseCode = code;
    response.setStatus(code);
    for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
      for (String value : header.getValue()) {
        response.getHeaders().add(header.getKey(), value);
      }
    }
    if (length > 0) {
      response.getHeaders().put("Content-Length", Long.toString(length));
    } else if (length == -1 && code != 204 && code != 304) {
      response.getHeaders().put("Content-Length", "0");
    }
  }

  @Override
  public int getResponseCode() {
    return responseCode;
  }

  /** Ends the response; a client that left is no error of the handler that answered it. */
  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // unread body: Jetty discards it or closes the connection
    }
    try {
      out.close();
    } catch (IOException gone) {
      // the client went away; there is no one to tell
    }
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return inet(request.getConnectionMetaData().getRemoteSocketAddress());
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return inet(request.getConnectionMetaData().getLocalSocketAddress());
  }

  private static InetSocketAddress inet(SocketAddress address) {
    return address instanceof InetSocketAddress inet ? inet : null;
  }

  @Override
  public String getProtocol() {
    return request.getConnectionMetaData().getProtocol();
  }

  @Override
  public Object getAttribute(String name) {
    return request.getAttribute(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    request.setAttribute(name, value);
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      in = i;
    }
    if (o != null) {
      out = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }
}
