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
          + " With --remove, the barrier is lifted."
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

  @Option(
      names = "--remove",
      description = "Undo: take REF out of the policy's barriers, in one commit.")
  boolean remove;

  @Override
  public Integer call() {
    return PolicyCommands.edit(
        root,
        remove ? PolicyChanges.removeBarrier(ref, reason) : PolicyChanges.barrier(ref, reason));
  }
}
