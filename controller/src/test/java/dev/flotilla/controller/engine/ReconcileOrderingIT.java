package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controller.forge.Forge;
import dev.flotilla.controller.model.CampaignSpec;
import dev.flotilla.controller.model.ChangesetState;
import dev.flotilla.controller.model.OptInStatus;
import dev.flotilla.controller.model.RepositoryRef;
import dev.flotilla.controller.store.Database;
import dev.flotilla.controller.store.Jdbc;
import dev.flotilla.controller.store.TestPostgres;
import dev.flotilla.migration.Migrations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciles on the pool, from rounds and from webhooks at once, against a forge that takes its
 * time: one changeset is never reconciled twice at the same moment, and the pool does reconcile
 * different changesets at once.
 */
class ReconcileOrderingIT {

  static final int CHANGESETS = 8;
  static final Duration LATENCY = Duration.ofMillis(40);

  @TempDir static Path tmp;
  static Database db;
  static Jdbc jdbc;

  /** Pull requests being read right now, by number, and the most at once, per number and overall. */
  static final Map<Integer, AtomicInteger> reading = new ConcurrentHashMap<>();
  static final Map<Integer, Integer> mostAtOnce = new ConcurrentHashMap<>();
  static final AtomicInteger inFlight = new AtomicInteger();
  static final AtomicInteger mostInFlight = new AtomicInteger();
  static final AtomicInteger reads = new AtomicInteger();

  @BeforeAll
  static void fleet() {
    db = TestPostgres.open(tmp.resolve("data"), 8);
    jdbc = new Jdbc(db.dataSource());
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  /** A forge whose only answer is a slow failure to read the pull request, watched for overlap. */
  static Forge slowForge() {
    return (Forge) Proxy.newProxyInstance(Forge.class.getClassLoader(), new Class<?>[] {Forge.class}, (proxy, method, args) -> {
      switch (method.getName()) {
        case "name":
          return "local";
        case "getPullRequest":
          int number = (Integer) args[1];
          int now = reading.computeIfAbsent(number, n -> new AtomicInteger()).incrementAndGet();
          mostAtOnce.merge(number, now, Math::max);
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          reads.incrementAndGet();
          try {
            Thread.sleep(LATENCY.toMillis());
          } finally {
            inFlight.decrementAndGet();
            reading.get(number).decrementAndGet();
          }
          throw new IllegalStateException("the forge is slow and says no");
        default:
          throw new InvocationTargetException(new UnsupportedOperationException(method.getName()));
      }
    });
  }

  @Test
  void aWebhookReconcileAndAScheduledOneOfTheSameChangesetNeverOverlap() throws Exception {
    EngineContext context = EngineContext.create(jdbc, slowForge(), Migrations.load(), Clock.systemUTC(),
        EngineSettings.defaults().withRecheckInterval(Duration.ZERO));
    Instant now = Instant.now();
    context.campaigns().apply(new CampaignSpec("bump", "maven-dependency-version", Map.of(), null, true, false, null, null, null), "src", now);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < CHANGESETS; i++) {
      long repo = context.repositories().upsert(
          new RepositoryRef("acme", "r" + i, "main", "file:///r" + i, null), OptInStatus.OPTED_IN, null, "enabled: true", null, now);
      long id = context.changesets().createIfAbsent("bump", repo, ChangesetState.PENDING, "planned", 0, "planner", now).orElseThrow();
      jdbc.update("UPDATE changeset SET state = 'PR_OPEN', pr_number = ? WHERE id = ?", i + 1, id);
      ids.add(id);
    }
    try (ReconcilePool pool = new ReconcilePool(4)) {
      ChangesetReconciler reconciler = new ChangesetReconciler(
          context, e -> { }, context.changesets().claims("test", Controller.CLAIM_LEASE), pool);
      ExecutorService webhooks = Executors.newFixedThreadPool(3);
      try {
        List<Future<?>> running = new ArrayList<>();
        running.add(webhooks.submit(() -> {
          for (int round = 0; round < 8; round++) {
            reconciler.reconcileDue(500);
          }
        }));
        for (int thread = 0; thread < 2; thread++) {
          running.add(webhooks.submit(() -> {
            for (int i = 0; i < 40; i++) {
              reconciler.reconcile(ids.get(i % 2));
            }
          }));
        }
        for (Future<?> future : running) {
          future.get();
        }
      } finally {
        webhooks.shutdownNow();
      }
    }

    assertThat(reads.get()).isGreaterThan(8 * CHANGESETS / 2);
    assertThat(mostAtOnce.values()).containsOnly(1);
    assertThat(mostInFlight.get()).isGreaterThan(1);
    // Every failure was recorded on its changeset, and every claim given back.
    assertThat(jdbc.count("SELECT count(*) FROM changeset WHERE last_error LIKE 'forge: the forge is slow%'")).isEqualTo(CHANGESETS);
    assertThat(jdbc.count("SELECT count(*) FROM changeset WHERE claimed_by IS NOT NULL")).isZero();
  }
}
