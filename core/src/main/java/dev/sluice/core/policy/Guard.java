package dev.sluice.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A channel's guard: when, among the nodes that tried the channel's current target within {@code
 * window}, more than {@code maxFailureRatio} failed (and at least {@code minSample} tried),
 * fleet-web takes {@code action} by itself, as one commit on {@code rollout-policy}.
 *
 * @param maxFailureRatio the largest share of failed nodes that is still fine, in [0,1]
 * @param minSample how many nodes must have tried the target before the guard judges it
 * @param window how far back reports count
 * @param action what a trip does
 * @param countFrom reports received before this instant never count (set by {@code resume}, so the
 *     evidence that tripped the guard cannot trip it again); null: no such boundary
 */
public record Guard(
    double maxFailureRatio, int minSample, Duration window, GuardAction action, Instant countFrom) {

  /** The built-in ratio: more than 5 % failed nodes trips the guard. */
  public static final double DEFAULT_MAX_FAILURE_RATIO = 0.05;

  /** The built-in sample: 20 nodes. */
  public static final int DEFAULT_MIN_SAMPLE = 20;

  /** The built-in window: two hours. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(2);

  public Guard {
    if (!PolicyLimits.fraction(maxFailureRatio)) {
      throw new IllegalArgumentException(
          "guard.maxFailureRatio " + maxFailureRatio + " is not in [0,1]");
    }
    PolicyLimits.require(
        minSample >= 1 && minSample <= PolicyLimits.MAX_GUARD_SAMPLE,
        "guard.minSample " + minSample + " is not between 1 and " + PolicyLimits.MAX_GUARD_SAMPLE);
    Objects.requireNonNull(window, "window");
    PolicyLimits.require(
        window.compareTo(PolicyLimits.MIN_GUARD_WINDOW) >= 0
            && window.compareTo(PolicyLimits.MAX_GUARD_WINDOW) <= 0,
        "guard.window " + window + " is not between PT1M and P30D");
    Objects.requireNonNull(action, "action");
    PolicyLimits.require(
        countFrom == null || PolicyLimits.inRange(countFrom),
        "guard.countFrom " + countFrom + " is out of range");
  }

  /** More than 5 % of at least 20 nodes within two hours pauses the channel. */
  public static Guard defaults() {
    return new Guard(
        DEFAULT_MAX_FAILURE_RATIO, DEFAULT_MIN_SAMPLE, DEFAULT_WINDOW, GuardAction.PAUSE, null);
  }

  /** This guard counting only reports received from {@code instant} on. */
  public Guard countingFrom(Instant instant) {
    return new Guard(maxFailureRatio, minSample, window, action, instant);
  }

  /** The earliest report time that counts at {@code now}: the window's start or countFrom. */
  public Instant evidenceFrom(Instant now) {
    Instant start = now.minus(window);
    return countFrom != null && countFrom.isAfter(start) ? countFrom : start;
  }
}
