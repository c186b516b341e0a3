package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.forge.github.GitHubFixtures.BRANCH;
import static dev.flotilla.controller.forge.github.GitHubFixtures.REPO;
import static dev.flotilla.controller.forge.github.GitHubFixtures.SHA;
import static dev.flotilla.controller.forge.github.GitHubFixtures.TOKEN;
import static dev.flotilla.controller.forge.github.GitHubFixtures.WEBHOOK_SECRET;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;
import static dev.flotilla.controller.forge.github.GitHubFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.flotilla.controller.model.MergeMethod;
import dev.flotilla.controller.model.PullRequestSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class GitHubSecretsIT {

  @RegisterExtension
  static WireMockExtension github = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.flotilla.controller.forge.github");
  private Level level;

  @BeforeEach
  void captureLogs() {
    level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
    logger.setLevel(level);
  }

  @Test
  void noTokenInLogsOrExceptionsWhenEveryCallFails() {
    github.stubFor(any(anyUrl()).willReturn(json(500, message("Server Error for " + "Bearer"))));
    GitHubForge forge = GitHubFixtures.forge(github.baseUrl(), new GitHubFixtures.RecordingSleeper(), ApiCallCounter.NONE);
    List<Throwable> thrown = new ArrayList<>();

    List<Runnable> calls = List.of(
        forge::listRepositories,
        () -> forge.openPullRequest(REPO, new PullRequestSpec(BRANCH, "main", "t", "b", List.of("x"), List.of("y"))),
        () -> forge.getPullRequest(REPO, 7),
        () -> forge.ciStatus(REPO, SHA),
        () -> forge.merge(REPO, 7, SHA, MergeMethod.SQUASH),
        () -> forge.deleteBranch(REPO, BRANCH));
    for (Runnable call : calls) {
      try {
        call.run();
      } catch (GitHubException e) {
        thrown.add(e);
      }
    }

    assertThat(thrown).hasSize(calls.size());
    assertThat(thrown).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThat(logs.list).isNotEmpty();
    assertThat(logs.list).allSatisfy(event -> assertThat(rendered(event)).doesNotContain(TOKEN, WEBHOOK_SECRET));
    assertThat(forge.toString()).doesNotContain(TOKEN, WEBHOOK_SECRET);
  }

  @Test
  void badCredentialsAreReportedWithoutTheToken() {
    github.stubFor(any(anyUrl()).willReturn(json(401, message("Bad credentials"))));
    GitHubForge forge = GitHubFixtures.forge(github.baseUrl(), new GitHubFixtures.RecordingSleeper(), ApiCallCounter.NONE);

    try {
      forge.getPullRequest(REPO, 7);
    } catch (GitHubException e) {
      assertThat(e.getMessage()).contains("401", "Bad credentials").doesNotContain(TOKEN);
      assertThat(e.status()).isEqualTo(401);
      return;
    }
    throw new AssertionError("a 401 must fail the call");
  }

  private static String rendered(ILoggingEvent event) {
    String text = event.getFormattedMessage();
    return event.getThrowableProxy() == null ? text : text + ThrowableProxyUtil.asString(event.getThrowableProxy());
  }
}
