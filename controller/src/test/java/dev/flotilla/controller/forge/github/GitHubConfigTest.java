package dev.flotilla.controller.forge.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitHubConfigTest {

  @Test
  void needsATokenOrAnApp() {
    assertThatThrownBy(() -> new GitHubConfig(null, null, null, null, List.of(), false, null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FLOTILLA_GITHUB_TOKEN")
        .hasMessageContaining("FLOTILLA_GITHUB_APP_ID");
  }

  @Test
  void anAppNeedsItsKeyFile() {
    assertThatThrownBy(() -> new GitHubConfig(null, null, 12L, null, List.of(), false, null, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FLOTILLA_GITHUB_APP_KEY_FILE");
  }

  @Test
  void readsTheSettingsAndHidesTheSecrets() {
    Settings settings = Settings.from(Map.of(
        "FLOTILLA_FORGE", "github",
        "FLOTILLA_GITHUB_URL", "https://ghe.acme.example/api/v3",
        "FLOTILLA_GITHUB_APP_ID", "12345",
        "FLOTILLA_GITHUB_APP_KEY_FILE", "/etc/flotilla/app.pem",
        "FLOTILLA_GITHUB_ORGS", "acme,acme-labs",
        "FLOTILLA_GITHUB_WEBHOOK_SECRET", "hook-secret-value"));

    GitHubConfig config = GitHubConfig.from(settings);

    assertThat(config.usesApp()).isTrue();
    assertThat(config.appKey()).isEqualTo(Path.of("/etc/flotilla/app.pem"));
    assertThat(config.orgs()).containsExactly("acme", "acme-labs");
    assertThat(config.url()).hasToString("https://ghe.acme.example/api/v3");
    assertThat(config.toString()).doesNotContain("hook-secret-value");
  }
}
