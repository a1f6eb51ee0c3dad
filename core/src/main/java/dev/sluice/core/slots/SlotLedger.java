package dev.sluice.core.slots;

import dev.sluice.core.policy.UpdateLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Update slots kept in memory: every lock group's held slots and recent grants, decided by {@link
 * SlotRules} at the time of an injected clock. No I/O; the rollout simulation runs a fleet through
 * it in virtual time, and it is the reference the database-backed store in fleet-web is tested
 * against. Not thread-safe.
 */
public final class SlotLedger {

  private final Clock clock;
  private final Map<String, Map<String, Slot>> held = new HashMap<>();
  private final Map<String, ArrayDeque<Instant>> grants = new HashMap<>();

  public SlotLedger(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A node asks for a slot (FleetLock {@code pre-reboot}).
   *
   * @param limits the policy's update limits at this time
   * @param lockGroup the node's lock group
   * @param holder the node id
   */
  public SlotDecision acquire(UpdateLimits limits, String lockGroup, String holder) {
    Instant now = clock.instant();
    Map<String, Slot> slots = held.computeIfAbsent(lockGroup, group -> new LinkedHashMap<>());
    ArrayDeque<Instant> recent = grants.computeIfAbsent(lockGroup, group -> new ArrayDeque<>());
    Instant from = now.minus(SlotRules.RATE_WINDOW);
    while (!recent.isEmpty() && !recent.peekFirst().isAfter(from)) {
      recent.pollFirst();
    }
    SlotDecision decision =
        SlotRules.acquire(
            limits,
            lockGroup,
            new SlotBook(new ArrayList<>(slots.values()), new ArrayList<>(recent)),
            holder,
            now);
    for (Slot slot : decision.expired()) {
      slots.remove(slot.holder());
    }
    if (decision.granted()) {
      slots.put(holder, decision.slot());
      if (decision.outcome() == SlotDecision.Outcome.GRANTED) {
        recent.addLast(now);
      }
    }
    return decision;
  }

  /**
   * A node gives its slot back (FleetLock {@code steady-state}).
   *
   * @return true when it held one (live or expired)
   */
  public boolean release(String lockGroup, String holder) {
    Map<String, Slot> slots = held.get(lockGroup);
    return slots != null && slots.remove(holder) != null;
  }

  /** The live slots of a lock group, oldest grant first; expired ones are forgotten. */
  public List<Slot> held(String lockGroup) {
    Map<String, Slot> slots = held.get(lockGroup);
    if (slots == null) {
      return List.of();
    }
    Instant now = clock.instant();
    slots.values().removeIf(slot -> slot.expiredAt(now));
    return slots.values().stream().sorted(java.util.Comparator.comparing(Slot::grantedAt)).toList();
  }

  /** How many slots of a lock group were granted in the last hour. */
  public int grantedLastHour(String lockGroup) {
    ArrayDeque<Instant> recent = grants.get(lockGroup);
    if (recent == null) {
      return 0;
    }
    Instant from = clock.instant().minus(SlotRules.RATE_WINDOW);
    return (int) recent.stream().filter(at -> at.isAfter(from)).count();
  }
}
