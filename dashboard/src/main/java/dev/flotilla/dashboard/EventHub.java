package dev.flotilla.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import dev.flotilla.dashboard.port.FleetEvent;
import dev.flotilla.dashboard.port.FleetEventSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans fleet events out to server-sent-event streams. Each stream has a small queue; a stream that falls
 * behind gets one {@code resync} event instead of a backlog, and the page re-reads everything.
 */
final class EventHub implements FleetEventSink {

  private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
  private static final int QUEUE_SIZE = 64;
  private static final String RESYNC = "event: resync\ndata: {}\n\n";
  // No real frame is empty, so the empty string can mean "stop".
  private static final String CLOSE = "";

  private final Semaphore slots;
  private final Duration keepAlive;
  private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  EventHub(int maxClients, Duration keepAlive) {
    this.slots = new Semaphore(maxClients);
    this.keepAlive = keepAlive;
  }

  @Override
  public void publish(FleetEvent event) {
    String frame;
    try {
      frame = "event: fleet\ndata: " + Json.MAPPER.writeValueAsString(event) + "\n\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a FleetEvent record always serialises", e);
    }
    for (BlockingQueue<String> queue : clients) {
      if (!queue.offer(frame)) {
        queue.clear();
        queue.offer(RESYNC);
      }
    }
  }

  int clientCount() {
    return clients.size();
  }

  /** Serves one stream on the calling thread until the client leaves or the hub closes. */
  void stream(HttpExchange exchange) throws IOException {
    if (closed || !slots.tryAcquire()) {
      throw new ApiException(503, "Too many live-update streams are open; close other dashboard tabs"
          + " or ask the operator to raise " + DashboardConfig.MAX_EVENT_CLIENTS);
    }
    BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    clients.add(queue);
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      // Tells nginx-style proxies not to buffer the stream.
      exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      write(out, "retry: 3000\n: connected\n\n");
      pump(queue, out);
    } catch (IOException e) {
      // The usual end of a stream: the browser tab closed or navigated away.
      LOG.debug("event stream to {} ended: {}", exchange.getRemoteAddress(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.debug("event stream to {} interrupted by shutdown", exchange.getRemoteAddress());
    } finally {
      clients.remove(queue);
      slots.release();
      exchange.close();
    }
  }

  private void pump(BlockingQueue<String> queue, OutputStream out) throws IOException, InterruptedException {
    while (!closed) {
      String frame = queue.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
      if (CLOSE.equals(frame) || closed) {
        return;
      }
      write(out, frame == null ? ": keep-alive\n\n" : frame);
    }
  }

  /** Ends every stream so the server can stop without waiting for browsers. */
  void close() {
    closed = true;
    clients.forEach(q -> {
      q.clear();
      q.offer(CLOSE);
    });
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
