package dev.flotilla.controller.config;

import dev.flotilla.controller.model.MergeWindow;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Merge windows read from opt-in files, checked at instants around midnight and clock changes. */
class MergeWindowTest {

  private static MergeWindow window(String yaml) {
    return OptInParser.parse("enabled: true\nmergeWindow: " + yaml + "\n", "f").mergeWindow();
  }

  private static boolean open(MergeWindow window, String instant) {
    return window.isOpen(Instant.parse(instant));
  }

  @Test
  void opensAtTheStartAndClosesAtTheEnd() {
    MergeWindow window = window("{timezone: UTC, days: [MON-FRI], hours: \"09:00-15:00\"}");

    // 2026-11-23 is a Monday.
    assertThat(open(window, "2026-11-23T08:59:59Z")).isFalse();
    assertThat(open(window, "2026-11-23T09:00:00Z")).isTrue();
    assertThat(open(window, "2026-11-23T14:59:59Z")).isTrue();
    assertThat(open(window, "2026-11-23T15:00:00Z")).isFalse();
    assertThat(open(window, "2026-11-22T10:00:00Z")).as("Sunday").isFalse();
  }

  @Test
  void usesTheLocalTimeOfItsZone() {
    MergeWindow window =
        window("{timezone: Europe/Copenhagen, days: [MON], hours: \"09:00-15:00\"}");

    // Winter time in Copenhagen is UTC+1: 09:00 local is 08:00 UTC.
    assertThat(open(window, "2026-11-23T07:59:00Z")).isFalse();
    assertThat(open(window, "2026-11-23T08:00:00Z")).isTrue();
    assertThat(open(window, "2026-11-23T13:59:00Z")).isTrue();
    assertThat(open(window, "2026-11-23T14:00:00Z")).isFalse();
  }

  @Test
  void followsTheSpringClockChangeInCopenhagen() {
    // On Sunday 29 March 2026 Copenhagen moves from UTC+1 to UTC+2 at 02:00 local.
    MergeWindow window =
        window("{timezone: Europe/Copenhagen, days: [SAT, SUN], hours: \"09:00-15:00\"}");

    assertThat(open(window, "2026-03-28T08:00:00Z")).as("Saturday 09:00 CET").isTrue();
    assertThat(open(window, "2026-03-28T07:59:00Z")).as("Saturday 08:59 CET").isFalse();
    assertThat(open(window, "2026-03-29T07:00:00Z")).as("Sunday 09:00 CEST").isTrue();
    assertThat(open(window, "2026-03-29T06:59:00Z")).as("Sunday 08:59 CEST").isFalse();
    assertThat(open(window, "2026-03-29T13:00:00Z")).as("Sunday 15:00 CEST").isFalse();
  }

  @Test
  void aWindowInsideTheSkippedSpringHourNeverOpensThatNight() {
    MergeWindow window =
        window("{timezone: Europe/Copenhagen, days: [SUN], hours: \"02:00-03:00\"}");

    // 00:59 UTC is 01:59 CET; one minute later it is 03:00 CEST: 02:xx never happens.
    assertThat(open(window, "2026-03-29T00:59:00Z")).isFalse();
    assertThat(open(window, "2026-03-29T01:00:00Z")).isFalse();
    assertThat(open(window, "2026-04-05T00:30:00Z")).as("a week later, 02:30 CEST").isTrue();
  }

  @Test
  void theRepeatedAutumnHourIsInsideTheWindowBothTimes() {
    // On Sunday 25 October 2026 Copenhagen goes from 03:00 CEST back to 02:00 CET.
    MergeWindow window =
        window("{timezone: Europe/Copenhagen, days: [SUN], hours: \"02:00-03:00\"}");

    assertThat(open(window, "2026-10-25T00:30:00Z")).as("02:30 CEST").isTrue();
    assertThat(open(window, "2026-10-25T01:30:00Z")).as("02:30 CET").isTrue();
    assertThat(open(window, "2026-10-25T02:00:00Z")).as("03:00 CET").isFalse();
    assertThat(open(window, "2026-10-24T23:59:00Z")).as("01:59 CEST").isFalse();
  }

  @Test
  void aWindowAcrossMidnightBelongsToTheDayItStarts() {
    MergeWindow window = window("{timezone: UTC, days: [FRI], hours: \"22:00-06:00\"}");

    // 2026-11-27 is a Friday.
    assertThat(open(window, "2026-11-27T21:59:59Z")).isFalse();
    assertThat(open(window, "2026-11-27T22:00:00Z")).isTrue();
    assertThat(open(window, "2026-11-27T23:59:59Z")).isTrue();
    assertThat(open(window, "2026-11-28T00:00:00Z")).as("Saturday, still Friday's night").isTrue();
    assertThat(open(window, "2026-11-28T05:59:59Z")).isTrue();
    assertThat(open(window, "2026-11-28T06:00:00Z")).isFalse();
    assertThat(open(window, "2026-11-28T23:00:00Z")).as("Saturday night is not listed").isFalse();
    assertThat(open(window, "2026-11-27T03:00:00Z"))
        .as("Friday early is Thursday's night")
        .isFalse();
  }

  @Test
  void aWholeDayWindowEndsExactlyAtTheDayBoundary() {
    MergeWindow window = window("{timezone: UTC, days: [MON], hours: \"00:00-24:00\"}");

    assertThat(open(window, "2026-11-22T23:59:59.999Z")).as("Sunday's last millisecond").isFalse();
    assertThat(open(window, "2026-11-23T00:00:00Z")).as("Monday's first instant").isTrue();
    assertThat(open(window, "2026-11-23T23:59:59.999Z")).as("Monday's last millisecond").isTrue();
    assertThat(open(window, "2026-11-24T00:00:00Z")).as("Tuesday's first instant").isFalse();
  }

  @Test
  void aWindowUntilMidnightClosesAtMidnight() {
    MergeWindow window = window("{timezone: UTC, days: [MON], hours: \"22:00-24:00\"}");

    assertThat(open(window, "2026-11-23T23:30:00Z")).isTrue();
    assertThat(open(window, "2026-11-24T00:00:00Z")).isFalse();
  }
}
