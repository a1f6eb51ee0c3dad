package dev.sluice.updater.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The update-rate limit as the simulation asks it: a node takes a slot before it moves and gives it
 * back once it is healthy or rolled back.
 *
 * <p>{@link #limit} is a stand-in that counts {@code maxConcurrentUpdates} and {@code
 * maxUpdatesPerHour} for one channel; when the rate limit's own slot accounting is in core, {@link
 * RolloutSimulation} takes that class through this interface instead.
 */
public interface UpdateSlots {

  /** No limit: every node may move. */
  UpdateSlots NONE =
      new UpdateSlots() {
        @Override
        public boolean take(String node, Instant now) {
          return true;
        }

        @Override
        public void give(String node, Instant now) {}
      };

  /** Whether {@code node} may start moving now; true means it holds a slot. */
  boolean take(String node, Instant now);

  /** {@code node} is done (healthy or rolled back): its slot is free. */
  void give(String node, Instant now);

  /**
   * At most {@code concurrent} nodes moving at once and {@code perHour} starts in any hour (0: no
   * such bound).
   */
  static UpdateSlots limit(int concurrent, int perHour) {
    return new UpdateSlots() {
      private final Set<String> holders = new HashSet<>();
      private final Deque<Instant> starts = new ArrayDeque<>();

      @Override
      public boolean take(String node, Instant now) {
        if (holders.contains(node)) {
          return true;
        }
        while (!starts.isEmpty() && !starts.peekFirst().isAfter(now.minus(Duration.ofHours(1)))) {
          starts.removeFirst();
        }
        if ((concurrent > 0 && holders.size() >= concurrent)
            || (perHour > 0 && starts.size() >= perHour)) {
          return false;
        }
        holders.add(node);
        starts.addLast(now);
        return true;
      }

      @Override
      public void give(String node, Instant now) {
        holders.remove(node);
      }
    };
  }
}
