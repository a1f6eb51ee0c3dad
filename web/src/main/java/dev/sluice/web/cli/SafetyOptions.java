package dev.sluice.web.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of the guard and the notifications (a mixin of {@code fleet-web}). */
final class SafetyOptions {

  @Option(
      names = "--no-guard",
      description = {
        "Let the channels' guards judge but never act (by default, with --remote, fleet-web",
        "halts a channel whose target fails on too many nodes, as the rollout policy says)."
      })
  boolean noGuard;

  @Option(
      names = "--guard-interval",
      defaultValue = "PT30S",
      paramLabel = "DURATION",
      description = "How often the guard reads the remote and judges (default: ${DEFAULT-VALUE}).")
  Duration guardInterval;

  @Option(
      names = "--guard-push-url",
      paramLabel = "URL",
      description = "Where the guard pushes its policy commits (default: --remote).")
  String guardPushUrl;

  @Option(
      names = "--guard-push-token-file",
      paramLabel = "FILE",
      description = {
        "File holding the token the guard pushes with (https remotes); used for nothing else.",
        "User name: SLUICE_GIT_USERNAME, default x-access-token."
      })
  Path guardPushTokenFile;

  @Option(
      names = "--guard-identity",
      defaultValue = "Sluice guard <guard@sluice.invalid>",
      paramLabel = "NAME <EMAIL>",
      description = "Committer of the guard's policy commits (default: ${DEFAULT-VALUE}).")
  String guardIdentity;

  @Option(
      names = "--guard-sign-key",
      paramLabel = "FILE",
      description = {
        "SSH private key file (no passphrase) the guard signs its policy commits with. Nodes",
        "that check signatures apply them only when they trust its public key: list it in their",
        "--trust-policy file, which trusts a key for policy commits and never for releases."
      })
  Path guardSignKey;

  @Option(
      names = "--webhook",
      paramLabel = "URL",
      description = "POST every notification to this URL as JSON (repeatable).")
  List<String> webhooks = new ArrayList<>();

  @Option(
      names = "--slack-webhook",
      paramLabel = "URL",
      description =
          "POST every notification to this Slack-compatible incoming webhook (repeatable).")
  List<String> slackWebhooks = new ArrayList<>();

  @Option(
      names = "--notify-failures",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Notify once when this many nodes failed a channel's new target (default: ${DEFAULT-VALUE}).")
  int notifyFailures;

  @Option(
      names = "--notify-stale-nodes",
      defaultValue = "10",
      paramLabel = "N",
      description = {
        "Notify when the nodes not seen for --stale-after reach this many (0: never;",
        "default: ${DEFAULT-VALUE})."
      })
  int notifyStaleNodes;

  /** The guard's committer name from {@code NAME <EMAIL>}. */
  String identityName() {
    int open = guardIdentity.indexOf('<');
    String name = open < 0 ? guardIdentity : guardIdentity.substring(0, open);
    return name.strip().isEmpty() ? "Sluice guard" : name.strip();
  }

  /** The guard's committer e-mail from {@code NAME <EMAIL>}. */
  String identityEmail() {
    int open = guardIdentity.indexOf('<');
    int close = guardIdentity.indexOf('>', open + 1);
    return open < 0 || close < 0
        ? "guard@sluice.invalid"
        : guardIdentity.substring(open + 1, close).strip();
  }

  /** Why the options cannot work together, or null. */
  String problem() {
    if (guardInterval.isNegative() || guardInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      return "--guard-interval must be at least PT1S";
    }
    if (notifyFailures < 1) {
      return "--notify-failures must be at least 1";
    }
    if (notifyStaleNodes < 0) {
      return "--notify-stale-nodes must not be negative";
    }
    return null;
  }
}
