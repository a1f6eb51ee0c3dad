package dev.sluice.web.fleet;

import java.time.Instant;
import java.util.List;

/**
 * What the dashboard knows about one node: its latest report, flattened.
 *
 * @param finishedAt when the node says its last run finished (on the node's clock)
 * @param lastSeen when the dashboard received the node's last report (on the dashboard's clock, so
 *     a node with a wrong clock neither looks fresher nor goes stale)
 * @param name the node's host name or configured name (null from an older node-updater)
 * @param updaterVersion the node-updater version of its last report (null from an older one)
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
    Instant lastSeen,
    String name,
    String updaterVersion) {

  public NodeView {
    groups = List.copyOf(groups);
  }

  /** Why a node was held or failed. */
  public record Reason(String code, String text) {}
}
