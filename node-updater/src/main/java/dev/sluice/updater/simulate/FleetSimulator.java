package dev.sluice.updater.simulate;

import dev.sluice.core.report.NodeReport;
import dev.sluice.updater.run.RunRequest;
import dev.sluice.updater.run.RunResult;
import dev.sluice.updater.run.RunService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Drives a simulated fleet from one JVM: every node has its own working tree and state file under a
 * fleet folder, and runs through the same {@link RunService} code path as {@code node-updater run}.
 * Used by the demo and the benchmark, and by operators to rehearse a rollout.
 */
public final class FleetSimulator {

  private final RunService service;
  private final int threads;

  public FleetSimulator(RunService service, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.service = service;
    this.threads = threads;
  }

  /** The folder of node {@code index} (1-based) in a fleet folder: {@code node-007}. */
  public static Path nodeDir(Path fleet, int index) {
    return fleet.resolve(String.format(Locale.ROOT, "node-%03d", index));
  }

  /** A request for node {@code index} with the built-in defaults. */
  public static RunRequest defaultRequest(Path fleet, int index, String remote) {
    Path dir = nodeDir(fleet, index);
    return RunRequest.defaults(dir.resolve("workdir"), remote, dir.resolve("state.db"));
  }

  /**
   * Runs every node once, in index order of the result.
   *
   * @param nodes how many nodes
   * @param requestFor the request of node {@code i} (1-based)
   */
  public List<SimulatedRun> runAll(int nodes, IntFunction<RunRequest> requestFor) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<RunResult>> futures = new ArrayList<>(nodes);
      for (int i = 1; i <= nodes; i++) {
        RunRequest request = requestFor.apply(i);
        futures.add(pool.submit(() -> service.run(request)));
      }
      List<SimulatedRun> runs = new ArrayList<>(nodes);
      for (int i = 0; i < nodes; i++) {
        runs.add(new SimulatedRun(i + 1, futures.get(i).get()));
      }
      return runs;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("simulation interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("simulated node failed: " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One node's run in a simulation. */
  public record SimulatedRun(int index, RunResult result) {
    public NodeReport report() {
      return result.report();
    }
  }
}
