package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicySnapshot;
import dev.sluice.core.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code policy show}: the policy in force on the remote. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    header = "Print the rollout policy in force on the remote.",
    description = {
      "Prints channels.json as the rollout-policy branch has it (or the built-in defaults when"
          + " there is no branch), after a line naming the commit. An invalid file is printed"
          + " as it is, with its errors on stderr and exit code 2."
    })
final class PolicyShowCommand implements Callable<Integer> {

  @ParentCommand PolicyCommand parent;

  @Override
  public Integer call() {
    ChannelAdminCommand root = parent.root;
    PolicySnapshot snapshot = PolicyCommands.service(root).read(root.access());
    if (root.json()) {
      root.out().println(Json.writePretty(PolicyRender.snapshotJson(snapshot)));
    } else {
      root.out().print(PolicyRender.show(snapshot));
    }
    snapshot.require();
    return ExitCodes.OK;
  }
}
