package dev.flotilla.controller.forge.github;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.kohsuke.github.GHApp;
import org.kohsuke.github.GHAppCreateTokenBuilder;
import org.kohsuke.github.GHAppInstallation;
import org.kohsuke.github.GHAppInstallationToken;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GHPermissionType;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates as a GitHub App: a short JWT signed with the App's key for App-level calls (made
 * through hub4j: the App, its installations, their tokens), and for everything else an
 * installation token per organisation, cached and replaced five minutes before it expires. Run tokens are minted per run, limited to one repository and {@code contents: write}, plus {@code workflows: write} for a run whose migration may edit workflow files.
 */
final class AppAuth implements GitHubAuth {

  private static final Logger LOG = LoggerFactory.getLogger(AppAuth.class);
  private static final Duration REFRESH_EARLY = Duration.ofMinutes(5);
  private static final Duration JWT_LIFETIME = Duration.ofMinutes(9);
  private static final Map<String, GHPermissionType> CONTENTS = Map.of("contents", GHPermissionType.WRITE);
  /** GitHub refuses a push that creates or changes {@code .github/workflows/*} without {@code workflows}. */
  private static final Map<String, GHPermissionType> WITH_WORKFLOWS =
      Map.of("contents", GHPermissionType.WRITE, "workflows", GHPermissionType.WRITE);

  /** One installation of the App: on an organisation or a user account. */
  record Installation(long id, String account) {}

  private record Token(String value, Instant expiresAt) {}

  private final long appId;
  private final PrivateKey key;
  private final Clock clock;
  private final GitHub app;
  private volatile GHApp self;
  private final Map<String, Long> installationsByOwner = new ConcurrentHashMap<>();
  private final Map<Long, GHAppInstallation> installations = new ConcurrentHashMap<>();
  private final Map<Long, Token> tokens = new ConcurrentHashMap<>();
  /** The installation of each installation token's header, for telling budgets apart. */
  private final Map<String, Long> installationOfHeader = new ConcurrentHashMap<>();
  private volatile Token jwt;

  /** @param clients builds a hub4j client with the given credential; the App's own calls use its JWT */
  AppAuth(long appId, PrivateKey key, Function<AuthorizationProvider, GitHub> clients, Clock clock) {
    this.appId = appId;
    this.key = key;
    this.clock = clock;
    this.app = clients.apply(() -> "Bearer " + jwt());
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
  public String budgetKey(String authorization) {
    Long id = authorization == null ? null : installationOfHeader.get(authorization);
    if (id == null) {
      return "the App " + appId;
    }
    GHAppInstallation installation = installations.get(id);
    return "installation " + id + (installation == null ? "" : " (" + installation.getAccount().getLogin() + ")");
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public Optional<String> runToken(String owner, String repo, boolean workflows) {
    long installation = installationFor(owner);
    Token token;
    if (workflows) {
      try {
        token = mint(installation, builder -> builder.repositories(List.of(repo)).permissions(WITH_WORKFLOWS));
      } catch (GitHubException e) {
        if (e.status() != 422) {
          throw e;
        }
        // GitHub: "The permissions requested are not granted to this installation." The run goes on
        // with contents only; a push that touches a workflow is then refused and the run's reason
        // says which permission to grant.
        LOG.warn("the GitHub App {} may not grant workflows: write on {}; the run gets contents: write only."
            + " Give the App the repository permission \"Workflows: read and write\" and accept it on the installation", appId, owner);
        token = mint(installation, builder -> builder.repositories(List.of(repo)).permissions(CONTENTS));
      }
    } else {
      token = mint(installation, builder -> builder.repositories(List.of(repo)).permissions(CONTENTS));
    }
    LOG.debug("minted a run token for {}/{}{} valid until {}", owner, repo, workflows ? " with workflows: write" : "", token.expiresAt());
    return Optional.of(token.value());
  }

  /** Every installation of the App, asked afresh (discovery asks once a scan). */
  List<Installation> installations() {
    List<Installation> found = new ArrayList<>();
    try {
      for (GHAppInstallation installation : app().listInstallations().withPageSize(100)) {
        String account = installation.getAccount().getLogin();
        installations.put(installation.getId(), installation);
        installationsByOwner.put(account.toLowerCase(Locale.ROOT), installation.getId());
        found.add(new Installation(installation.getId(), account));
      }
    } catch (GHException e) {
      throw failure("listing the installations of GitHub App " + appId, e.getCause() instanceof IOException io ? io : new IOException(e));
    }
    LOG.debug("GitHub App {} is installed on {}", appId, found.stream().map(Installation::account).collect(Collectors.joining(", ")));
    return found;
  }

  /** The App itself, read once: hub4j lists installations from it. */
  private GHApp app() {
    GHApp known = self;
    if (known == null) {
      try {
        known = app.getApp();
      } catch (IOException e) {
        throw failure("reading GitHub App " + appId, e);
      }
      self = known;
    }
    return known;
  }

  /** The authorization header of one installation, for listing its repositories. */
  String authorization(Installation installation) {
    return "Bearer " + installationToken(installation.id()).value();
  }

  private long installationFor(String owner) {
    String key = owner.toLowerCase(Locale.ROOT);
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
      Token old = token;
      token = mint(installation, UnaryOperator.identity());
      tokens.put(installation, token);
      installationOfHeader.put("Bearer " + token.value(), installation);
      if (old != null) {
        installationOfHeader.remove("Bearer " + old.value());
      }
    }
    return token;
  }

  private boolean expiring(Token token) {
    return !clock.instant().plus(REFRESH_EARLY).isBefore(token.expiresAt());
  }

  private Token mint(long installation, UnaryOperator<GHAppCreateTokenBuilder> narrowed) {
    if (!installations.containsKey(installation)) {
      installations();
    }
    GHAppInstallation target = installations.get(installation);
    if (target == null) {
      throw new GitHubException("the GitHub App " + appId + " has no installation " + installation + " any more; reinstall it", 404);
    }
    try {
      GHAppInstallationToken token = narrowed.apply(target.createToken()).create();
      return new Token(token.getToken(), token.getExpiresAt().toInstant());
    } catch (IOException e) {
      throw failure("minting a token for installation " + installation, e);
    }
  }

  private static GitHubException failure(String what, IOException e) {
    int status = e instanceof HttpException http ? http.getResponseCode() : -1;
    // hub4j's message holds the whole answer; the status is what there is to act on.
    return new GitHubException(what + " failed with " + status, status, e);
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
