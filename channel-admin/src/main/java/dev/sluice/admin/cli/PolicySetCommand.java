package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicyChanges;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code policy set KEY=VALUE...}: change policy fields in one commit. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    header = "Change rollout policy fields by path, in one commit.",
    description = {
      "Changes fields of the policy by path, in one commit: lottery.probability=0.1,"
          + " promotion.soak=P3D, channels.preprod.track=tag, lottery.groupWeights.farm-1=1.0,"
          + " maintenanceWindows[0].start=03:00, frozen='[\"hpc\"]'. A VALUE that is JSON is"
          + " taken as JSON, anything else as text; null restores the default. The result is"
          + " validated before it is pushed."
    })
final class PolicySetCommand implements Callable<Integer> {

  @ParentCommand PolicyCommand parent;

  @Parameters(arity = "1..*", paramLabel = "KEY=VALUE", description = "Fields to set.")
  List<String> assignments;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the commit message.")
  String reason;

  @Override
  public Integer call() {
    return PolicyCommands.edit(parent.root, PolicyChanges.set(assignments, reason));
  }
}
