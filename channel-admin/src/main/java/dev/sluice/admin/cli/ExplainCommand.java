package dev.sluice.admin.cli;

import dev.sluice.admin.AdminException;
import dev.sluice.admin.policy.ExplainRequest;
import dev.sluice.admin.policy.ExplainResult;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.json.Json;
import dev.sluice.core.trust.TrustFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code explain}: what a node with these facts would do now, and why. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    header = "Show what a node with these facts would do now, and why.",
    description = {
      "Shows what a node with the given lottery ticket, groups and current commit would do now"
          + " (or at --now), by the same decision node-updater makes: its channel, the channel's"
          + " target, and move, stay or hold with the reason. Changes nothing. Without --current"
          + " the node has nothing installed yet."
    })
final class ExplainCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Option(
      names = "--ticket",
      paramLabel = "U",
      required = true,
      description = "The node's lottery ticket in [0,1).")
  double ticket;

  @Option(names = "--group", paramLabel = "G", description = "A group of the node (repeatable).")
  List<String> groups = new ArrayList<>();

  @Option(
      names = "--current",
      paramLabel = "COMMIT",
      description = "The commit (or tag) the node runs; omit for a node with nothing installed.")
  String current;

  @Option(
      names = "--channel",
      paramLabel = "C",
      defaultValue = "auto",
      description = "auto (drawn by the lottery, as a node does), stable or preprod.")
  String channel;

  @Option(
      names = "--node",
      paramLabel = "ID",
      defaultValue = "explain",
      description = "The node id, for frozen node ids (default: ${DEFAULT-VALUE}).")
  String node;

  @Option(
      names = "--trust",
      paramLabel = "FILE",
      description =
          "The node's trust file (allowed_signers or OpenPGP keyring): say whether trust blocks"
              + " the move, as node-updater run --trust would.")
  Path trust;

  @Option(
      names = "--trust-revoked",
      paramLabel = "FILE",
      description = "SSH keys never to trust, as node-updater run --trust-revoked.")
  Path trustRevoked;

  @Option(
      names = "--trust-policy",
      paramLabel = "FILE",
      description =
          "SSH keys trusted for rollout-policy commits only, as node-updater run --trust-policy.")
  Path trustPolicy;

  @Override
  public Integer call() {
    Channel pinned = null;
    if (!"auto".equals(channel)) {
      try {
        pinned = Channel.parse(channel);
      } catch (IllegalArgumentException e) {
        throw new AdminException.Usage("--channel: " + e.getMessage() + " or 'auto'");
      }
    }
    if (!(ticket >= 0.0 && ticket < 1.0)) {
      throw new AdminException.Usage("--ticket " + ticket + " is not in [0,1)");
    }
    TrustFile trustFile = null;
    if (trust != null) {
      try {
        trustFile = TrustFile.load(trust, trustRevoked);
        if (trustPolicy != null) {
          trustFile = trustFile.withPolicySigners(trustPolicy);
        }
      } catch (IllegalArgumentException e) {
        throw new AdminException.Usage(e.getMessage());
      }
    }
    ExplainResult result =
        PolicyCommands.service(root)
            .explain(
                root.access(),
                new ExplainRequest(node, ticket, groups, current, pinned),
                trustFile);
    root.out().println(root.json() ? Json.writePretty(result) : PolicyRender.explain(result));
    return ExitCodes.OK;
  }
}
