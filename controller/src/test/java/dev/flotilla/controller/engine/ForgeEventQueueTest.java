package dev.flotilla.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controller.engine.ForgeEvents.Work;
import dev.flotilla.controller.forge.github.WebhookEvent;
import dev.flotilla.controller.forge.github.WebhookEvent.Kind;
import dev.flotilla.controller.forge.github.WebhookListener.Accepted;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook queue's mechanics, with the work replaced by recorders. */
class ForgeEventQueueTest {

  private static final String SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

  private final List<Work> done = new CopyOnWriteArrayList<>();
  private final List<String> doneOn = new CopyOnWriteArrayList<>();
  private final List<Work> polled = new CopyOnWriteArrayList<>();
  private final List<String> polledOn = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch entered = new CountDownLatch(1);
  private final AtomicInteger handledCount = new AtomicInteger();
  private final AtomicInteger deferredCount = new AtomicInteger();
  private ForgeEventQueue queue;

  @AfterEach
  void stop() {
    release.countDown();
    if (queue != null) {
      queue.close();
    }
  }

  /** A queue whose work waits for {@link #release} once it has started. */
  private ForgeEventQueue queue(int capacity, int threads) {
    queue = new ForgeEventQueue(work -> {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.add(work);
      doneOn.add(Thread.currentThread().getName());
      return 1;
    }, work -> {
      polled.add(work);
      polledOn.add(Thread.currentThread().getName());
      return 1;
    }, capacity, threads, new ForgeEventQueue.Observer() {
      @Override
      public void handled(String event) {
        handledCount.incrementAndGet();
      }

      @Override
      public void deferredToPolling(String event) {
        deferredCount.incrementAndGet();
      }
    }, Clock.systemUTC()).start();
    return queue;
  }

  private static WebhookEvent checkRun(String branch) {
    return new WebhookEvent(Kind.CHECK_RUN, "completed", "acme/api", branch, SHA);
  }

  @Test
  void tenCheckRunsForOnePullRequestAreOneReconcile() throws Exception {
    queue(10, 1);
    // The first reconcile is running and holds the only thread; the next ten wait as one.
    assertThat(queue.accept(checkRun("flotilla/other"))).isEqualTo(Accepted.QUEUED);
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    List<Accepted> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add(queue.accept(checkRun("flotilla/bump")));
    }

    assertThat(answers.get(0)).isEqualTo(Accepted.QUEUED);
    assertThat(answers.subList(1, 10)).containsOnly(Accepted.MERGED);
    assertThat(queue.depth()).isEqualTo(1);
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 2);
    assertThat(done).extracting(Work::key).containsExactly("reconcile acme/api flotilla/other", "reconcile acme/api flotilla/bump");
    assertThat(handledCount).hasValue(2);
    assertThat(polled).isEmpty();
  }

  @Test
  void aFullQueueLeavesTheEventToPollingAndLosesNothing() throws Exception {
    queue(2, 1);
    queue.accept(checkRun("flotilla/running"));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    queue.accept(checkRun("flotilla/a"));
    queue.accept(checkRun("flotilla/b"));

    Accepted overflow = queue.accept(checkRun("flotilla/c"));

    assertThat(overflow).isEqualTo(Accepted.POLLING);
    assertThat(polled).extracting(Work::key).containsExactly("reconcile acme/api flotilla/c");
    // Left to polling on the caller's thread (it only marks changesets due in the store).
    assertThat(polledOn).containsExactly(Thread.currentThread().getName());
    assertThat(deferredCount).hasValue(1);
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 3);
    assertThat(done).extracting(Work::key).containsExactlyInAnyOrder(
        "reconcile acme/api flotilla/running", "reconcile acme/api flotilla/a", "reconcile acme/api flotilla/b");
  }

  @Test
  void workIsDoneOnTheQueuesOwnThreadsNeverTheCallers() {
    queue(10, 2);
    release.countDown();

    queue.accept(checkRun("flotilla/a"));
    queue.accept(new WebhookEvent(Kind.PUSH, null, null, "acme/api", "main", SHA, null, List.of()));

    await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 2);
    assertThat(doneOn).allMatch(name -> name.startsWith("flotilla-events-"));
  }

  @Test
  void workOfAKeyBeingDoneIsNotStartedTwiceAtOnce() throws Exception {
    // Only flotilla/a's reconcile blocks; the other thread stays free.
    queue = new ForgeEventQueue(work -> {
      if (work.key().endsWith("flotilla/a")) {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      done.add(work);
      return 1;
    }, work -> 0, 10, 2, ForgeEventQueue.Observer.NONE, Clock.systemUTC()).start();
    queue.accept(checkRun("flotilla/a"));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    // Queued again (it may carry news the running reconcile did not see), ahead of flotilla/b.
    assertThat(queue.accept(checkRun("flotilla/a"))).isEqualTo(Accepted.QUEUED);
    queue.accept(checkRun("flotilla/b"));

    // The free thread passed over flotilla/a, which is still being done, and took flotilla/b.
    await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 1);
    assertThat(done).extracting(Work::key).containsExactly("reconcile acme/api flotilla/b");
    assertThat(queue.depth()).isEqualTo(1);
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 3);
  }

  @Test
  void failedWorkIsLeftToPolling() {
    queue = new ForgeEventQueue(work -> {
      throw new IllegalStateException("GitHub answered 502");
    }, work -> {
      polled.add(work);
      return 1;
    }, 10, 1, ForgeEventQueue.Observer.NONE, Clock.systemUTC()).start();

    queue.accept(checkRun("flotilla/a"));

    await().atMost(Duration.ofSeconds(30)).until(() -> polled.size() == 1);
    assertThat(polled).extracting(Work::key).containsExactly("reconcile acme/api flotilla/a");
  }

  @Test
  void anEventNoWorkFollowsFromIsIgnored() {
    queue(10, 1);

    Accepted accepted = queue.accept(new WebhookEvent(Kind.INSTALLATION, null, "new_permissions_requested", null, null, null, "acme", List.of()));

    assertThat(accepted).isEqualTo(Accepted.IGNORED);
    assertThat(queue.depth()).isZero();
  }
}
