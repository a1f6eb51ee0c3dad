package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChanges;
import dev.sluice.core.channel.Channel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code pause CHANNEL --reason}: hold a channel's nodes where they are. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    header = "Pause a channel: its nodes stay where they are.",
    description = {
      "Pauses a channel in the rollout policy, in one commit: its nodes stay where they are"
          + " (a node on a dead-end still moves off it), and promote refuses while stable is"
          + " paused."
    })
final class PauseCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Parameters(
      index = "0",
      paramLabel = "CHANNEL",
      converter = ChannelConverter.class,
      description = "stable or preprod.")
  Channel channel;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why, recorded in the policy and the commit.")
  String reason;

  @Override
  public Integer call() {
    return PolicyCommands.edit(root, PolicyChanges.pause(channel, reason));
  }
}
