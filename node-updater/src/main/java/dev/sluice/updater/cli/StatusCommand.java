package dev.sluice.updater.cli;

import dev.sluice.cli.OutputOptions;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import dev.sluice.updater.status.NodeStatus;
import dev.sluice.updater.status.StatusService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code node-updater status}: what the state file says, without touching the network. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the node's stored state and its last runs (no network).")
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      defaultValue = "/var/lib/sluice/state.db",
      description = "The node's state database (default: ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "10",
      description = "How many runs to show (default: ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() {
    if (runs < 1) {
      throw new IllegalArgumentException("--runs must be at least 1");
    }
    NodeStatus status = new StatusService().read(state, runs);
    PrintWriter out = spec.commandLine().getOut();
    if (OutputOptions.json(spec)) {
      out.println(Json.writePretty(status));
      return 0;
    }
    out.println("node      " + orNone(status.node()));
    out.println("state     " + status.state());
    if (status.lottery() != null) {
      NodeStatus.Ticket t = status.lottery();
      out.println("ticket    " + t.ticket() + " drawn " + t.drawnAt());
    } else {
      out.println("ticket    none drawn yet");
    }
    if (status.runs().isEmpty()) {
      out.println("no runs recorded yet");
      return 0;
    }
    NodeReport last = status.runs().get(0);
    out.println("channel   " + last.channel() + " (" + last.lottery().reason() + ")");
    out.println("next draw " + last.lottery().nextDrawAt());
    out.println(
        "commit    "
            + orNone(last.currentCommit())
            + (last.version() == null ? "" : " (" + last.version() + ")"));
    out.println();
    out.println("last runs, newest first:");
    for (NodeReport run : status.runs()) {
      out.printf(
          "  %s  %-7s  %-11s  %s -> %s%s%n      %s%n",
          run.finishedAt(),
          run.channel(),
          run.action(),
          shortCommit(run.previousCommit()),
          shortCommit(run.currentCommit()),
          run.reason() == null ? "" : "  [" + run.reason().code() + "]",
          run.message());
    }
    return 0;
  }

  private static String shortCommit(String commit) {
    return commit == null ? "(none)" : commit.substring(0, Math.min(10, commit.length()));
  }

  private static String orNone(String value) {
    return value == null ? "(none)" : value;
  }
}
