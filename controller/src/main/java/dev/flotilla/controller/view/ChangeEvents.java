package dev.flotilla.controller.view;

import dev.flotilla.dashboard.port.FleetEvent;
import dev.flotilla.dashboard.port.FleetEventSink;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the engine's change notices into dashboard events, coalesced: however many changes a campaign
 * sees within one window (a wave of results lands at once), open pages get one event for it at the
 * window's end, after the changes are committed. Pages re-read what an event names, so nothing is lost.
 */
public final class ChangeEvents implements Consumer<String>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeEvents.class);
  /** Three refreshes a second per campaign at most: live enough for people, cheap for the store. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMillis(300);
  /** What the engine says after a discovery run. */
  static final String DISCOVERY = "discovery";

  private final FleetEventSink sink;
  private final Predicate<String> isCampaign;
  private final Duration window;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "flotilla-dashboard-events");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  /**
   * @param isCampaign whether a notice names a campaign (asked once per published event, not per notice)
   */
  public ChangeEvents(FleetEventSink sink, Predicate<String> isCampaign, Duration window) {
    this.sink = sink;
    this.isCampaign = isCampaign;
    this.window = window;
  }

  /**
   * One change notice from {@code Controller.onChange}: a campaign's name, or a word for a fleet-wide
   * step ({@code discovery}, {@code dispatch}, {@code reconcile}, ...). Never blocks.
   */
  @Override
  public void accept(String what) {
    if (closed || what == null) {
      return;
    }
    if (pending.add(what)) {
      timer.schedule(() -> flush(what), window.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void flush(String what) {
    pending.remove(what);
    try {
      sink.publish(eventFor(what));
    } catch (RuntimeException e) {
      // The sink promises not to throw; if one does, the next change refreshes the page anyway.
      LOG.warn("could not publish the dashboard event for '{}'", what, e);
    }
  }

  /** A campaign's name concerns pages of that campaign; anything else concerns every page. */
  private FleetEvent eventFor(String what) {
    if (isCampaign.test(what)) {
      return FleetEvent.campaign(what);
    }
    if (DISCOVERY.equals(what)) {
      return FleetEvent.fleet();
    }
    return new FleetEvent(FleetEvent.Type.CHANGESET, null, null, null);
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
  }
}
