package dev.sluice.core.promotion;

/**
 * What "healthy enough to promote" means: at least {@code minHealthyPreprodNodes} preprod nodes on
 * the candidate without failure, and a failure ratio of at most {@code maxFailureRatio}. Named as
 * in the rollout policy's {@code promotion} section.
 */
public record HealthThresholds(int minHealthyPreprodNodes, double maxFailureRatio) {

  /** The rollout policy's defaults: no minimum node count, at most 5 % failures. */
  public static final HealthThresholds DEFAULT = new HealthThresholds(0, 0.05);

  public HealthThresholds {
    if (minHealthyPreprodNodes < 0) {
      throw new IllegalArgumentException(
          "minHealthyPreprodNodes must not be negative: " + minHealthyPreprodNodes);
    }
    if (!(maxFailureRatio >= 0.0 && maxFailureRatio <= 1.0)) {
      throw new IllegalArgumentException(
          "maxFailureRatio must be within [0, 1]: " + maxFailureRatio);
    }
  }
}
