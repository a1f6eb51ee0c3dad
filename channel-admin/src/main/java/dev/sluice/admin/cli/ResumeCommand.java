package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChanges;
import dev.sluice.core.channel.Channel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code resume CHANNEL --reason}: let a paused channel's nodes move again. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    header = "Resume a paused channel.",
    description = {
      "Resumes a paused channel in the rollout policy, in one commit. A halt of the channel's",
      "guard is cleared too, and the guard counts only reports from now on."
    })
final class ResumeCommand implements Callable<Integer> {

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
      description = "Why, recorded in the commit.")
  String reason;

  @Override
  public Integer call() {
    return PolicyCommands.edit(root, PolicyChanges.resume(channel, reason, root.clock().instant()));
  }
}
