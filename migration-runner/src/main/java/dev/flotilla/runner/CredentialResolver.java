package dev.flotilla.runner;

import dev.flotilla.FlotillaException;
import dev.flotilla.runner.RunRequest.Credential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a {@link Credential} (where the secret lives) into the secret itself. The value is handed
 * to JGit and to {@link Secret#scrub}, and nowhere else.
 */
public final class CredentialResolver {

  /** The git user name sent with a bare token, as GitHub expects for installation tokens. */
  static final String DEFAULT_USERNAME = "x-access-token";

  private final Function<String, String> environment;

  private CredentialResolver(Function<String, String> environment) {
    this.environment = environment;
  }

  /** Reads variables from this process's environment. */
  public static CredentialResolver fromEnvironment() {
    return new CredentialResolver(System::getenv);
  }

  /** Reads variables from {@code environment}, so tests need no real environment. */
  public static CredentialResolver withEnvironment(Map<String, String> environment) {
    Map<String, String> copy = Map.copyOf(environment);
    return new CredentialResolver(copy::get);
  }

  /** The secret, or empty for {@code NONE}; throws naming where it looked, never the value. */
  public Optional<Secret> resolve(Credential credential) {
    String username =
        credential.username() == null || credential.username().isBlank()
            ? DEFAULT_USERNAME
            : credential.username();
    return switch (credential.source()) {
      case NONE -> Optional.empty();
      case ENV -> Optional.of(new Secret(username, fromVariable(credential.location())));
      case FILE -> Optional.of(new Secret(username, fromFile(credential.location())));
    };
  }

  private String fromVariable(String variable) {
    if (variable == null || variable.isBlank()) {
      throw new CredentialException("the credential names no environment variable; set credential.location");
    }
    String value = environment.apply(variable);
    if (value == null || value.isBlank()) {
      throw new CredentialException(
          "environment variable " + variable + " holding the git token is not set or empty");
    }
    return value.strip();
  }

  private static String fromFile(String location) {
    if (location == null || location.isBlank()) {
      throw new CredentialException("the credential names no file; set credential.location");
    }
    try {
      String value = Files.readString(Path.of(location), StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new CredentialException("credential file " + location + " is empty");
      }
      return value;
    } catch (NoSuchFileException e) {
      throw new CredentialException(
          "credential file " + location + " does not exist; check the Secret is mounted there");
    } catch (IOException e) {
      // The exception text holds the path and the OS error, never the file's content.
      throw new CredentialException("credential file " + location + " cannot be read: " + e.getMessage());
    }
  }

  /** A git credential that could not be found; the message says where Flotilla looked. */
  public static final class CredentialException extends FlotillaException {
    CredentialException(String message) {
      super(message);
    }
  }

  /** A user name and token; {@link #toString()} never shows the token. */
  public record Secret(String username, String token) {

    /** {@code text} with every occurrence of the token masked. */
    public String scrub(String text) {
      return text == null || token.isEmpty() ? text : text.replace(token, "****");
    }

    @Override
    public String toString() {
      return "Secret[username=" + username + ", token=****]";
    }
  }
}
