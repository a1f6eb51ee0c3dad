package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChanges;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code deadend REF --reason}: no node ever moves onto REF. */
@Command(
    name = "deadend",
    mixinStandardHelpOptions = true,
    header = "Mark a release no node may move onto (nodes on it move off).",
    description = {
      "Marks a release as a dead-end in the rollout policy, in one commit: no node moves onto"
          + " it, and nodes running it move to their channel's target even while paused or"
          + " outside a maintenance window. REF must exist on the remote. With --remove, nodes"
          + " may move onto REF again (the entry naming REF, or its commit, is removed)."
    })
final class DeadendCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Parameters(
      index = "0",
      paramLabel = "REF",
      description = "A tag (v5.1.0), full ref or commit id.")
  String ref;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why, recorded in the policy (or, with --remove, the commit).")
  String reason;

  @Option(
      names = "--remove",
      description = "Undo: take REF out of the policy's dead-ends, in one commit.")
  boolean remove;

  @Override
  public Integer call() {
    return PolicyCommands.edit(
        root,
        remove ? PolicyChanges.removeDeadend(ref, reason) : PolicyChanges.deadend(ref, reason));
  }
}
