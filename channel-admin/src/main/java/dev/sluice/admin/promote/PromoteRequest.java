package dev.sluice.admin.promote;

import dev.sluice.core.promotion.HealthThresholds;
import dev.sluice.core.promotion.PromotionRules;
import java.time.Duration;

/**
 * A request to promote the preprod candidate to stable.
 *
 * @param soak the soak the candidate must have served, or null for the policy's
 * @param dryRun decide and report, push nothing
 * @param overrideSoakReason promote before the soak is over for this recorded reason, or null
 * @param healthUrl the fleet dashboard's base URL to ask for the candidate's health, or null
 * @param thresholds what counts as healthy with {@code healthUrl}, or null for the policy's
 */
public record PromoteRequest(
    Duration soak,
    boolean dryRun,
    String overrideSoakReason,
    String healthUrl,
    HealthThresholds thresholds) {

  public PromoteRequest {
    if (soak != null && soak.isNegative()) {
      throw new IllegalArgumentException("soak must not be negative: " + soak);
    }
  }

  /** The soak to require: the request's, else the policy's. */
  public Duration soakUnder(PromotionRules policy) {
    return soak != null ? soak : policy.soak();
  }

  /** The health thresholds to apply: the request's, else the policy's. */
  public HealthThresholds thresholdsUnder(PromotionRules policy) {
    return thresholds != null ? thresholds : policy.thresholds();
  }
}
