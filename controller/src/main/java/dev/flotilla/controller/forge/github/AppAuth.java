package dev.flotilla.controller.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates as a GitHub App: a short JWT signed with the App's key for App-level calls, and for
 * everything else an installation token per organisation, cached and replaced five minutes before
 * it expires. Run tokens are minted per run, limited to one repository and {@code contents: write}.
 */
final class AppAuth implements GitHubAuth {

  private static final Logger LOG = LoggerFactory.getLogger(AppAuth.class);
  private static final Duration REFRESH_EARLY = Duration.ofMinutes(5);
  private static final Duration JWT_LIFETIME = Duration.ofMinutes(9);

  /** One installation of the App: on an organisation or a user account. */
  record Installation(long id, String account) {}

  private record Token(String value, Instant expiresAt) {}

  private final long appId;
  private final PrivateKey key;
  private final GitHubClient client;
  private final Clock clock;
  private final Map<String, Long> installationsByOwner = new ConcurrentHashMap<>();
  private final Map<Long, Token> tokens = new ConcurrentHashMap<>();
  private volatile Token jwt;

  AppAuth(long appId, PrivateKey key, GitHubClient client, Clock clock) {
    this.appId = appId;
    this.key = key;
    this.client = client;
    this.clock = clock;
  }

  /** Reads a PEM private key as GitHub hands it out (PKCS#1) or converted (PKCS#8). */
  static PrivateKey readKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new GitHubException(
          "cannot read the GitHub App key " + file + " (FLOTILLA_GITHUB_APP_KEY_FILE): " + e.getClass().getSimpleName(), -1);
    }
    boolean pkcs1 = pem.contains("BEGIN RSA PRIVATE KEY");
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs1ToPkcs8(der) : der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // The key's bytes stay out of the message; the file name is enough to act on.
      throw new GitHubException(
          "the GitHub App key " + file + " (FLOTILLA_GITHUB_APP_KEY_FILE) is not an RSA private key in PEM form;"
              + " download a new one from the App's settings page", -1);
    }
  }

  @Override
  public String authorization(String owner) {
    long installation = installationFor(owner);
    return "Bearer " + installationToken(installation).value();
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public Optional<String> runToken(String owner, String repo) {
    long installation = installationFor(owner);
    ObjectNode body = client.json().createObjectNode();
    body.putArray("repositories").add(repo);
    body.putObject("permissions").put("contents", "write");
    Token token = mint(installation, body);
    LOG.debug("minted a run token for {}/{} valid until {}", owner, repo, token.expiresAt());
    return Optional.of(token.value());
  }

  /** Every installation of the App, asked afresh (discovery asks once a scan). */
  List<Installation> installations() {
    List<JsonNode> items =
        client.getAll("GET /app/installations", "/app/installations?per_page=100", "Bearer " + jwt(), null);
    List<Installation> found =
        items.stream().map(i -> new Installation(i.path("id").asLong(), i.path("account").path("login").asText())).toList();
    found.forEach(i -> installationsByOwner.put(i.account().toLowerCase(java.util.Locale.ROOT), i.id()));
    LOG.debug("GitHub App {} is installed on {}", appId, found.stream().map(Installation::account).collect(Collectors.joining(", ")));
    return found;
  }

  /** The authorization header of one installation, for listing its repositories. */
  String authorization(Installation installation) {
    return "Bearer " + installationToken(installation.id()).value();
  }

  private long installationFor(String owner) {
    String key = owner.toLowerCase(java.util.Locale.ROOT);
    Long id = installationsByOwner.get(key);
    if (id == null) {
      installations();
      id = installationsByOwner.get(key);
    }
    if (id == null) {
      throw new GitHubException(
          "the GitHub App " + appId + " is not installed on " + owner + "; install it on that organisation or user", 404);
    }
    return id;
  }

  private Token installationToken(long installation) {
    Token token = tokens.get(installation);
    if (token == null || expiring(token)) {
      token = mint(installation, null);
      tokens.put(installation, token);
    }
    return token;
  }

  private boolean expiring(Token token) {
    return !clock.instant().plus(REFRESH_EARLY).isBefore(token.expiresAt());
  }

  private Token mint(long installation, ObjectNode body) {
    String path = "/app/installations/" + installation + "/access_tokens";
    GitHubClient.Response response =
        client.send(
            GitHubClient.Request.post("POST /app/installations/{id}/access_tokens", path, body)
                .auth("Bearer " + jwt()));
    GitHubClient.requireOk(response, "minting a token for installation " + installation);
    return new Token(response.body().path("token").asText(), Instant.parse(response.body().path("expires_at").asText()));
  }

  private synchronized String jwt() {
    Instant now = clock.instant();
    if (jwt == null || expiring(jwt)) {
      // Back-dated a minute: GitHub refuses tokens issued in its future when clocks drift.
      Instant expires = now.plus(JWT_LIFETIME);
      String value =
          Jwts.builder()
              .issuer(String.valueOf(appId))
              .issuedAt(Date.from(now.minusSeconds(60)))
              .expiration(Date.from(expires))
              .signWith(key, Jwts.SIG.RS256)
              .compact();
      jwt = new Token(value, expires);
    }
    return jwt.value();
  }

  /** Wraps a PKCS#1 RSA key in the PKCS#8 envelope the JDK reads. */
  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    int length = pkcs1.length;
    int total = length + 22;
    byte[] header = {
      0x30, (byte) 0x82, (byte) (total >> 8), (byte) total,
      0x02, 0x01, 0x00,
      0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00,
      0x04, (byte) 0x82, (byte) (length >> 8), (byte) length
    };
    byte[] pkcs8 = new byte[header.length + length];
    System.arraycopy(header, 0, pkcs8, 0, header.length);
    System.arraycopy(pkcs1, 0, pkcs8, header.length, length);
    return pkcs8;
  }

  @Override
  public String toString() {
    return "app " + appId;
  }
}
