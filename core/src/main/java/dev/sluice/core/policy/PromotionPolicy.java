package dev.sluice.core.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The gates a promotion from preprod to stable must pass.
 *
 * @param soak how long a preprod release must have been out before it may be promoted
 * @param minHealthyPreprodNodes how many healthy preprod nodes must run it; 0 (the default) means
 *     the proportional minimum, never "no gate" (see {@link
 *     dev.sluice.core.promotion.HealthThresholds})
 * @param maxFailureRatio the largest share of preprod nodes that may have failed on it, in [0,1]
 */
public record PromotionPolicy(Duration soak, int minHealthyPreprodNodes, double maxFailureRatio) {

  /** The built-in soak: seven days. */
  public static final Duration DEFAULT_SOAK = Duration.ofDays(7);

  public PromotionPolicy {
    Objects.requireNonNull(soak, "soak");
    PolicyLimits.require(
        PolicyLimits.inRange(soak, Duration.ZERO, PolicyLimits.MAX_SOAK),
        "promotion.soak " + soak + " is not between PT0S and " + PolicyLimits.MAX_SOAK);
    PolicyLimits.require(
        minHealthyPreprodNodes >= 0 && minHealthyPreprodNodes <= PolicyLimits.MAX_HEALTHY_NODES,
        "promotion.minHealthyPreprodNodes "
            + minHealthyPreprodNodes
            + " is not between 0 and "
            + PolicyLimits.MAX_HEALTHY_NODES);
    if (!PolicyLimits.fraction(maxFailureRatio)) {
      throw new IllegalArgumentException(
          "promotion.maxFailureRatio " + maxFailureRatio + " is not in [0,1]");
    }
  }

  /** Seven days of soak, no node-count gate, at most 5 % failures. */
  public static PromotionPolicy defaults() {
    return new PromotionPolicy(DEFAULT_SOAK, 0, 0.05);
  }
}
