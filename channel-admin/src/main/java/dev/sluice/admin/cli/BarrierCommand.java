package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChanges;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code barrier REF --reason}: nodes below REF pass through it first. */
@Command(
    name = "barrier",
    mixinStandardHelpOptions = true,
    header = "Make nodes below a release pass through it before anything newer.",
    description = {
      "Makes a release a barrier in the rollout policy, in one commit: a node below it goes to"
          + " it first and to anything newer only on a later run. REF must exist on the remote."
    })
final class BarrierCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Parameters(
      index = "0",
      paramLabel = "REF",
      description = "A tag (v5.0.0), full ref or commit id.")
  String ref;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why, recorded in the policy and the commit.")
  String reason;

  @Override
  public Integer call() {
    return PolicyCommands.edit(root, PolicyChanges.barrier(ref, reason));
  }
}
