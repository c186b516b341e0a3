package dev.flotilla.controller.engine;

import java.time.Duration;

/**
 * How often a watched pull request is read, by what it waits for (see {@link PullRequestRules}).
 *
 * @param maxInterval the longest wait between two reads of a pull request that waits for a person
 *     (a review, a fix of failed CI, a push to a branch someone else changed)
 * @param withWebhooks the wait between reads while webhooks arrive: an event reconciles the pull
 *     request at once, so reads only catch what an event missed
 * @param webhookSilence how long without any webhook delivery before webhooks count as not arriving,
 *     and pull requests are read at the poll interval again
 */
public record WatchSettings(Duration maxInterval, Duration withWebhooks, Duration webhookSilence) {

  public static final WatchSettings DEFAULTS = new WatchSettings(Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofMinutes(10));
}
