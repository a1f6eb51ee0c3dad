package dev.sluice.updater.cli;

import dev.sluice.cli.OutputOptions;
import dev.sluice.core.json.Json;
import dev.sluice.updater.simulate.RolloutOutcomes;
import dev.sluice.updater.simulate.RolloutSimulation;
import dev.sluice.updater.simulate.Scenario;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code node-updater simulate-rollout}: a whole fleet through the decisions, in virtual time. */
@Command(
    name = "simulate-rollout",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate rollouts on a fleet in virtual time through the products' decision code (the",
      "lottery, RolloutDecider, the guard, the rate limit): good and bad releases, with and",
      "without phased rollout, rate limit and guard, and fleet-web unreachable for an hour.",
      "Prints a Markdown table and whether the goals are met."
    })
public final class SimulateRolloutCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--nodes",
      defaultValue = "13000",
      paramLabel = "N",
      description = "Fleet size (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--max-concurrent-updates",
      defaultValue = "100",
      paramLabel = "N",
      description = "The rate limit's concurrent bound per channel (default: ${DEFAULT-VALUE}).")
  int concurrent;

  @Option(
      names = "--max-updates-per-hour",
      defaultValue = "600",
      paramLabel = "N",
      description = "The rate limit's hourly bound per channel (default: ${DEFAULT-VALUE}).")
  int perHour;

  @Override
  public Integer call() {
    if (nodes < 100 || nodes > 1_000_000) {
      throw new ParameterException(spec.commandLine(), "--nodes must be from 100 to 1000000");
    }
    if (concurrent < 1 || perHour < 1) {
      throw new ParameterException(spec.commandLine(), "the rate limit bounds must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Scenario> scenarios = RolloutOutcomes.scenarios(concurrent, perHour);
    long started = System.nanoTime();
    long[] last = {started};
    List<RolloutSimulation.Result> results =
        RolloutOutcomes.runAll(
            scenarios,
            RolloutSimulation.Fleet.of(nodes, seed),
            r -> {
              long now = System.nanoTime();
              err.printf("simulated in %.1f s: %s%n", (now - last[0]) / 1e9, r.scenario().name());
              err.flush();
              last[0] = now;
            });
    if (OutputOptions.json(spec)) {
      out.println(Json.writePretty(results));
    } else {
      out.print(RolloutOutcomes.table(results));
      out.println();
      RolloutOutcomes.goals(results).forEach(out::println);
      out.printf(
          "%n%d nodes, seed %d, rate limit %d concurrent / %d per hour per channel; simulated in %.1f s%n",
          nodes, seed, concurrent, perHour, (System.nanoTime() - started) / 1e9);
    }
    out.flush();
    return 0;
  }
}
