package dev.flotilla.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.runner.CredentialResolver.CredentialException;
import dev.flotilla.runner.CredentialResolver.Secret;
import dev.flotilla.runner.RunRequest.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {

  @TempDir Path tmp;

  private final CredentialResolver resolver = CredentialResolver.withEnvironment(Map.of("GIT_TOKEN", "tok-123\n"));

  @Test
  void resolvesNothingForNone() {
    assertThat(resolver.resolve(Credential.NONE)).isEmpty();
  }

  @Test
  void readsTheTokenFromTheVariableWithTheGithubUserNameByDefault() {
    assertThat(resolver.resolve(Credential.env("GIT_TOKEN", null))).contains(new Secret("x-access-token", "tok-123"));
  }

  @Test
  void readsTheTokenFromAFileWithTheGivenUserName() throws Exception {
    Path file = tmp.resolve("token");
    Files.writeString(file, "  tok-456\n");

    assertThat(resolver.resolve(Credential.file(file.toString(), "bot"))).contains(new Secret("bot", "tok-456"));
  }

  @Test
  void namesTheMissingVariable() {
    assertThatThrownBy(() -> resolver.resolve(Credential.env("OTHER", null)))
        .isInstanceOf(CredentialException.class)
        .hasMessage("environment variable OTHER holding the git token is not set or empty");
  }

  @Test
  void namesTheMissingFile() {
    Path missing = tmp.resolve("absent");

    assertThatThrownBy(() -> resolver.resolve(Credential.file(missing.toString(), null)))
        .hasMessage("credential file " + missing + " does not exist; check the Secret is mounted there");
  }

  @Test
  void refusesAnEmptyFile() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty"), "\n");

    assertThatThrownBy(() -> resolver.resolve(Credential.file(empty.toString(), null)))
        .hasMessage("credential file " + empty + " is empty");
  }

  @Test
  void neverShowsTheTokenInTextOrToString() {
    Secret secret = new Secret("bot", "tok-123");

    assertThat(secret.toString()).doesNotContain("tok-123");
    assertThat(secret.scrub("auth with tok-123 failed")).isEqualTo("auth with **** failed");
  }

  @Test
  void dropsUserInfoFromUrls() {
    assertThat(Runner.withoutUserInfo("clone of https://bot:tok@github.com/acme/x.git failed"))
        .isEqualTo("clone of https://github.com/acme/x.git failed");
  }
}
