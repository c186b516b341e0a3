package dev.flotilla.controller.notify;

import dev.flotilla.controller.store.Outbox;
import dev.flotilla.controller.store.Outbox.Delivery;
import dev.flotilla.controller.store.StoreFleetView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nudges owning teams: adds each team's daily digest to the outbox once its local digest time has
 * passed, and delivers the outbox to the teams' webhooks, retrying with exponential backoff. Every
 * attempt carries the message's key as {@code Idempotency-Key}; a message is marked sent in the
 * transaction that holds it, so one that was delivered is never sent again, and one whose delivery
 * was cut short by a crash is sent again with the same key. Webhook URLs are printed masked only.
 */
public final class Notifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

  private final NotificationSettings settings;
  private final Outbox outbox;
  private final StoreFleetView view;
  private final Clock clock;
  private final boolean dryRun;
  private final String dashboardUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private ScheduledExecutorService timer;

  public Notifier(NotificationSettings settings, Outbox outbox, StoreFleetView view, Clock clock, boolean dryRun, String dashboardUrl) {
    this.settings = settings;
    this.outbox = outbox;
    this.view = view;
    this.clock = clock;
    this.dryRun = dryRun;
    this.dashboardUrl = dashboardUrl;
  }

  /** Plans and delivers every {@code interval} on its own thread. */
  public synchronized Notifier start(Duration interval) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "flotilla-notifier");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("notifications {}: digest at {} in each team's time zone", dryRun ? "in dry run (printed, not sent)" : "on",
        settings.digestAt());
    return this;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // The next tick tries again; the outbox keeps every message until it is delivered.
      LOG.warn("notifications: {}", e.getMessage());
    }
  }

  /** One round: plan the digests that are due, then deliver what the outbox holds. */
  public void tick() {
    planDigests();
    while (outbox.deliverNext(clock.instant(), this::deliver).isPresent()) {
      // one message per transaction, until nothing is due
    }
  }

  void planDigests() {
    Instant now = clock.instant();
    for (String team : outbox.teams()) {
      ZonedDateTime local = now.atZone(settings.zoneOf(team));
      String day = local.toLocalDate().toString();
      if (local.toLocalTime().isBefore(settings.digestAt()) || outbox.hasDigest(team, day)) {
        continue;
      }
      view.team(team).map(t -> Messages.digestPayload(t, day, dashboardUrl)).ifPresent(payload -> {
        if (outbox.addDigest(team, day, payload, now)) {
          LOG.info("digest for team {} ({}) added to the outbox", team, day);
        }
      });
    }
  }

  private Delivery deliver(Outbox.Message message) {
    Optional<NotificationSettings.Target> target = settings.targetFor(message.team());
    if (target.isEmpty()) {
      LOG.info("no webhook for team {}; {} {} not sent", message.team(), message.kind(), message.key());
      return new Delivery.Done("NO_WEBHOOK");
    }
    String body = target.get().format() == NotificationSettings.Format.SLACK ? Messages.slack(message) : Messages.json(message);
    String where = NotificationSettings.mask(target.get().webhook());
    if (dryRun) {
      LOG.info("dry run: would send {} to team {} at {} ({}): {}", message.key(), message.team(), where,
          target.get().format().name().toLowerCase(java.util.Locale.ROOT), body);
      return new Delivery.Done("DRY_RUN");
    }
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(target.get().webhook().reveal()))
              .timeout(Duration.ofSeconds(20))
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", message.key())
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        LOG.info("sent {} to team {} at {}", message.key(), message.team(), where);
        return new Delivery.Done("SENT");
      }
      return retry(message, "HTTP " + response.statusCode() + " from " + where);
    } catch (IOException e) {
      return retry(message, e.getClass().getSimpleName() + " sending to " + where);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return retry(message, "interrupted sending to " + where);
    }
  }

  private Delivery retry(Outbox.Message message, String error) {
    Duration wait = backoff(message.attempts(), settings.retryFirst(), settings.retryMax());
    LOG.warn("{} to team {} not delivered ({}); trying again in {}", message.key(), message.team(), error, wait);
    return new Delivery.Retry(error, clock.instant().plus(wait));
  }

  /** First retry after {@code first}, doubling each time, never longer than {@code max}. */
  static Duration backoff(int failedBefore, Duration first, Duration max) {
    Duration wait = first.multipliedBy(1L << Math.min(20, failedBefore));
    return wait.compareTo(max) > 0 ? max : wait;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
