package dev.sluice.admin.cli;

import dev.sluice.admin.AdminException;
import dev.sluice.admin.promote.PromoteRequest;
import dev.sluice.admin.promote.PromoteResult;
import dev.sluice.admin.promote.PromoteService;
import dev.sluice.core.json.Json;
import dev.sluice.core.promotion.HealthThresholds;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code promote}: fast-forwards master to the soaked preprod release and tags it. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    header = "Promote the soaked preprod release to master as v<VERSION>.",
    description = {
      "Promotes the newest preprod release tag to stable when every gate passes: soak served,"
          + " master fast-forwards to it, stable not paused, the rollout policy does not mark it a"
          + " dead-end (no override lifts that), and with --health the fleet dashboard reports"
          + " enough healthy preprod nodes. Master moves to the exact tagged commit and"
          + " the tag v<VERSION> records the soak, the gates and any override; both are pushed"
          + " atomically. A refusal lists every failed gate and changes nothing."
    })
final class PromoteCommand implements Callable<Integer> {

  @ParentCommand ChannelAdminCommand root;

  @Option(
      names = "--soak",
      paramLabel = "DURATION",
      converter = Converters.DurationConverter.class,
      description = "Soak the candidate needs, ISO-8601 (default: the policy's, else P7D).")
  Duration soak;

  @Option(names = "--dry-run", description = "Decide and print the decision; push nothing.")
  boolean dryRun;

  @Option(
      names = "--override-soak",
      description = "Promote before the soak is over; needs --reason, which is recorded.")
  boolean overrideSoak;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why the soak is overridden.")
  String reason;

  @Option(
      names = "--health",
      paramLabel = "URL",
      description =
          "Fleet dashboard base URL; GET URL/api/promotion-health?commit=SHA must report enough"
              + " healthy preprod nodes on the candidate.")
  String health;

  @Option(
      names = "--min-healthy-nodes",
      paramLabel = "N",
      description =
          "With --health: healthy preprod nodes required (default: the policy's, else 0).")
  Integer minHealthyNodes;

  @Option(
      names = "--max-failure-ratio",
      paramLabel = "RATIO",
      description =
          "With --health: highest failure ratio allowed (default: the policy's, else 0.05).")
  Double maxFailureRatio;

  @Override
  public Integer call() {
    if (overrideSoak && (reason == null || reason.isBlank())) {
      throw new AdminException.Usage("--override-soak needs --reason TEXT, which is recorded");
    }
    if (!overrideSoak && reason != null) {
      throw new AdminException.Usage("--reason only goes with --override-soak");
    }
    HealthThresholds thresholds = null;
    if (minHealthyNodes != null || maxFailureRatio != null) {
      try {
        thresholds =
            new HealthThresholds(
                minHealthyNodes != null
                    ? minHealthyNodes
                    : HealthThresholds.DEFAULT.minHealthyPreprodNodes(),
                maxFailureRatio != null
                    ? maxFailureRatio
                    : HealthThresholds.DEFAULT.maxFailureRatio());
      } catch (IllegalArgumentException e) {
        throw new AdminException.Usage(e.getMessage());
      }
    }
    PromoteService service =
        PromoteService.withDefaultChannels(
            root.clock(),
            root.operator(),
            root.wiring().health(),
            root.wiring().policy(),
            root.wiring().pushHook());
    PromoteRequest request =
        new PromoteRequest(soak, dryRun, overrideSoak ? reason : null, health, thresholds);
    PromoteResult result = service.promote(root.access(), request);
    if (root.json()) {
      root.out().println(Json.writePretty(result));
    } else if (result.outcome() != PromoteResult.Outcome.REFUSED) {
      root.out().println(Render.promote(result));
    }
    if (result.outcome() == PromoteResult.Outcome.REFUSED) {
      throw new AdminException.Refused(result.message(), PromoteService.reasons(result.decision()));
    }
    return ExitCodes.OK;
  }
}
