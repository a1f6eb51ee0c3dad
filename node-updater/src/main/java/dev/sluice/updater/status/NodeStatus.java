package dev.sluice.updater.status;

import dev.sluice.core.report.NodeReport;
import java.time.Instant;
import java.util.List;

/** What the state file says about the node: its id, its ticket and its last runs (newest first). */
public record NodeStatus(String node, String state, Ticket lottery, List<NodeReport> runs) {

  public NodeStatus {
    runs = List.copyOf(runs);
  }

  /** The stored lottery ticket. */
  public record Ticket(double ticket, Instant drawnAt) {}
}
