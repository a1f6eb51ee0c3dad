package dev.sluice.web.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fleet at a glance, as {@code GET /api/fleet} returns it.
 *
 * @param activeNodes nodes seen within {@code staleAfter}
 */
public record FleetSummary(
    Instant generatedAt,
    Duration staleAfter,
    int totalNodes,
    int activeNodes,
    List<ChannelCount> channels,
    PreprodShare preprod,
    List<VersionCount> versions,
    Map<String, Integer> actions,
    Failures failures,
    Held held,
    Stale stale) {

  public FleetSummary {
    channels = List.copyOf(channels);
    versions = List.copyOf(versions);
    actions = Map.copyOf(actions);
  }

  /** How many nodes ride one channel, and how many of those were seen recently. */
  public record ChannelCount(String channel, int nodes, int activeNodes) {}

  /**
   * The preprod slice against the policy's target weight.
   *
   * @param share preprod nodes among active nodes (null when no node is active)
   * @param deviation {@code share - target} (null when share is)
   */
  public record PreprodShare(
      int nodes, int activeNodes, Double share, double target, Double deviation) {}

  /**
   * Nodes on one version and commit of a channel.
   *
   * @param version the release tag, or the short commit when the node reported no tag
   */
  public record VersionCount(String channel, String version, String commit, int nodes) {}

  /** Nodes whose last run ended in one way for one reason. */
  public record ReasonCount(
      String action, String code, String targetCommit, int nodes, String example) {}

  /** Nodes whose last run failed or rolled back. */
  public record Failures(int total, List<ReasonCount> byReason, List<NodeView> recent) {
    public Failures {
      byReason = List.copyOf(byReason);
      recent = List.copyOf(recent);
    }
  }

  /** Nodes the policy holds back, and why. */
  public record Held(int total, List<ReasonCount> byReason, List<NodeView> nodes) {
    public Held {
      byReason = List.copyOf(byReason);
      nodes = List.copyOf(nodes);
    }
  }

  /** Nodes not seen for longer than {@code staleAfter}, oldest first. */
  public record Stale(int total, List<NodeView> nodes) {
    public Stale {
      nodes = List.copyOf(nodes);
    }
  }
}
