package dev.sluice.core.promotion;

import java.util.Locale;

/**
 * What "healthy enough to promote" means: enough preprod nodes on the candidate without failure,
 * and a failure ratio of at most {@code maxFailureRatio}. Named as in the rollout policy's {@code
 * promotion} section.
 *
 * <p>The health gate is never vacuous: {@code minHealthyPreprodNodes} 0 (the default) means the
 * proportional minimum, {@code max(3, 10 % of the preprod nodes seen since the release)}, so a
 * release that no preprod node ran cannot pass.
 *
 * @param minHealthyPreprodNodes a fixed minimum, or 0 for the proportional one
 */
public record HealthThresholds(int minHealthyPreprodNodes, double maxFailureRatio) {

  /** The rollout policy's defaults: the proportional minimum, at most 5 % failures. */
  public static final HealthThresholds DEFAULT = new HealthThresholds(0, 0.05);

  /** The proportional minimum is never below this many nodes. */
  public static final int PROPORTIONAL_FLOOR = 3;

  /** The proportional minimum's share of the preprod nodes seen since the release. */
  public static final double PROPORTIONAL_SHARE = 0.10;

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

  /** Whether the minimum is the proportional default rather than a fixed number. */
  public boolean proportional() {
    return minHealthyPreprodNodes == 0;
  }

  /** How many healthy preprod nodes the candidate needs, given the preprod nodes seen. */
  public int requiredHealthy(int preprodNodesSeen) {
    if (!proportional()) {
      return minHealthyPreprodNodes;
    }
    int share = (int) Math.ceil(PROPORTIONAL_SHARE * Math.max(0, preprodNodesSeen) - 1e-9);
    return Math.max(PROPORTIONAL_FLOOR, share);
  }

  /** The minimum and where it comes from, for the gate's message. */
  public String describeMinimum(int preprodNodesSeen) {
    if (!proportional()) {
      return "minimum " + minHealthyPreprodNodes;
    }
    return String.format(
        Locale.ROOT,
        "minimum %d = max(%d, %d %% of %d preprod nodes seen since the release)",
        requiredHealthy(preprodNodesSeen),
        PROPORTIONAL_FLOOR,
        Math.round(PROPORTIONAL_SHARE * 100),
        preprodNodesSeen);
  }
}
