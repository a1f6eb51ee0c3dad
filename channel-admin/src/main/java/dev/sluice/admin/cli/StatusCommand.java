package dev.sluice.admin.cli;

import dev.sluice.admin.policy.PolicySnapshot;
import dev.sluice.admin.status.StatusReport;
import dev.sluice.admin.status.StatusService;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.Policy;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code status}: the channels and whether promote would go through now. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    header = "Show channels, the candidate, its soak and whether promote would pass.",
    description = {
      "Shows each channel's branch, tip and newest release tag, how far preprod is ahead of"
          + " master, the promotion candidate with its soak, and whether promote would go through"
          + " now (with every reason if not). Changes nothing."
    })
final class StatusCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Option(
      names = "--soak",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description =
          "Soak a candidate needs, ISO-8601 (default: promotion.soak of the rollout policy,"
              + " P7D without a policy).")
  Duration soak;

  @Override
  public Integer call() {
    StatusService service =
        new StatusService(
            ChannelSpec.defaultFor(Channel.STABLE),
            ChannelSpec.defaultFor(Channel.PREPROD),
            root.clock());
    PolicySnapshot policy = PolicyCommands.service(root).read(root.access());
    Policy inForce = policy.valid() ? policy.policy() : Policy.defaults();
    if (!policy.valid()) {
      root.err()
          .println(
              "warning: "
                  + policy.invalid().getMessage()
                  + "; showing status with the built-in defaults");
    }
    StatusReport report =
        service.status(
            root.access(),
            soak == null ? inForce.promotion().soak() : soak,
            inForce.channel(Channel.STABLE).paused());
    root.out().println(root.json() ? Json.writePretty(report) : Render.status(report));
    return ExitCodes.OK;
  }
}
