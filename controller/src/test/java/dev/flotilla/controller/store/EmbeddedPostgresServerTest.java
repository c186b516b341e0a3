package dev.flotilla.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

  @TempDir Path data;

  /**
   * A controller's PostgreSQL writes its pid file before it listens. A second process that looks in
   * that moment must wait and attach, not start its own PostgreSQL and lock the controller out.
   */
  @Test
  void attachesToAPostgresThatIsStillStartingInsteadOfStartingASecond() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Files.createDirectories(data.resolve("postgres"));
    Files.writeString(data.resolve("postgres").resolve("postmaster.pid"),
        ProcessHandle.current().pid() + "\n" + data + "\n1700000000\n" + port + "\n");
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    int listenOn = port;
    ScheduledFuture<ServerSocket> listening = later.schedule(() -> new ServerSocket(listenOn), 1, TimeUnit.SECONDS);
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrAttach(data, false)) {
      assertThat(server.port()).isEqualTo(port);
      assertThat(server.jdbcUrl()).contains(":" + port + "/");
    } finally {
      listening.get().close();
      later.shutdownNow();
    }
  }
}
