package dev.sluice.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;

/**
 * The range of every policy value. A policy inside these ranges can be applied by every program
 * without overflow: the lottery, the phased-rollout and window arithmetic, and the promotion gates
 * all stay far from the limits of {@link Instant} and {@code long} nanoseconds, and every list the
 * node walks on each run stays short.
 *
 * <p>The parser, the records' constructors and the published schema all read these constants, and
 * docs/rollout-policy.md lists them.
 */
public final class PolicyLimits {

  /** The longest lottery period: a ticket is redrawn at least once a year. */
  public static final Period MAX_PERIOD = Period.ofYears(1);

  /** The longest soak: a year. */
  public static final Duration MAX_SOAK = Duration.ofDays(365);

  /** The longest phased rollout: ten years. */
  public static final Duration MAX_ROLLOUT = Duration.ofDays(3650);

  /** The longest maintenance window: a week. */
  public static final Duration MAX_WINDOW = Duration.ofDays(7);

  /** The earliest rollout start. */
  public static final Instant MIN_INSTANT = Instant.parse("1970-01-01T00:00:00Z");

  /** The latest rollout start (the last second with a four-digit year). */
  public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59Z");

  /** The most failed attempts at one commit before a node skips it. */
  public static final int MAX_ATTEMPTS = 1000;

  /** The largest healthy-node minimum of the health gate. */
  public static final int MAX_HEALTHY_NODES = 1_000_000;

  /** The largest sample a channel's guard may wait for. */
  public static final int MAX_GUARD_SAMPLE = 1_000_000;

  /** The shortest guard window: a minute. */
  public static final Duration MIN_GUARD_WINDOW = Duration.ofMinutes(1);

  /** The longest guard window: thirty days. */
  public static final Duration MAX_GUARD_WINDOW = Duration.ofDays(30);

  /** The most names in {@code frozen}. */
  public static final int MAX_FROZEN = 10_000;

  /** The most entries in {@code lottery.groupWeights}. */
  public static final int MAX_GROUP_WEIGHTS = 1000;

  /** The most dead-ends. */
  public static final int MAX_DEADENDS = 1000;

  /**
   * The most barriers: a node walks history for each barrier and compares every pair of those below
   * its target on each run. Remove a barrier once every node has passed it.
   */
  public static final int MAX_BARRIERS = 20;

  /** The most phased rollouts. */
  public static final int MAX_ROLLOUTS = 100;

  /** The most maintenance windows. */
  public static final int MAX_WINDOWS = 50;

  /** The longest node id or group name. */
  public static final int MAX_NAME = 200;

  /** The longest reason (dead-ends, barriers, a pause). */
  public static final int MAX_REASON = 1000;

  /** The longest ref or branch name. */
  public static final int MAX_REF = 255;

  /** The longest tag pattern. */
  public static final int MAX_TAG_PATTERN = 100;

  /** The largest {@code maxConcurrentUpdates} or {@code maxUpdatesPerHour}. */
  public static final int MAX_UPDATE_LIMIT = 1_000_000;

  /** The most entries in {@code updateLimits.groups}. */
  public static final int MAX_LIMITED_GROUPS = 1000;

  /** The shortest {@code updateLimits.slotExpiry}: a minute. */
  public static final Duration MIN_SLOT_EXPIRY = Duration.ofMinutes(1);

  /** The longest {@code updateLimits.slotExpiry}: a day. */
  public static final Duration MAX_SLOT_EXPIRY = Duration.ofDays(1);

  private PolicyLimits() {}

  /**
   * True when a lottery period lasts at least a day and at most {@link #MAX_PERIOD} on every
   * calendar: a period of whole months or years is compared in months ({@code P12M} is {@code
   * P1Y}), one with days counts 31 days a month and at most 366 days ({@code P366D}, not {@code
   * P11M30D}).
   */
  public static boolean periodInRange(Period period) {
    if (period.isNegative() || period.isZero()) {
      return false;
    }
    long months = period.toTotalMonths();
    if (period.getDays() == 0) {
      return months <= MAX_PERIOD.toTotalMonths();
    }
    return months * 31 + period.getDays() <= 366;
  }

  /** True when {@code duration} is in {@code [min, max]}. */
  public static boolean inRange(Duration duration, Duration min, Duration max) {
    return duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0;
  }

  /** True when {@code instant} is in {@code [MIN_INSTANT, MAX_INSTANT]}. */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(MIN_INSTANT) && !instant.isAfter(MAX_INSTANT);
  }

  /** True when {@code value} is a number in [0,1]. */
  public static boolean fraction(double value) {
    return value >= 0.0 && value <= 1.0;
  }

  static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException(what);
    }
  }

  static String requireText(String text, int max, String what) {
    if (text == null || text.isBlank() || text.length() > max) {
      throw new IllegalArgumentException(
          what + " must be a non-empty text of at most " + max + " characters");
    }
    return text;
  }

  static void requireSize(int size, int max, String what) {
    if (size > max) {
      throw new IllegalArgumentException(what + " has " + size + " entries, at most " + max);
    }
  }
}
