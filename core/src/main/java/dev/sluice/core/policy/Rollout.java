package dev.sluice.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A phased rollout of one release: starting at {@code start}, the share of the fleet allowed to
 * take it grows linearly from {@code startFraction} to everyone over {@code duration}. A node takes
 * the release once {@code startFraction + (1 - startFraction) * elapsed / duration} reaches its
 * lottery ticket ({@code >=}); nobody takes it before {@code start}.
 *
 * @param ref the release: a tag name, full ref or commit id
 * @param start when the rollout begins
 * @param duration how long it takes to reach the whole fleet (positive)
 * @param startFraction the share of the fleet that may take it at {@code start}, in [0,1]
 */
public record Rollout(String ref, Instant start, Duration duration, double startFraction) {

  /** The longest rollout accepted: ten years keeps every elapsed time within a {@code long}. */
  public static final Duration MAX_DURATION = PolicyLimits.MAX_ROLLOUT;

  public Rollout {
    PolicyRefs.require(ref);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    PolicyLimits.require(
        PolicyLimits.inRange(start),
        "rollout start "
            + start
            + " is not between "
            + PolicyLimits.MIN_INSTANT
            + " and "
            + PolicyLimits.MAX_INSTANT);
    if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "rollout duration " + duration + " must be positive and at most " + MAX_DURATION);
    }
    if (!PolicyLimits.fraction(startFraction)) {
      throw new IllegalArgumentException("startFraction " + startFraction + " is not in [0,1]");
    }
  }

  /** The share of the fleet allowed to take the release at {@code now}: 0 before the start. */
  public double fractionAt(Instant now) {
    if (now.isBefore(start)) {
      return 0.0;
    }
    if (!now.isBefore(start.plus(duration))) {
      return 1.0;
    }
    long elapsed = Duration.between(start, now).toNanos();
    return Math.min(
        1.0, startFraction + (1.0 - startFraction) * ((double) elapsed / duration.toNanos()));
  }

  /** True when a node holding {@code ticket} may take the release at {@code now}. */
  public boolean admits(double ticket, Instant now) {
    return !now.isBefore(start) && fractionAt(now) >= ticket;
  }

  /**
   * The first instant (to the nanosecond) at which a node holding {@code ticket} may take the
   * release, solved from the formula: {@code start + duration * (ticket - startFraction) / (1 -
   * startFraction)}, or {@code start} when the ticket is already within the start fraction.
   */
  public Instant admitsFrom(double ticket) {
    if (ticket <= startFraction) {
      return start;
    }
    double needed = (ticket - startFraction) / (1.0 - startFraction);
    long nanos = (long) Math.ceil(needed * duration.toNanos());
    Instant at = start.plusNanos(Math.min(nanos, duration.toNanos()));
    // Floating point may put the solution a few nanoseconds off; settle on the exact boundary.
    while (!admits(ticket, at)) {
      at = at.plusNanos(1);
    }
    while (at.isAfter(start) && admits(ticket, at.minusNanos(1))) {
      at = at.minusNanos(1);
    }
    return at;
  }
}
