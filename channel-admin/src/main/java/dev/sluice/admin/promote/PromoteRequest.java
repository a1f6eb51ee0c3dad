package dev.sluice.admin.promote;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.promotion.HealthThresholds;
import java.time.Duration;

/**
 * A request to promote the preprod candidate to stable.
 *
 * @param soak the soak the candidate must have served, or null for the rollout policy's
 * @param stablePaused whether the stable channel is paused (the rollout policy's pause is added by
 *     {@link #withPolicy})
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
    thresholds = thresholds == null ? HealthThresholds.DEFAULT : thresholds;
    if (soak != null && soak.isNegative()) {
      throw new IllegalArgumentException("soak must not be negative: " + soak);
    }
  }

  /**
   * This request with the rollout policy applied: its soak when none was given, and stable paused
   * when the policy pauses it.
   */
  public PromoteRequest withPolicy(Policy policy) {
    return new PromoteRequest(
        soak != null ? soak : policy.promotion().soak(),
        stablePaused || policy.channel(Channel.STABLE).paused(),
        dryRun,
        overrideSoakReason,
        healthUrl,
        thresholds);
  }
}
