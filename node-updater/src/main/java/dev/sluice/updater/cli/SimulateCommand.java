package dev.sluice.updater.cli;

import dev.sluice.cli.ClockOption;
import dev.sluice.cli.OutputOptions;
import dev.sluice.core.json.Json;
import dev.sluice.core.report.NodeReport;
import dev.sluice.updater.apply.ApplySettings;
import dev.sluice.updater.report.ReportSender;
import dev.sluice.updater.run.RunRequest;
import dev.sluice.updater.run.RunService;
import dev.sluice.updater.simulate.FleetSimulator;
import dev.sluice.updater.simulate.FleetSimulator.SimulatedRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.NullProgressMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code node-updater simulate}: run a whole simulated fleet through the real run code path. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Run N simulated nodes once each, every node with its own workdir and state file under"
          + " --fleet DIR/node-NNN, through the same code as 'run'; print the channel split."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--fleet",
      required = true,
      paramLabel = "DIR",
      description = "Folder holding the nodes.")
  Path fleet;

  @Option(names = "--remote", required = true, paramLabel = "URL", description = "The git remote.")
  String remote;

  @Option(
      names = "--nodes",
      defaultValue = "50",
      paramLabel = "N",
      description = "How many nodes (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--group",
      paramLabel = "NAME=COUNT",
      description = "Put the first COUNT nodes in group NAME (repeatable), e.g. farm-1=10.")
  Map<String, Integer> groups = new TreeMap<>();

  @Option(
      names = "--threads",
      defaultValue = "2",
      paramLabel = "N",
      description = "Nodes run at once (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--trust",
      paramLabel = "FILE",
      description = "Every node's trust file, as node-updater run --trust.")
  java.nio.file.Path trust;

  @Option(
      names = "--trust-policy",
      paramLabel = "FILE",
      description = "Keys for policy commits only, as node-updater run --trust-policy.")
  java.nio.file.Path trustPolicy;

  @Option(names = "--list", description = "Print one line per node.")
  boolean list;

  @Option(
      names = "--report-to",
      paramLabel = "BASE_URL",
      description = "Post every node's report to this fleet dashboard.")
  String reportTo;

  @Option(
      names = "--health-check",
      paramLabel = "COMMAND",
      description = {
        "Every node's health check after an update: a shell command run in its workdir that",
        "must exit 0 (one attempt), e.g. to make a release fail on every node."
      })
  String healthCheck;

  @Override
  public Integer call() {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1");
    }
    if (trustPolicy != null && trust == null) {
      throw new IllegalArgumentException("--trust-policy needs --trust");
    }
    dev.sluice.core.trust.TrustFile trustFile =
        trust == null ? null : dev.sluice.core.trust.TrustFile.load(trust, null);
    if (trustPolicy != null) {
      trustFile = trustFile.withPolicySigners(trustPolicy);
    }
    RunService service =
        new RunService(ClockOption.clock(spec), new SecureRandom(), NullProgressMonitor.INSTANCE)
            .trusting(trustFile);
    List<SimulatedRun> runs = new FleetSimulator(service, threads).runAll(nodes, this::requestFor);
    PrintWriter out = spec.commandLine().getOut();
    if (reportTo != null) {
      ReportSender sender = RunCommand.sender(reportTo, null, ClockOption.clock(spec));
      long failed =
          runs.stream()
              .map(
                  r ->
                      sender
                          .signedWith(
                              ReportSender.nodeSigning(
                                  FleetSimulator.defaultRequest(fleet, r.index(), remote).state(),
                                  ClockOption.clock(spec).instant()))
                          .send(r.report()))
              .filter(Optional::isPresent)
              .count();
      if (failed > 0) {
        out.println(
            "warning: " + failed + " of " + runs.size() + " reports to " + reportTo + " failed");
      }
    }
    if (OutputOptions.json(spec)) {
      out.println(Json.writePretty(runs.stream().map(SimulatedRun::report).toList()));
    } else {
      printSummary(out, runs);
    }
    return runs.stream().allMatch(r -> r.result().exitCode() == 0) ? 0 : 1;
  }

  private RunRequest requestFor(int index) {
    RunRequest request = FleetSimulator.defaultRequest(fleet, index, remote);
    if (healthCheck != null) {
      request =
          request.withApply(
              request
                  .apply()
                  .withHealthCheck(
                      ApplySettings.HealthCheck.parse(healthCheck, true),
                      ApplySettings.DEFAULT_HEALTH_TIMEOUT,
                      1,
                      java.time.Duration.ZERO));
    }
    List<String> memberOf = new ArrayList<>();
    groups.forEach(
        (group, count) -> {
          if (index <= count) {
            memberOf.add(group);
          }
        });
    return request.withGroups(memberOf);
  }

  private void printSummary(PrintWriter out, List<SimulatedRun> runs) {
    Map<String, Integer> byChannel = new TreeMap<>();
    Map<String, Integer> byVersion = new TreeMap<>();
    Map<String, Integer> byAction = new TreeMap<>();
    for (SimulatedRun run : runs) {
      NodeReport report = run.report();
      byChannel.merge(report.channel(), 1, Integer::sum);
      byAction.merge(report.action().id(), 1, Integer::sum);
      String version =
          report.version() != null ? report.version() : shortCommit(report.currentCommit());
      byVersion.merge(report.channel() + " " + version, 1, Integer::sum);
      if (list) {
        out.printf(
            "  node-%03d  %-7s  %-11s  %-10s  %s%n",
            run.index(),
            report.channel(),
            report.action(),
            shortCommit(report.currentCommit()),
            report.version() == null ? "" : report.version());
      }
    }
    int preprod = byChannel.getOrDefault("preprod", 0);
    out.printf(
        "%d nodes: %d stable, %d preprod (%.1f %%)%n",
        runs.size(), byChannel.getOrDefault("stable", 0), preprod, 100.0 * preprod / runs.size());
    out.println("running: " + byVersion);
    out.println("actions: " + byAction);
  }

  private static String shortCommit(String commit) {
    return commit == null ? "(none)" : commit.substring(0, Math.min(10, commit.length()));
  }
}
