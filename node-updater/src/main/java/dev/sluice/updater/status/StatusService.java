package dev.sluice.updater.status;

import dev.sluice.core.report.NodeReport;
import dev.sluice.updater.lottery.LotteryService;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.KeyValueStore;
import dev.sluice.updater.state.NodeIdentity;
import dev.sluice.updater.state.RunStore;
import dev.sluice.updater.state.StateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Reads the node's state without the network and without taking the run lock. */
public final class StatusService {

  /**
   * @throws StateException when there is no state file yet, or it cannot be read
   */
  public NodeStatus read(Path state, int runs) {
    if (!Files.exists(state)) {
      throw new StateException("no state file at " + state + ": node-updater has not run here yet");
    }
    // Read only, like /info: status never migrates, moves aside or locks a running node's file.
    try (Database database = Database.openReadOnly(state)) {
      KeyValueStore kv = new KeyValueStore(database);
      Optional<String> node = kv.get(NodeIdentity.KEY);
      NodeStatus.Ticket ticket =
          new LotteryService(kv, NO_DRAWS)
              .readTicket()
              .map(t -> new NodeStatus.Ticket(t.value(), t.drawnAt()))
              .orElse(null);
      List<NodeReport> history = new RunStore(database).latest(runs);
      return new NodeStatus(node.orElse(null), state.toString(), ticket, history);
    }
  }

  /** Status never draws; a draw here would be a bug. */
  private static final RandomGenerator NO_DRAWS =
      () -> {
        throw new IllegalStateException("status must not draw a lottery ticket");
      };
}
