package dev.sluice.updater.serve;

import dev.sluice.core.report.NodeReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a node's info endpoint says: its id, channel and preprod flag, what it runs, its lottery
 * ticket and its last run (FluxOS's {@code preProdNode} in {@code flux/info}, and more), and how
 * operators know it: its name, its groups and the node-updater version.
 *
 * @param name the node's name at its last run (host name or {@code --node-name})
 * @param groups the node's groups at its last run
 * @param updaterVersion the version of the node-updater serving this
 * @param remote the remote that answered the last run (without credentials)
 */
public record NodeInfo(
    String node,
    String channel,
    boolean preprod,
    String version,
    String commit,
    Lottery lottery,
    LastRun lastRun,
    long updateFailures,
    Map<String, Long> runs,
    String name,
    List<String> groups,
    String updaterVersion,
    String remote) {

  public NodeInfo {
    runs = Map.copyOf(runs);
    groups = List.copyOf(groups);
  }

  /** The ticket and the weight it was compared against at the last run. */
  public record Lottery(
      Double ticket, Double weight, Instant drawnAt, Instant nextDrawAt, String reason) {}

  /** The last run's outcome. */
  public record LastRun(
      String action,
      Instant startedAt,
      Instant finishedAt,
      String message,
      NodeReport.Reason reason,
      String target) {}
}
