package dev.flotilla.controller.forge.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.flotilla.controller.config.Secret;
import dev.flotilla.controller.model.RepositoryRef;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Responses shaped like GitHub's own (status, rate-limit headers, JSON fields), and a forge aimed at WireMock. */
final class GitHubFixtures {

  static final String TOKEN = "ghp_s3cretTokenValue0123456789abcdefABCD";
  static final String WEBHOOK_SECRET = "whsec-very-secret-value";
  static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
  static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
  static final String OTHER_SHA = "c7d2a1f8e03b4a5c96e1b2d3f4a5b6c7d8e9f0a1";
  static final String BRANCH = "flotilla/jackson-2-18";
  static final RepositoryRef REPO =
      new RepositoryRef("acme", "payments", "main", "https://github.com/acme/payments.git", "https://github.com/acme/payments");

  private GitHubFixtures() {}

  /** Records waits instead of waiting. */
  static final class RecordingSleeper implements Sleeper {
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      waits.add(duration);
    }
  }

  /** Counts calls by endpoint, as the metrics would. */
  static final class RecordingCounter implements ApiCallCounter {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicInteger total = new AtomicInteger();
    final List<Integer> remaining = new CopyOnWriteArrayList<>();

    @Override
    public void onCall(String endpoint, int status) {
      calls.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
      total.incrementAndGet();
    }

    @Override
    public void onRateLimit(String resource, int remaining, int limit) {
      this.remaining.add(remaining);
    }

    int of(String endpoint) {
      AtomicInteger n = calls.get(endpoint);
      return n == null ? 0 : n.get();
    }
  }

  static Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  static GitHubConfig tokenConfig(String baseUrl, List<String> orgs) {
    return new GitHubConfig(
        URI.create(baseUrl), Secret.of(TOKEN), null, null, orgs, false, Secret.of(WEBHOOK_SECRET),
        URI.create("https://flotilla.example.com"));
  }

  /** A request slower than this counts as unanswered; tests of timeouts delay answers by {@link #SLOW}. */
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final int SLOW = 2500;

  static GitHubForge forge(String baseUrl, RecordingSleeper sleeper, ApiCallCounter counter) {
    return forge(baseUrl, sleeper, counter, Duration.ofSeconds(10));
  }

  static GitHubForge forge(String baseUrl, RecordingSleeper sleeper, ApiCallCounter counter, Duration timeout) {
    return GitHubForge.create(tokenConfig(baseUrl, List.of("acme")), counter, new EtagCache(), clock(), sleeper, timeout);
  }

  /** A JSON answer with the headers GitHub sends on every API response. */
  static ResponseDefinitionBuilder json(int status, String body) {
    return json(status, body, 4890, NOW.plusSeconds(1800));
  }

  static ResponseDefinitionBuilder json(int status, String body, int remaining, Instant reset) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("Server", "GitHub.com")
        .withHeader("X-RateLimit-Limit", "5000")
        .withHeader("X-RateLimit-Remaining", String.valueOf(remaining))
        .withHeader("X-RateLimit-Used", String.valueOf(5000 - remaining))
        .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()))
        .withHeader("X-RateLimit-Resource", "core")
        .withHeader("X-GitHub-Request-Id", "E2BB:2CE6:D3980B:FC6C1B:5D99070D")
        .withBody(body);
  }

  static String pr(int number, String state, boolean merged, String mergeable, String mergeableState, String headSha) {
    return """
        {"url": "https://api.github.com/repos/acme/payments/pulls/%1$d", "id": 1000%1$d, "number": %1$d,
         "html_url": "https://github.com/acme/payments/pull/%1$d", "state": "%2$s", "locked": false,
         "title": "Bump jackson-databind to 2.18.2", "user": {"login": "flotilla[bot]", "id": 9, "type": "Bot"},
         "body": "...", "created_at": "2026-01-05T09:00:00Z", "updated_at": "2026-01-05T09:30:00Z",
         "closed_at": %6$s, "merged_at": %7$s, "merge_commit_sha": "e5bd3914e2e596debea16f433f57875b5b90bcd6",
         "labels": [], "draft": false,
         "head": {"label": "acme:flotilla/jackson-2-18", "ref": "flotilla/jackson-2-18", "sha": "%5$s",
                  "repo": {"id": 1296269, "name": "payments", "full_name": "acme/payments"}},
         "base": {"label": "acme:main", "ref": "main", "sha": "a10867b14bb761a232cd80139fbd4c0d33264240",
                  "repo": {"id": 1296269, "name": "payments", "full_name": "acme/payments"}},
         "merged": %3$s, "mergeable": %4$s, "rebaseable": %4$s, "mergeable_state": "%8$s",
         "comments": 0, "commits": 1, "additions": 1, "deletions": 1, "changed_files": 1}
        """.formatted(
            number, state, merged, mergeable, headSha,
            "closed".equals(state) ? "\"2026-01-05T09:45:00Z\"" : "null",
            merged ? "\"2026-01-05T09:45:00Z\"" : "null",
            mergeableState);
  }

  static String openPr(int number) {
    return pr(number, "open", false, "true", "clean", SHA);
  }

  static String repo(String owner, String name, boolean archived, boolean fork, int size, String pushedAt) {
    return """
        {"id": %5$d, "node_id": "R_%2$s", "name": "%2$s", "full_name": "%1$s/%2$s", "private": true,
         "owner": {"login": "%1$s", "id": 42, "type": "Organization"},
         "html_url": "https://github.com/%1$s/%2$s", "fork": %4$s,
         "clone_url": "https://github.com/%1$s/%2$s.git", "ssh_url": "git@github.com:%1$s/%2$s.git",
         "size": %6$d, "default_branch": "main", "archived": %3$s, "disabled": false,
         "pushed_at": "%7$s", "created_at": "2020-01-01T00:00:00Z", "updated_at": "2025-12-01T00:00:00Z",
         "visibility": "private"}
        """.formatted(owner, name, archived, fork, Math.abs((owner + name).hashCode()), size, pushedAt);
  }

  static String checkRun(String name, String status, String conclusion) {
    return """
        {"id": %d, "head_sha": "%s", "name": "%s", "status": "%s", "conclusion": %s,
         "html_url": "https://github.com/acme/payments/runs/1", "started_at": "2026-01-05T09:31:00Z",
         "completed_at": null, "output": {"title": null, "summary": null, "text": null, "annotations_count": 0},
         "app": {"id": 15368, "slug": "github-actions"}, "pull_requests": []}
        """.formatted(Math.abs(name.hashCode()), SHA, name, status, conclusion == null ? "null" : "\"" + conclusion + "\"");
  }

  static String checkRuns(String... runs) {
    return "{\"total_count\": " + runs.length + ", \"check_runs\": [" + String.join(",", runs) + "]}";
  }

  static String combinedStatus(String state, String... statuses) {
    return """
        {"state": "%s", "sha": "%s", "total_count": %d, "statuses": [%s],
         "repository": {"id": 1296269, "name": "payments", "full_name": "acme/payments"}}
        """.formatted(state, SHA, statuses.length, String.join(",", statuses));
  }

  static String status(String context, String state) {
    return """
        {"url": "https://api.github.com/repos/acme/payments/statuses/%s", "id": %d, "state": "%s",
         "description": "Build %s", "target_url": "https://ci.example.com/build/1", "context": "%s",
         "created_at": "2026-01-05T09:32:00Z", "updated_at": "2026-01-05T09:35:00Z"}
        """.formatted(SHA, Math.abs(context.hashCode()), state, state, context);
  }

  static String message(String message) {
    return "{\"message\": \"" + message + "\", \"documentation_url\": \"https://docs.github.com/rest\"}";
  }
}
