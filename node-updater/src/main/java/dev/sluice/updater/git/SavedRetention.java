package dev.sluice.updater.git;

import java.time.Duration;
import java.util.Objects;

/**
 * How much saved work a node keeps: a saved-work ref is pruned only when it is both beyond the
 * newest {@code keep} and older than {@code keepFor}. So the newest {@code keep} are always kept,
 * however old, and nothing younger than {@code keepFor} is ever pruned, however many there are.
 *
 * @param keep how many of the newest saved-work refs are always kept
 * @param keepFor how long every saved-work ref is kept
 */
public record SavedRetention(int keep, Duration keepFor) {

  public static final int DEFAULT_KEEP = 20;
  public static final Duration DEFAULT_KEEP_FOR = Duration.ofDays(90);
  public static final SavedRetention DEFAULT = new SavedRetention(DEFAULT_KEEP, DEFAULT_KEEP_FOR);

  public SavedRetention {
    Objects.requireNonNull(keepFor, "keepFor");
    if (keep < 0) {
      throw new IllegalArgumentException("--keep-saved must not be negative");
    }
    if (keepFor.isNegative()) {
      throw new IllegalArgumentException("--keep-saved-for must not be negative");
    }
  }
}
