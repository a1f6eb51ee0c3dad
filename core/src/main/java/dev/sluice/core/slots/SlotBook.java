package dev.sluice.core.slots;

import java.time.Instant;
import java.util.List;

/**
 * What is known about one lock group at a moment: the slots recorded as held (some may have
 * expired) and when slots were granted recently (at least the last hour; older ones are ignored).
 *
 * @param held the slots recorded as held
 * @param grants when each slot was granted, renewals not counted
 */
public record SlotBook(List<Slot> held, List<Instant> grants) {

  public SlotBook {
    held = List.copyOf(held);
    grants = List.copyOf(grants);
  }

  /** A lock group nobody has asked for yet. */
  public static SlotBook empty() {
    return new SlotBook(List.of(), List.of());
  }
}
