package dev.sluice.admin.cli;

import dev.sluice.admin.AdminException;
import dev.sluice.admin.policy.PolicyChanges;
import dev.sluice.cli.ClockOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rollout REF --duration D}: a phased rollout of one release. */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    header = "Phase a release in over a duration, by lottery ticket.",
    description = {
      "Phases a release in, in one commit: a node takes REF once startFraction + (1 -"
          + " startFraction) * elapsed / duration reaches its lottery ticket. REF must exist on"
          + " the remote; a rollout for the same REF is replaced. With --remove, the rollout of"
          + " REF ends."
    })
final class RolloutCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Parameters(
      index = "0",
      paramLabel = "REF",
      description = "A tag (v5.2.0), full ref or commit id.")
  String ref;

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = Converters.DurationConverter.class,
      description = "How long until the whole fleet may take it, ISO-8601, e.g. PT48H (required).")
  Duration duration;

  @Option(
      names = "--start",
      paramLabel = "T",
      converter = ClockOption.InstantConverter.class,
      description = "When it starts, ISO-8601 instant (default: now, or --now).")
  Instant start;

  @Option(
      names = "--start-fraction",
      paramLabel = "F",
      defaultValue = "0",
      description = "Share of the fleet that may take it at the start, in [0,1] (default: 0).")
  double startFraction;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why, for the commit message (required with --remove).")
  String reason;

  @Option(
      names = "--remove",
      description = "Undo: end the phased rollout of REF (everyone may take it), in one commit.")
  boolean remove;

  @Override
  public Integer call() {
    if (remove) {
      if (duration != null || start != null) {
        throw new AdminException.Usage("--remove takes no --duration or --start");
      }
      return PolicyCommands.edit(root, PolicyChanges.removeRollout(ref, reason));
    }
    if (duration == null) {
      throw new AdminException.Usage("rollout needs --duration D, e.g. PT48H (or --remove)");
    }
    Instant from = start != null ? start : root.clock().instant();
    return PolicyCommands.edit(
        root, PolicyChanges.rollout(ref, from, duration, startFraction, reason));
  }
}
