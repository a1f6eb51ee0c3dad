package dev.sluice.updater.serve;

import dev.sluice.core.report.NodeReport;
import dev.sluice.updater.lottery.LotteryService;
import dev.sluice.updater.run.UpdaterVersion;
import dev.sluice.updater.state.Database;
import dev.sluice.updater.state.FailedCommitStore;
import dev.sluice.updater.state.KeyValueStore;
import dev.sluice.updater.state.NodeIdentity;
import dev.sluice.updater.state.RunStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Reads the node's info from its state file, read-only, fresh for every request. */
public final class NodeInfoService {

  private static final RandomGenerator NO_DRAWS =
      () -> {
        throw new IllegalStateException("the info endpoint must not draw a lottery ticket");
      };

  private final Path state;

  public NodeInfoService(Path state) {
    this.state = state;
  }

  /**
   * @throws dev.sluice.updater.state.StateException when the state file is missing or unreadable
   */
  public NodeInfo read() {
    try (Database database = Database.openReadOnly(state)) {
      KeyValueStore kv = new KeyValueStore(database);
      RunStore runs = new RunStore(database);
      Optional<NodeReport> last = runs.last();
      Optional<LotteryService.StoredTicket> ticket = new LotteryService(kv, NO_DRAWS).readTicket();
      NodeInfo.Lottery lottery =
          new NodeInfo.Lottery(
              ticket.map(LotteryService.StoredTicket::value).orElse(null),
              last.map(r -> r.lottery().weight()).orElse(null),
              ticket.map(LotteryService.StoredTicket::drawnAt).orElse(null),
              last.map(r -> r.lottery().nextDrawAt()).orElse(null),
              last.map(r -> r.lottery().reason()).orElse(null));
      NodeInfo.LastRun lastRun =
          last.map(
                  r ->
                      new NodeInfo.LastRun(
                          r.action().id(),
                          r.startedAt(),
                          r.finishedAt(),
                          r.message(),
                          r.reason(),
                          r.target() == null ? null : r.target().ref()))
              .orElse(null);
      return new NodeInfo(
          kv.get(NodeIdentity.KEY).orElse(null),
          last.map(NodeReport::channel).orElse(null),
          last.map(NodeReport::preprod).orElse(false),
          last.map(NodeReport::version).orElse(null),
          last.map(NodeReport::currentCommit).orElse(null),
          lottery,
          lastRun,
          new FailedCommitStore(database).totalAttempts(),
          runs.counts(),
          last.map(NodeReport::name).orElse(null),
          last.map(NodeReport::groups).orElse(List.of()),
          UpdaterVersion.current(),
          last.map(NodeReport::remote).orElse(null));
    }
  }
}
