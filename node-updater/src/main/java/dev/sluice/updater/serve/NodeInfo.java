package dev.sluice.updater.serve;

import dev.sluice.core.report.NodeReport;
import java.time.Instant;
import java.util.Map;

/**
 * What a node's info endpoint says: its id, channel and preprod flag, what it runs, its lottery
 * ticket and its last run (FluxOS's {@code preProdNode} in {@code flux/info}, and more).
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
    Map<String, Long> runs) {

  public NodeInfo {
    runs = Map.copyOf(runs);
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
