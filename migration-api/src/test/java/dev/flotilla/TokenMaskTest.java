package dev.flotilla;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenMaskTest {

  @Test
  void masksClassicTokens() {
    assertThat(TokenMask.mask("token ghp_16C7e42F292c6912E7710c838347Ae178B4a used"))
        .isEqualTo("token **** used");
    assertThat(TokenMask.mask("ghs_16C7e42F292c6912E7710c838347Ae178B4a")).isEqualTo("****");
  }

  @Test
  void masksInstallationTokensThatContainDotsWhole() {
    String token = "ghs_AbCdEf0123456789.eyJhbGciOiJSUzI1NiJ9.c2lnbmF0dXJlLXBhcnQ_-x";
    assertThat(TokenMask.mask("push with " + token + " refused.")).isEqualTo("push with **** refused.");
  }

  @Test
  void masksFineGrainedPersonalAccessTokens() {
    String token = "github_pat_11ABCDEFG0123456789abc_0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHI";
    assertThat(TokenMask.mask("Authorization failed for " + token)).isEqualTo("Authorization failed for ****");
  }

  @Test
  void masksTheUserInfoOfAUrl() {
    assertThat(TokenMask.mask("https://x-access-token:s3cr3t@github.com/acme/api.git"))
        .isEqualTo("https://****@github.com/acme/api.git");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "ghp_short and github_pat_ and ghs_ and the branch gh-pages at v1.2.3";
    assertThat(TokenMask.mask(text)).isEqualTo(text);
    assertThat(TokenMask.mask(null)).isNull();
  }
}
