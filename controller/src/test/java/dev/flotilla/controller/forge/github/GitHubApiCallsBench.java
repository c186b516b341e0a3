package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.flotilla.controller.forge.github.GitHubFixtures.json;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import dev.flotilla.controller.model.RepositoryRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Counts the GitHub API calls Flotilla's discovery spends on a fleet of 1,000 repositories served by
 * WireMock: a first scan and a rescan of the unchanged fleet, where ETags make pages cost nothing.
 * Run by {@code bench/github-api-calls}; its last line is the figures, and it exits 1 when a target is
 * missed. What a changeset costs from push to merge is measured with the whole engine by
 * {@code bench/github-fleet}.
 */
public final class GitHubApiCallsBench {

  private static final int REPOSITORIES = 1000;
  private static final int PAGE = 100;
  private static final String ORG = "fleet";
  private static final double RESCAN_TARGET = 0.05;

  private GitHubApiCallsBench() {}

  public static void main(String[] args) {
    ((Logger) LoggerFactory.getLogger("dev.flotilla")).setLevel(Level.WARN);
    GraphQlFleet graphql =
        new GraphQlFleet(name -> new GraphQlFleet.Holding("enabled: true\nlabels: [dependencies]\n", List.of("build")));
    WireMockServer github =
        new WireMockServer(wireMockConfig().dynamicPort().extensions(graphql).disableRequestJournal().notifier(new ConsoleNotifier(false)));
    github.start();
    try {
      stubFleet(github);
      GitHubFixtures.RecordingCounter counter = new GitHubFixtures.RecordingCounter();
      GitHubForge forge =
          GitHubForge.create(
              GitHubFixtures.tokenConfig(github.baseUrl(), List.of(ORG)), counter, new EtagCache(),
              GitHubFixtures.clock(), new GitHubFixtures.RecordingSleeper(), Duration.ofSeconds(30));

      int before = counter.total.get();
      List<RepositoryRef> repos = scan(forge);
      double firstScan = perRepo(counter.total.get() - before, repos.size());

      before = counter.total.get();
      scan(forge);
      double rescan = perRepo(counter.total.get() - before, repos.size());

      report(counter.calls);
      System.out.printf(Locale.ROOT,
          "github-api-calls: first_scan_calls_per_repo=%.3f rescan_calls_per_repo=%.3f%n", firstScan, rescan);
      if (rescan > RESCAN_TARGET) {
        System.exit(1);
      }
    } finally {
      github.stop();
    }
  }

  private static List<RepositoryRef> scan(GitHubForge forge) {
    List<RepositoryRef> repos = forge.listRepositories();
    // Discovery hands the forge a hundred repositories at a time.
    for (int from = 0; from < repos.size(); from += PAGE) {
      forge.readOptInFiles(repos.subList(from, Math.min(repos.size(), from + PAGE)));
    }
    return repos;
  }

  private static void stubFleet(WireMockServer github) {
    String first = "/orgs/" + ORG + "/repos?per_page=100&type=all";
    for (int page = 1; page <= REPOSITORIES / PAGE; page++) {
      List<String> repos = new ArrayList<>();
      for (int i = (page - 1) * PAGE; i < page * PAGE; i++) {
        repos.add(GitHubFixtures.repo(ORG, "svc-" + i, false, false, 250, "2026-01-04T08:00:00Z"));
      }
      String url = page == 1 ? first : first + "&page=" + page;
      String etag = "W/\"page-" + page + "\"";
      var answer = json(200, "[" + String.join(",", repos) + "]").withHeader("ETag", etag);
      if (page < REPOSITORIES / PAGE) {
        answer = answer.withHeader("Link", "<" + github.baseUrl() + first + "&page=" + (page + 1) + ">; rel=\"next\"");
      }
      github.stubFor(get(urlEqualTo(url)).willReturn(answer));
      github.stubFor(get(urlEqualTo(url))
          .withHeader("If-None-Match", com.github.tomakehurst.wiremock.client.WireMock.equalTo(etag))
          .atPriority(1)
          .willReturn(aResponse().withStatus(304).withHeader("ETag", etag)));
    }
    github.stubFor(post(urlEqualTo("/graphql")).willReturn(aResponse().withTransformers(GraphQlFleet.NAME)));
  }

  private static double perRepo(int calls, int repositories) {
    return (double) calls / repositories;
  }

  private static void report(Map<String, java.util.concurrent.atomic.AtomicInteger> calls) {
    System.out.println("calls by endpoint (" + REPOSITORIES + " repositories, two scans):");
    calls.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> System.out.printf(Locale.ROOT, "  %6d  %s%n", e.getValue().get(), e.getKey()));
  }
}
