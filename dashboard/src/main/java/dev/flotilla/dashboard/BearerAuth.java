package dev.flotilla.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured token. Both sides are hashed
 * first so the comparison takes the same time whatever the length or the first wrong byte.
 */
final class BearerAuth {

  private static final String PREFIX = "Bearer ";

  private final Optional<byte[]> expectedDigest;

  BearerAuth(Optional<String> token) {
    this.expectedDigest = token.map(BearerAuth::sha256);
  }

  boolean configured() {
    return expectedDigest.isPresent();
  }

  /**
   * @throws ApiException 401 when the header is missing, 403 when the token is wrong or none is
   *     configured; the messages never contain what was sent
   */
  void check(String authorizationHeader) {
    if (expectedDigest.isEmpty()) {
      throw new ApiException(403, "Changes are disabled on this dashboard: the operator must set "
          + DashboardConfig.TOKEN + " on the controller");
    }
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new ApiException(401, "This needs the dashboard token: send 'Authorization: Bearer <token>'"
          + " (on the web page: 'Sign in' at the top right)");
    }
    byte[] given = sha256(authorizationHeader.substring(PREFIX.length()).strip());
    if (!MessageDigest.isEqual(expectedDigest.get(), given)) {
      throw new ApiException(403, "The dashboard token is wrong: check it with whoever runs Flotilla"
          + " and sign in again");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime ships SHA-256", e);
    }
  }
}
