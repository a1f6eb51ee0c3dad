package dev.sluice.core.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A recurring time in which nodes may update: on each of {@code days}, from {@code start} local
 * time in {@code zone}, for {@code length} of elapsed time.
 *
 * <p>A window that crosses midnight belongs to the day it started: {@code SAT 22:00 PT4H} is open
 * until Sunday 02:00 even when Sunday is not listed. Local times follow the zone's daylight saving
 * rules through {@link ZonedDateTime}: a start inside a spring-forward gap (02:30 in Berlin on the
 * last Sunday of March) moves forward by the gap (03:30); a start inside an autumn overlap uses the
 * earlier offset. The length is elapsed time, so {@code PT4H} is four real hours on those nights
 * too.
 *
 * @param days the days of the week on which the window opens (not empty)
 * @param start the local opening time, minute precision
 * @param length how long it stays open: positive, at most seven days
 * @param zone the IANA time zone of {@code start}, e.g. {@code Europe/Berlin}
 */
public record MaintenanceWindow(
    Set<DayOfWeek> days, LocalTime start, Duration length, ZoneId zone) {

  /** The longest window accepted: a week. */
  public static final Duration MAX_LENGTH = PolicyLimits.MAX_WINDOW;

  public MaintenanceWindow {
    Objects.requireNonNull(days, "days");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(zone, "zone");
    if (days.isEmpty()) {
      throw new IllegalArgumentException("a maintenance window needs at least one day");
    }
    if (start.getSecond() != 0 || start.getNano() != 0) {
      throw new IllegalArgumentException("window start " + start + " must be whole minutes");
    }
    if (length.isNegative() || length.isZero() || length.compareTo(MAX_LENGTH) > 0) {
      throw new IllegalArgumentException(
          "window length " + length + " must be positive and at most " + MAX_LENGTH);
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
  }

  /** True when the window is open at {@code now} (start inclusive, end exclusive). */
  public boolean contains(Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    for (LocalDate day = today.minusDays(8); !day.isAfter(today); day = day.plusDays(1)) {
      if (days.contains(day.getDayOfWeek())) {
        Instant opens = opening(day);
        if (!now.isBefore(opens) && now.isBefore(opens.plus(length))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first time this window opens strictly after {@code now}. */
  public Instant nextOpeningAfter(Instant now) {
    LocalDate today = now.atZone(zone).toLocalDate();
    for (LocalDate day = today.minusDays(1); ; day = day.plusDays(1)) {
      if (days.contains(day.getDayOfWeek())) {
        Instant opens = opening(day);
        if (opens.isAfter(now)) {
          return opens;
        }
      }
    }
  }

  /** When the window opens on {@code day} (which must be one of its days). */
  public Instant opening(LocalDate day) {
    return ZonedDateTime.of(day, start, zone).toInstant();
  }

  /** True when no windows are configured or one of them is open at {@code now}. */
  public static boolean anyOpen(List<MaintenanceWindow> windows, Instant now) {
    return windows.isEmpty() || windows.stream().anyMatch(window -> window.contains(now));
  }

  /**
   * The first instant at or after {@code from} at which updates are allowed: {@code from} itself
   * when a window is open then (or none is configured), else the earliest next opening.
   */
  public static Instant firstOpenAtOrAfter(List<MaintenanceWindow> windows, Instant from) {
    Instant first = from;
    if (anyOpen(windows, from)) {
      return first;
    }
    first = null;
    for (MaintenanceWindow window : windows) {
      Instant opens = window.nextOpeningAfter(from);
      if (first == null || opens.isBefore(first)) {
        first = opens;
      }
    }
    return first;
  }
}
