package dev.flotilla.controller.forge.github;

import dev.flotilla.controller.config.ConfigException;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How to reach GitHub or GitHub Enterprise and what to scan. Authenticates with a token, or as a
 * GitHub App when {@code appId} and {@code appKey} are given (the App wins when both are).
 *
 * @param url the API root: {@code https://api.github.com}, or {@code https://HOST/api/v3}
 * @param orgs organisations to scan; empty scans everything the token or App can see
 * @param webhookSecret the secret webhook deliveries are signed with, or null to refuse them all
 * @param dashboardUrl linked from pull request bodies, or null
 */
public record GitHubConfig(
    URI url,
    Secret token,
    Long appId,
    Path appKey,
    List<String> orgs,
    boolean includeForks,
    Secret webhookSecret,
    URI dashboardUrl) {

  public static final URI PUBLIC_API = URI.create("https://api.github.com");
  private static final String SOURCE = "environment";

  public GitHubConfig {
    url = url == null ? PUBLIC_API : stripTrailingSlash(url);
    orgs = orgs == null ? List.of() : List.copyOf(orgs);
    if (appId == null && token == null) {
      throw new ConfigException(SOURCE, 0,
          "FLOTILLA_FORGE=github needs FLOTILLA_GITHUB_TOKEN, or FLOTILLA_GITHUB_APP_ID with FLOTILLA_GITHUB_APP_KEY_FILE");
    }
    if (appId != null && appKey == null) {
      throw new ConfigException(SOURCE, 0,
          "FLOTILLA_GITHUB_APP_ID is set but FLOTILLA_GITHUB_APP_KEY_FILE is not: give the path of the App's PEM private key");
    }
  }

  public static GitHubConfig from(Settings settings) {
    return new GitHubConfig(
        settings.get(Settings.GITHUB_URL),
        settings.get(Settings.GITHUB_TOKEN),
        settings.get(Settings.GITHUB_APP_ID),
        settings.get(Settings.GITHUB_APP_KEY_FILE),
        settings.get(Settings.GITHUB_ORGS),
        Boolean.TRUE.equals(settings.get(Settings.GITHUB_INCLUDE_FORKS)),
        settings.get(Settings.GITHUB_WEBHOOK_SECRET),
        settings.get(Settings.DASHBOARD_URL));
  }

  public boolean usesApp() {
    return appId != null;
  }

  private static URI stripTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }

  @Override
  public String toString() {
    return "GitHubConfig[url=" + url
        + ", auth=" + (usesApp() ? "app " + appId + " (key " + appKey + ")" : "token")
        + ", orgs=" + orgs
        + ", includeForks=" + includeForks
        + ", webhookSecret=" + (webhookSecret == null ? "unset" : "<hidden>")
        + ", dashboardUrl=" + dashboardUrl + "]";
  }
}
