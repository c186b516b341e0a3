package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.dashboard.testkit.InMemoryFleet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that connect and then stall (slowloris), and more live-update streams than the server allows,
 * must not stop the probes or the API: they hold no request thread, and the server closes them.
 */
class SlowClientsIT {

  private static final int READ_TIMEOUT_SECONDS = 3;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Socket> sockets = new ArrayList<>();
  private DashboardServer server;
  private URI base;

  @BeforeEach
  void start() {
    // The defaults: 8 request threads and 32 event streams, which 41 stalled clients used to exhaust.
    DashboardConfig config = DashboardConfig.fromEnv(Map.of(
        DashboardConfig.PORT, "0",
        DashboardConfig.TOKEN, TestFleet.TOKEN,
        DashboardConfig.KEEPALIVE_SECONDS, "1",
        DashboardConfig.READ_TIMEOUT_SECONDS, String.valueOf(READ_TIMEOUT_SECONDS)));
    InMemoryFleet fleet = TestFleet.build();
    server = new DashboardServer(config, fleet, fleet, new FleetMetrics(fleet), Clock.fixed(TestFleet.NOW, ZoneOffset.UTC));
    base = server.start();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    server.stop(Duration.ZERO);
  }

  @Test
  void probesAndApiAnswerWhileHundredsOfClientsStallAndStreamsAreFull() throws Exception {
    // A server that has answered before: the first answers load the JSON classes, seconds on a busy machine.
    assertThat(http.send(HttpRequest.newBuilder(base.resolve("/api/campaigns")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    List<Socket> streams = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      streams.add(send("GET /api/events HTTP/1.1\r\nHost: dashboard\r\nAccept: text/event-stream\r\n\r\n"));
    }
    List<Socket> stalledHeaders = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      stalledHeaders.add(send("GET /api/campaigns HTTP/1.1\r\nHost: dashboard\r\nX-Half: "));
    }
    List<Socket> stalledBodies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      stalledBodies.add(send("POST /api/rescan HTTP/1.1\r\nHost: dashboard\r\nAuthorization: Bearer " + TestFleet.TOKEN
          + "\r\nContent-Length: 100\r\n\r\n{\"a\":"));
    }
    long stalledAt = System.nanoTime();

    HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/healthz"))
        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> campaigns = http.send(HttpRequest.newBuilder(base.resolve("/api/campaigns"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(campaigns.statusCode()).isEqualTo(200);
    assertThat(campaigns.body()).contains("jackson-2-18");

    List<String> streamStatus = new ArrayList<>();
    for (Socket s : streams) {
      streamStatus.add(statusLine(s));
    }
    assertThat(streamStatus).filteredOn(l -> l.contains(" 200")).hasSize(32);
    assertThat(streamStatus).filteredOn(l -> l.contains(" 503")).hasSize(8);

    for (Socket s : stalledHeaders) {
      assertClosedByServer(s, stalledAt);
    }
    for (Socket s : stalledBodies) {
      assertClosedByServer(s, stalledAt);
    }
    // The read timeout is for reading requests: open streams outlive it on their keep-alive lines.
    assertThat(System.nanoTime() - stalledAt).isGreaterThan(Duration.ofSeconds(READ_TIMEOUT_SECONDS).toNanos());
    for (int i = 0; i < streams.size(); i++) {
      if (streamStatus.get(i).contains(" 200")) {
        assertThat(readUntil(streams.get(i), ": keep-alive")).as("stream %d still open", i).isTrue();
      }
    }
  }

  private Socket send(String partialRequest) throws IOException {
    Socket s = new Socket(base.getHost(), base.getPort());
    sockets.add(s);
    s.setSoTimeout((int) Duration.ofSeconds(READ_TIMEOUT_SECONDS + 10).toMillis());
    OutputStream out = s.getOutputStream();
    out.write(partialRequest.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  private static String statusLine(Socket s) throws IOException {
    StringBuilder line = new StringBuilder();
    InputStream in = s.getInputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }

  /** Reads until end of stream; fails if the server keeps the connection open past the timeout plus slack. */
  private static void assertClosedByServer(Socket s, long since) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[1024];
    try {
      while (in.read(buf) != -1) {
        // a 408 or 400 answer is fine; the connection must end after it
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("a stalled connection was still open "
          + Duration.ofNanos(System.nanoTime() - since).toSeconds() + " s after it stalled", e);
    } catch (IOException reset) {
      // a reset is a close too
    }
  }

  /** Skips what already arrived, then waits for {@code marker} to arrive anew. */
  private static boolean readUntil(Socket s, String marker) throws IOException {
    InputStream in = s.getInputStream();
    in.skipNBytes(in.available());
    StringBuilder seen = new StringBuilder();
    byte[] buf = new byte[256];
    int n;
    while ((n = in.read(buf)) != -1) {
      seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      if (seen.indexOf(marker) >= 0) {
        return true;
      }
    }
    return false;
  }
}
