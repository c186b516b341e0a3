package dev.flotilla.controller.forge.github.sim;

import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.forge.github.ApiCallCounter;
import dev.flotilla.controller.forge.github.EtagCache;
import dev.flotilla.controller.forge.github.GitHubConfig;
import dev.flotilla.controller.forge.github.GitHubForge;
import dev.flotilla.controller.forge.github.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** The GitHub App Flotilla runs as against a {@link GitHubSim}: a fresh RSA key, its config, and the real forge. */
public final class SimApp {

  public static final String WEBHOOK_SECRET = "sim-webhook-secret";

  private SimApp() {}

  /** Writes the App's PKCS#8 PEM key to {@code dir} and returns the App's config for {@code sim}. */
  public static GitHubConfig config(GitHubSim sim, Path dir, List<String> orgs) {
    try {
      String pem = appKeyPem();
      Path key = Files.createDirectories(dir).resolve("app-key.pem");
      Files.writeString(key, pem, StandardCharsets.US_ASCII);
      return new GitHubConfig(sim.apiUrl(), null, sim.appId(), key, orgs, false, Secret.of(WEBHOOK_SECRET),
          URI.create("http://flotilla.example.com"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String appKeyPem;

  /** One key per test JVM: generating a 2048-bit RSA key takes most of a second on a busy machine. */
  private static synchronized String appKeyPem() {
    if (appKeyPem == null) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
        appKeyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END PRIVATE KEY-----\n";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return appKeyPem;
  }

  /** The real GitHub forge against {@code sim}, waiting for real (limits answer with short {@code Retry-After}s in tests). */
  public static GitHubForge forge(GitHubConfig config, ApiCallCounter counter) {
    return GitHubForge.create(config, counter, new EtagCache(), Clock.systemUTC(), Sleeper.REAL, Duration.ofSeconds(20));
  }
}
