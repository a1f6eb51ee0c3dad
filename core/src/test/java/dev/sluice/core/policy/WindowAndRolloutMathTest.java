package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowAndRolloutMathTest {

  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void aWeekLongWindowOnEveryDayIsAlwaysOpen() {
    MaintenanceWindow always =
        new MaintenanceWindow(
            EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, Duration.ofDays(7), UTC);

    for (int hour = 0; hour < 24 * 8; hour += 5) {
      assertThat(always.contains(Instant.parse("2026-11-16T00:00:00Z").plusSeconds(hour * 3600L)))
          .isTrue();
    }
  }

  @Test
  void nextOpeningIsStrictlyAfterAndTheEarliestOfSeveralWindowsWins() {
    MaintenanceWindow monday =
        new MaintenanceWindow(
            EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(2, 0), Duration.ofHours(1), UTC);
    MaintenanceWindow friday =
        new MaintenanceWindow(
            EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(2, 0), Duration.ofHours(1), UTC);
    Instant mondayTwo = Instant.parse("2026-11-23T02:00:00Z");

    assertThat(monday.nextOpeningAfter(mondayTwo)).isEqualTo(Instant.parse("2026-11-30T02:00:00Z"));
    assertThat(monday.nextOpeningAfter(mondayTwo.minusNanos(1))).isEqualTo(mondayTwo);
    assertThat(
            MaintenanceWindow.firstOpenAtOrAfter(
                List.of(monday, friday), mondayTwo.plusSeconds(7200)))
        .isEqualTo(Instant.parse("2026-11-27T02:00:00Z"));
    assertThat(MaintenanceWindow.firstOpenAtOrAfter(List.of(), mondayTwo)).isEqualTo(mondayTwo);
    assertThat(MaintenanceWindow.anyOpen(List.of(), mondayTwo)).isTrue();
  }

  @Test
  void windowsInOtherZonesOpenAtTheirLocalTime() {
    MaintenanceWindow tokyo =
        new MaintenanceWindow(
            EnumSet.of(DayOfWeek.SUNDAY),
            LocalTime.of(1, 0),
            Duration.ofHours(2),
            ZoneId.of("Asia/Tokyo"));

    // Sunday 01:00 in Tokyo is Saturday 16:00 UTC.
    assertThat(tokyo.contains(Instant.parse("2026-11-21T16:00:00Z"))).isTrue();
    assertThat(tokyo.contains(Instant.parse("2026-11-22T01:00:00Z"))).isFalse();
  }

  @Test
  void rolloutFractionGrowsLinearlyFromTheStartFraction() {
    Instant start = Instant.parse("2026-11-20T00:00:00Z");
    Rollout rollout = new Rollout("v5.2.0", start, Duration.ofHours(10), 0.2);

    assertThat(rollout.fractionAt(start.minusSeconds(1))).isZero();
    assertThat(rollout.fractionAt(start)).isEqualTo(0.2);
    assertThat(rollout.fractionAt(start.plus(Duration.ofHours(5)))).isCloseTo(0.6, within(1e-12));
    assertThat(rollout.fractionAt(start.plus(Duration.ofHours(10)))).isEqualTo(1.0);
    assertThat(rollout.fractionAt(start.plus(Duration.ofDays(4000)))).isEqualTo(1.0);
    assertThat(rollout.admits(0.0, start.minusNanos(1))).isFalse();
    assertThat(rollout.admitsFrom(0.1)).isEqualTo(start);
    assertThat(rollout.admitsFrom(0.6)).isEqualTo(start.plus(Duration.ofHours(5)));
  }

  @Test
  void everyoneTakesAFullStartFractionRolloutAtItsStart() {
    Instant start = Instant.parse("2026-11-20T00:00:00Z");
    Rollout all = new Rollout("v5.2.0", start, Duration.ofHours(1), 1.0);

    assertThat(all.admitsFrom(0.999999)).isEqualTo(start);
    assertThat(all.admits(0.999999, start)).isTrue();
  }

  @Test
  void recordsRefuseImpossibleWindowsAndRollouts() {
    assertThatThrownBy(
            () ->
                new MaintenanceWindow(
                    EnumSet.noneOf(DayOfWeek.class), LocalTime.NOON, Duration.ofHours(1), UTC))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new MaintenanceWindow(
                    EnumSet.of(DayOfWeek.MONDAY), LocalTime.NOON, Duration.ofDays(8), UTC))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rollout("v1", Instant.EPOCH, Duration.ZERO, 0.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rollout("v..1", Instant.EPOCH, Duration.ofHours(1), 0.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
