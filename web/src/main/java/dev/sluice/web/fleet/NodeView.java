package dev.sluice.web.fleet;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard knows about one node: its latest report, flattened.
 *
 * @param lastSeen when the node was last known alive: the earlier of the report's finish time and
 *     the time the dashboard received it, so a node's clock can never make it look fresher
 */
public record NodeView(
    String node,
    String channel,
    boolean preprod,
    List<String> groups,
    String version,
    String currentCommit,
    String targetCommit,
    String action,
    String message,
    Reason reason,
    Double ticket,
    Instant finishedAt,
    Instant receivedAt,
    Instant lastSeen) {

  public NodeView {
    groups = List.copyOf(groups);
  }

  /** Why a node was held or failed. */
  public record Reason(String code, String text) {}
}
