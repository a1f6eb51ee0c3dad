package dev.sluice.admin.cli;

import dev.sluice.admin.status.StatusReport;
import dev.sluice.admin.status.StatusService;
import dev.sluice.core.json.Json;
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
      "Shows each channel's branch, tip and release (the newest matching tag reachable from the"
          + " branch, and how many commits the tip is past it), how far preprod is ahead of"
          + " master, the promotion candidate with its soak, and whether promote would go through"
          + " now (with every reason if not). Changes nothing."
    })
final class StatusCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Option(
      names = "--soak",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Soak a candidate needs, ISO-8601 (default: the policy's, else P7D).")
  Duration soak;

  @Override
  public Integer call() {
    StatusService service = StatusService.withDefaultChannels(root.clock(), root.wiring().policy());
    StatusReport report = service.status(root.access(), soak);
    root.out().println(root.json() ? Json.writePretty(report) : Render.status(report));
    return ExitCodes.OK;
  }
}
