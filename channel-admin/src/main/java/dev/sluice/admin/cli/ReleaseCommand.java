package dev.sluice.admin.cli;

import dev.sluice.admin.release.ReleaseRequest;
import dev.sluice.admin.release.ReleaseResult;
import dev.sluice.admin.release.ReleaseService;
import dev.sluice.core.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code release VERSION}: moves preprod and tags the release, in one atomic push. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    header = "Move preprod to a commit and tag it v<VERSION>_pre (starts the soak).",
    description = {
      "Moves the preprod branch to REF (fast-forward only unless --force) and creates the"
          + " annotated tag v<VERSION>_pre, whose tagger time (now, or --now) starts the soak."
          + " Branch and tag are pushed in one atomic push."
    })
final class ReleaseCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Parameters(index = "0", paramLabel = "VERSION", description = "Semantic version, e.g. 5.2.0.")
  String version;

  @Option(
      names = "--from",
      paramLabel = "REF",
      defaultValue = ReleaseRequest.DEFAULT_FROM,
      description = "Branch, tag or commit to release (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(
      names = "--message",
      paramLabel = "TEXT",
      description = "A note for the release tag's message.")
  String message;

  @Option(
      names = "--force",
      description = "Move preprod even when REF does not contain its current tip.")
  boolean force;

  @Override
  public Integer call() {
    ReleaseService service =
        ReleaseService.withDefaultChannels(root.clock(), root.operator(), root.wiring().pushHook());
    ReleaseResult result =
        service.release(root.access(), new ReleaseRequest(version, from, message, force));
    root.out().println(root.json() ? Json.writePretty(result) : Render.release(result));
    if (!root.json()) {
      result.warnings().forEach(w -> root.err().println("warning: " + w));
    }
    return ExitCodes.OK;
  }
}
