package dev.flotilla.controller.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * When merges may happen in a repository: on these days, between these local times (start
 * inclusive, end exclusive), in this time zone. A range whose end is before its start crosses
 * midnight and belongs to the day it starts on.
 */
public record MergeWindow(ZoneId timezone, Set<DayOfWeek> days, LocalTime from, LocalTime to) {

  public MergeWindow {
    days = Set.copyOf(days);
  }

  public boolean isOpen(Instant now) {
    ZonedDateTime local = now.atZone(timezone);
    LocalTime time = local.toLocalTime();
    if (!from.isAfter(to)) {
      return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
    boolean lateToday = days.contains(local.getDayOfWeek()) && !time.isBefore(from);
    boolean earlyFromYesterday = days.contains(local.getDayOfWeek().minus(1)) && time.isBefore(to);
    return lateToday || earlyFromYesterday;
  }

  /**
   * When the window next opens after {@code now}; empty when it never does (no days). Meant for a
   * closed window: an open one answers its next opening, not now.
   */
  public java.util.Optional<Instant> nextOpening(Instant now) {
    ZonedDateTime local = now.atZone(timezone);
    for (int day = 0; day <= 7; day++) {
      ZonedDateTime start = local.toLocalDate().plusDays(day).atTime(from).atZone(timezone);
      if (days.contains(start.getDayOfWeek()) && start.toInstant().isAfter(now)) {
        return java.util.Optional.of(start.toInstant());
      }
    }
    return java.util.Optional.empty();
  }
}
