package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChanges;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code freeze NAME --reason}: a node or group never moves; {@code --remove} undoes it. */
@Command(
    name = "freeze",
    mixinStandardHelpOptions = true,
    header = "Freeze a node or group: it never moves (--remove to unfreeze).",
    description = {
      "Adds a node id or group name to the policy's frozen list, in one commit: its nodes keep"
          + " the commit they run. A name both frozen and weighted in lottery.groupWeights is"
          + " refused. With --remove, the name is taken off the list and its nodes follow their"
          + " channel again."
    })
final class FreezeCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Parameters(index = "0", paramLabel = "NAME", description = "A node id or group name.")
  String name;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why, recorded in the commit.")
  String reason;

  @Option(names = "--remove", description = "Undo: unfreeze NAME, in one commit.")
  boolean remove;

  @Override
  public Integer call() {
    return PolicyCommands.edit(
        root, remove ? PolicyChanges.unfreeze(name, reason) : PolicyChanges.freeze(name, reason));
  }
}
