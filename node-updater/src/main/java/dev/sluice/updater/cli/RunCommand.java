package dev.sluice.updater.cli;

import dev.sluice.core.channel.ChannelLayout;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.channel.Track;
import dev.sluice.core.json.Json;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.core.report.NodeReport;
import dev.sluice.core.version.TagPattern;
import dev.sluice.updater.lottery.ChannelChoice;
import dev.sluice.updater.run.RunRequest;
import dev.sluice.updater.run.RunResult;
import dev.sluice.updater.run.RunService;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.TextProgressMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code node-updater run}: bring the node to its channel's commit. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Draw the lottery if due, fetch the channel and move the working tree to it.")
public final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--workdir",
      required = true,
      paramLabel = "DIR",
      description = "The node's working tree.")
  Path workdir;

  @Option(
      names = "--remote",
      required = true,
      paramLabel = "URL",
      description = "The git remote to follow.")
  String remote;

  @Option(
      names = "--state",
      paramLabel = "FILE",
      defaultValue = "/var/lib/sluice/state.db",
      description = "The node's state database (default: ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--group",
      paramLabel = "NAME",
      description = "A group this node belongs to (repeatable).")
  List<String> groups = new ArrayList<>();

  @Option(
      names = "--channel",
      paramLabel = "auto|stable|preprod",
      defaultValue = "auto",
      description = "Pin the node to a channel instead of the lottery (default: ${DEFAULT-VALUE}).")
  String channel;

  @Option(
      names = "--disable-preprod",
      description = "Never ride preprod, whatever the ticket says.")
  boolean disablePreprod;

  @Option(
      names = "--preprod-probability",
      paramLabel = "P",
      description = "Share of nodes that ride preprod (default: 0.07).")
  Double probability;

  @Option(
      names = "--lottery-period",
      paramLabel = "PERIOD",
      description = "How long a ticket lasts, ISO-8601 (default: P1M).")
  Period period;

  @Option(
      names = "--track",
      paramLabel = "branch|tag",
      defaultValue = "branch",
      description =
          "Follow the channel's branch tip or its newest release tag (default: ${DEFAULT-VALUE}).")
  String track;

  @Option(
      names = "--stable-branch",
      defaultValue = "master",
      paramLabel = "NAME",
      description = "Default: ${DEFAULT-VALUE}.")
  String stableBranch;

  @Option(
      names = "--preprod-branch",
      defaultValue = "preprod",
      paramLabel = "NAME",
      description = "Default: ${DEFAULT-VALUE}.")
  String preprodBranch;

  @Option(
      names = "--stable-tags",
      defaultValue = "v*",
      paramLabel = "PATTERN",
      description = "Default: ${DEFAULT-VALUE}.")
  String stableTags;

  @Option(
      names = "--preprod-tags",
      defaultValue = "v*_pre",
      paramLabel = "PATTERN",
      description = "Default: ${DEFAULT-VALUE}.")
  String preprodTags;

  @Override
  public Integer call() {
    Track tracking = Track.parse(track);
    ChannelLayout layout =
        new ChannelLayout(
            new ChannelSpec(stableBranch, TagPattern.parse(stableTags), tracking),
            new ChannelSpec(preprodBranch, TagPattern.parse(preprodTags), tracking));
    RunRequest request =
        new RunRequest(
            workdir,
            remote,
            state,
            groups,
            ChannelChoice.of(channel, disablePreprod),
            probability == null ? LotteryRules.DEFAULT_PROBABILITY : probability,
            period == null ? LotteryRules.DEFAULT_PERIOD : period,
            layout);
    RunResult result =
        new RunService(ClockOption.clock(spec), new SecureRandom(), progress()).run(request);
    PrintWriter out = spec.commandLine().getOut();
    if (OutputOptions.json(spec)) {
      out.println(Json.writePretty(result.report()));
    } else {
      printSummary(out, result.report());
    }
    out.flush();
    return result.exitCode();
  }

  private ProgressMonitor progress() {
    if (System.console() == null || OutputOptions.json(spec)) {
      return NullProgressMonitor.INSTANCE;
    }
    return new TextProgressMonitor(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
  }

  static void printSummary(PrintWriter out, NodeReport report) {
    out.println(
        "node " + report.node() + " rides " + report.channel() + ": " + report.lottery().reason());
    out.println(report.message());
    for (String warning : report.warnings()) {
      out.println("warning: " + warning);
    }
  }
}
