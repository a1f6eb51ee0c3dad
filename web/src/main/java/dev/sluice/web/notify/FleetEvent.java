package dev.sluice.web.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One change of the fleet's state worth telling people about, sent once to every webhook.
 *
 * @param kind what happened: {@code guard-tripped}, {@code channel-paused}, {@code
 *     channel-resumed}, {@code promoted}, {@code rolled-back}, {@code failures}, {@code
 *     nodes-not-seen}
 * @param channel the channel it concerns, or null
 * @param title one line for people
 * @param at when fleet-web noticed it
 * @param details further facts as text (commit, counts, reason...)
 */
public record FleetEvent(
    String kind, String channel, String title, Instant at, Map<String, String> details) {

  public static final String GUARD_TRIPPED = "guard-tripped";
  public static final String CHANNEL_PAUSED = "channel-paused";
  public static final String CHANNEL_RESUMED = "channel-resumed";
  public static final String PROMOTED = "promoted";
  public static final String ROLLED_BACK = "rolled-back";
  public static final String FAILURES = "failures";
  public static final String NODES_NOT_SEEN = "nodes-not-seen";

  public FleetEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(at, "at");
    details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
