package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChanges;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code policy unset KEY...}: fields back to their defaults, in one commit. */
@Command(
    name = "unset",
    mixinStandardHelpOptions = true,
    header = "Remove rollout policy fields or list entries by path, in one commit.",
    description = {
      "Removes fields by path, in one commit, so they take their defaults (the same as policy"
          + " set KEY=null): promotion.soak, lottery.groupWeights.farm-1, deadends[0],"
          + " rollouts[1], frozen[0], channels.stable.pauseReason. The result is validated before"
          + " it is pushed."
    })
final class PolicyUnsetCommand implements Callable<Integer> {

  @ParentCommand PolicyCommand parent;

  @Parameters(arity = "1..*", paramLabel = "KEY", description = "Fields to remove.")
  List<String> keys;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the commit message.")
  String reason;

  @Override
  public Integer call() {
    return PolicyCommands.edit(parent.root, PolicyChanges.unset(keys, reason));
  }
}
