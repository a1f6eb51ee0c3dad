package dev.sluice.core.slots;

import dev.sluice.core.policy.UpdateLimit;
import dev.sluice.core.policy.UpdateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The slot rules as pure functions: given what a lock group holds and was granted, and the time,
 * whether a node gets a slot. fleet-web applies them to the rows of its database, {@link
 * SlotLedger} to memory (the rollout simulation); both answer alike because both ask here.
 *
 * <ul>
 *   <li>A slot not given back stops counting at its {@code expiresAt} (a node that died).
 *   <li>A node that already holds a live slot in the lock group keeps it: the request is granted
 *       again and the expiry starts over, without counting as a new update.
 *   <li>{@code maxConcurrentUpdates}: refused while that many other live slots are held.
 *   <li>{@code maxUpdatesPerHour}: refused while that many slots were granted in the last 60
 *       minutes (a grant exactly an hour old no longer counts); expired and given-back slots still
 *       count for the hour in which they were granted.
 *   <li>A lock group without a limit grants every request (and still records the slot).
 * </ul>
 */
public final class SlotRules {

  /** The window of {@code maxUpdatesPerHour}. */
  public static final Duration RATE_WINDOW = Duration.ofHours(1);

  private SlotRules() {}

  /**
   * Decides a request for a slot.
   *
   * @param limits the policy's update limits (the lock group's limit and the slot expiry)
   * @param lockGroup the lock group asked for
   * @param book what the lock group holds and was granted
   * @param holder the node asking
   * @param now the time of the request
   */
  public static SlotDecision acquire(
      UpdateLimits limits, String lockGroup, SlotBook book, String holder, Instant now) {
    Objects.requireNonNull(lockGroup, "lockGroup");
    Objects.requireNonNull(holder, "holder");
    Optional<UpdateLimit> limit = limits.limitFor(lockGroup);
    List<Slot> expired = expired(book, now);
    List<Slot> live = new ArrayList<>();
    Slot own = null;
    for (Slot slot : book.held()) {
      if (slot.expiredAt(now)) {
        continue;
      }
      if (slot.holder().equals(holder)) {
        own = slot;
      } else {
        live.add(slot);
      }
    }
    Instant expiresAt = now.plus(limits.slotExpiry());
    if (own != null) {
      return new SlotDecision(
          SlotDecision.Outcome.RENEWED,
          new Slot(lockGroup, holder, own.grantedAt(), expiresAt),
          expired,
          null,
          "slot in lock group '" + lockGroup + "' renewed until " + expiresAt);
    }
    List<Instant> recent = recentGrants(book, now);
    String counts = counts(limit, live.size(), recent.size());
    if (limit.isPresent()) {
      UpdateLimit max = limit.get();
      if (max.limitsConcurrency() && live.size() >= max.maxConcurrentUpdates()) {
        Instant retryAt =
            live.stream().map(Slot::expiresAt).min(Comparator.naturalOrder()).orElse(now);
        if (max.limitsRate() && recent.size() >= max.maxUpdatesPerHour()) {
          retryAt = later(retryAt, rateRetry(recent, max.maxUpdatesPerHour()));
        }
        return new SlotDecision(
            SlotDecision.Outcome.REFUSED_CONCURRENT,
            null,
            expired,
            retryAt,
            "no slot in lock group '"
                + lockGroup
                + "': "
                + counts
                + " (maxConcurrentUpdates); a slot frees up by "
                + retryAt);
      }
      if (max.limitsRate() && recent.size() >= max.maxUpdatesPerHour()) {
        Instant retryAt = rateRetry(recent, max.maxUpdatesPerHour());
        return new SlotDecision(
            SlotDecision.Outcome.REFUSED_RATE,
            null,
            expired,
            retryAt,
            "no slot in lock group '"
                + lockGroup
                + "': "
                + counts
                + " (maxUpdatesPerHour); the next one at "
                + retryAt);
      }
    }
    return new SlotDecision(
        SlotDecision.Outcome.GRANTED,
        new Slot(lockGroup, holder, now, expiresAt),
        expired,
        null,
        "slot granted in lock group '"
            + lockGroup
            + "' until "
            + expiresAt
            + " ("
            + counts(limit, live.size() + 1, recent.size() + 1)
            + ")");
  }

  /** The slots of {@code book} that no longer count at {@code now}, oldest grant first. */
  public static List<Slot> expired(SlotBook book, Instant now) {
    return book.held().stream()
        .filter(slot -> slot.expiredAt(now))
        .sorted(Comparator.comparing(Slot::grantedAt).thenComparing(Slot::holder))
        .toList();
  }

  /** The grants of {@code book} that count against {@code maxUpdatesPerHour} at {@code now}. */
  public static List<Instant> recentGrants(SlotBook book, Instant now) {
    Instant from = now.minus(RATE_WINDOW);
    return book.grants().stream().filter(at -> at.isAfter(from)).sorted().toList();
  }

  /** When enough recent grants are an hour old for one more to fit under {@code max}. */
  private static Instant rateRetry(List<Instant> sortedRecent, int max) {
    return sortedRecent.get(sortedRecent.size() - max).plus(RATE_WINDOW);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String counts(Optional<UpdateLimit> limit, int held, int lastHour) {
    if (limit.isEmpty()) {
      return held + " held, no limit";
    }
    UpdateLimit max = limit.get();
    String heldText = held + (max.limitsConcurrency() ? " of " + max.maxConcurrentUpdates() : "");
    String hourText =
        lastHour + (max.limitsRate() ? " of " + max.maxUpdatesPerHour() : "") + " this hour";
    return heldText + " held, " + hourText;
  }
}
