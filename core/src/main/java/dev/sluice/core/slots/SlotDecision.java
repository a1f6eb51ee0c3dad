package dev.sluice.core.slots;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a request for a slot.
 *
 * @param outcome granted, renewed or refused (and why)
 * @param slot the slot the holder now has; null when refused
 * @param expired slots of the lock group that expired and are to be forgotten
 * @param retryAt the earliest time a refused request could succeed (a held slot expires or an hour
 *     passes since a grant); null when granted
 * @param message one line for people and logs
 */
public record SlotDecision(
    Outcome outcome, Slot slot, List<Slot> expired, Instant retryAt, String message) {

  /** What became of a request. */
  public enum Outcome {
    /** A new slot. */
    GRANTED,
    /** The holder already had a slot; its expiry starts again. */
    RENEWED,
    /** Refused: {@code maxConcurrentUpdates} slots are held. */
    REFUSED_CONCURRENT,
    /** Refused: {@code maxUpdatesPerHour} slots were granted in the last hour. */
    REFUSED_RATE;

    /** True for a granted or renewed slot. */
    public boolean granted() {
      return this == GRANTED || this == RENEWED;
    }
  }

  public SlotDecision {
    Objects.requireNonNull(outcome, "outcome");
    expired = List.copyOf(expired);
    Objects.requireNonNull(message, "message");
    if (outcome.granted() != (slot != null)) {
      throw new IllegalArgumentException("a granted decision has a slot, a refused one none");
    }
  }

  /** True when the holder may move. */
  public boolean granted() {
    return outcome.granted();
  }
}
