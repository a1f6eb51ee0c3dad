package dev.sluice.admin.promote;

import dev.sluice.core.promotion.HealthThresholds;
import java.time.Duration;
import java.util.Objects;

/**
 * A request to promote the preprod candidate to stable.
 *
 * @param soak the soak the candidate must have served
 * @param stablePaused whether the rollout policy pauses the stable channel
 * @param dryRun decide and report, push nothing
 * @param overrideSoakReason promote before the soak is over for this recorded reason, or null
 * @param healthUrl the fleet dashboard's base URL to ask for the candidate's health, or null
 * @param thresholds what counts as healthy when {@code healthUrl} is given
 */
public record PromoteRequest(
    Duration soak,
    boolean stablePaused,
    boolean dryRun,
    String overrideSoakReason,
    String healthUrl,
    HealthThresholds thresholds) {

  /** The soak required when neither the policy nor the operator says otherwise. */
  public static final Duration DEFAULT_SOAK = Duration.ofDays(7);

  public PromoteRequest {
    Objects.requireNonNull(soak, "soak");
    thresholds = thresholds == null ? HealthThresholds.DEFAULT : thresholds;
    if (soak.isNegative()) {
      throw new IllegalArgumentException("soak must not be negative: " + soak);
    }
  }
}
