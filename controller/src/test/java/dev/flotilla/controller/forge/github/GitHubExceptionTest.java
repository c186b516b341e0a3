package dev.flotilla.controller.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitHubExceptionTest {

  @Test
  void masksTokensAServerEchoedIntoTheMessage() {
    String pat = "github_pat_11ABCDEFG0123456789abc_0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHI";
    String dotted = "ghs_AbCdEf0123456789.eyJhbGciOiJSUzI1NiJ9.c2lnbmF0dXJl";

    GitHubException e = new GitHubException("reading x failed with 401: Bad credentials " + pat + " / " + dotted, 401);

    assertThat(e.getMessage()).doesNotContain(pat, dotted, "ghs_", "github_pat_").contains("Bad credentials ****");
  }
}
