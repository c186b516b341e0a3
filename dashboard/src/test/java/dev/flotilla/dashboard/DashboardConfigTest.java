package dev.flotilla.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardConfigTest {

  @Test
  void defaultsAreLoopbackReadOnlyAndBounded() {
    DashboardConfig c = DashboardConfig.fromEnv(Map.of());
    assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.token()).isEmpty();
    assertThat(c.readsNeedToken()).isFalse();
    assertThat(c.maxBodyBytes()).isEqualTo(65536);
    assertThat(c.maxEventClients()).isEqualTo(32);
    assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.stalePullRequestAfter()).isEqualTo(Duration.ofDays(7));
    assertThat(c.corsOrigins()).isEmpty();
  }

  @Test
  void readsEverySetting() {
    DashboardConfig c = DashboardConfig.fromEnv(Map.ofEntries(
        Map.entry("FLOTILLA_DASHBOARD_BIND", "0.0.0.0"),
        Map.entry("FLOTILLA_DASHBOARD_PORT", "9090"),
        Map.entry("FLOTILLA_DASHBOARD_TOKEN", "0123456789abcdef0123"),
        Map.entry("FLOTILLA_DASHBOARD_READS_NEED_TOKEN", "TRUE"),
        Map.entry("FLOTILLA_DASHBOARD_MAX_BODY_BYTES", "1024"),
        Map.entry("FLOTILLA_DASHBOARD_MAX_EVENT_CLIENTS", "5"),
        Map.entry("FLOTILLA_DASHBOARD_KEEPALIVE_SECONDS", "30"),
        Map.entry("FLOTILLA_DASHBOARD_STALE_PR_DAYS", "14"),
        Map.entry("FLOTILLA_DASHBOARD_CORS_ORIGINS", "https://backstage.example.com, http://localhost:3000"),
        Map.entry("FLOTILLA_DASHBOARD_THREADS", "4"),
        Map.entry("FLOTILLA_DASHBOARD_READ_TIMEOUT_SECONDS", "5"),
        Map.entry("FLOTILLA_DASHBOARD_MAX_CONNECTIONS", "200")));
    assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.token()).hasValue("0123456789abcdef0123");
    assertThat(c.readsNeedToken()).isTrue();
    assertThat(c.maxBodyBytes()).isEqualTo(1024);
    assertThat(c.maxEventClients()).isEqualTo(5);
    assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.stalePullRequestAfter()).isEqualTo(Duration.ofDays(14));
    assertThat(c.corsOrigins()).containsExactly("https://backstage.example.com", "http://localhost:3000");
    assertThat(c.threads()).isEqualTo(4);
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.maxConnections()).isEqualTo(200);
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_PORT", "eighty")))
        .isInstanceOf(DashboardConfigException.class)
        .hasMessage("FLOTILLA_DASHBOARD_PORT='eighty' is invalid: expected a whole number between 0 and 65535");
    assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_MAX_BODY_BYTES", "0")))
        .hasMessageStartingWith("FLOTILLA_DASHBOARD_MAX_BODY_BYTES='0' is invalid");
    assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_READS_NEED_TOKEN", "yes")))
        .hasMessage("FLOTILLA_DASHBOARD_READS_NEED_TOKEN='yes' is invalid: expected true or false");
    assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_CORS_ORIGINS", "*")))
        .hasMessageContaining("FLOTILLA_DASHBOARD_CORS_ORIGINS").hasMessageContaining("no wildcard");
    assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_READ_TIMEOUT_SECONDS", "0")))
        .hasMessage("FLOTILLA_DASHBOARD_READ_TIMEOUT_SECONDS='0' is invalid: expected a whole number between 1 and 300");
  }

  @Test
  void readsNeedingATokenNeedsAToken() {
    assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_READS_NEED_TOKEN", "true")))
        .hasMessage("FLOTILLA_DASHBOARD_READS_NEED_TOKEN=true needs FLOTILLA_DASHBOARD_TOKEN to be set");
  }

  @Test
  void shortTokenIsRefusedWithoutRepeatingIt() {
    assertThatThrownBy(() -> DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_TOKEN", "hunter2")))
        .hasMessageContaining("FLOTILLA_DASHBOARD_TOKEN must be at least 16")
        .message().doesNotContain("hunter2");
  }

  @Test
  void toStringHidesTheToken() {
    DashboardConfig c = DashboardConfig.fromEnv(Map.of("FLOTILLA_DASHBOARD_TOKEN", "0123456789abcdef-secret"));
    assertThat(c.toString()).contains("token=<set>").doesNotContain("secret");
  }
}
