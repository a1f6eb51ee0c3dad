package dev.sluice.admin.cli;

import dev.sluice.admin.rollback.RollbackRequest;
import dev.sluice.admin.rollback.RollbackResult;
import dev.sluice.admin.rollback.RollbackService;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code rollback CHANNEL [--to vX.Y.Z] --reason}: back to an earlier release, in one push. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    header = "Move a channel back to an earlier release and make the current one a dead-end.",
    description = {
      "Moves the channel's branch back to an earlier release of that channel (default: the"
          + " newest release on the branch below the current one that is not a dead-end; for"
          + " stable the previous promoted release), marks the release it leaves a dead-end in"
          + " the rollout policy with the reason (one commit on rollout-policy), and records the"
          + " event in the annotated tag rollback/<channel>/<UTC time> on the commit it leaves."
          + " Branch, policy and tag go up in one atomic push: a concurrent change makes it fail"
          + " with exit 4 and nothing changed. Refused (exit 3, every reason listed) when the"
          + " target is not a release tag of the channel, not an ancestor of its branch, not"
          + " older than the current release, or a dead-end itself."
    })
final class RollbackCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Parameters(
      index = "0",
      paramLabel = "CHANNEL",
      converter = ChannelConverter.class,
      description = "stable or preprod.")
  Channel channel;

  @Option(
      names = "--to",
      paramLabel = "vX.Y.Z",
      description =
          "The release to go back to: a version (5.1.0, v5.1.0) or the channel's tag"
              + " (v5.1.0_pre for preprod).")
  String to;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      required = true,
      description = "Why, recorded with the dead-end, in the policy commit and in the tag.")
  String reason;

  @Option(names = "--dry-run", description = "Decide and print what would happen; push nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    RollbackService service =
        new RollbackService(root.clock(), root.operator(), root.wiring().pushHook());
    RollbackResult result =
        service.rollback(root.access(), new RollbackRequest(channel, to, reason, dryRun));
    root.out().println(root.json() ? Json.writePretty(result) : result.message());
    return ExitCodes.OK;
  }
}
