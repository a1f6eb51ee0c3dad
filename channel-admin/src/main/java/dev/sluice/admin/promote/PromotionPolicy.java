package dev.sluice.admin.promote;

import dev.sluice.core.promotion.HealthThresholds;
import java.time.Duration;
import java.util.Objects;

/**
 * The rollout policy's say in a promotion: the default soak, whether the stable channel is paused,
 * and the health thresholds. {@link #DEFAULT} applies until the policy file exists.
 *
 * @param soak the soak a candidate must serve unless {@code --soak} says otherwise
 * @param stablePaused whether the stable channel is paused
 * @param thresholds what counts as healthy for {@code --health}
 */
public record PromotionPolicy(Duration soak, boolean stablePaused, HealthThresholds thresholds) {

  /** Seven days' soak, stable not paused, the default health thresholds. */
  public static final PromotionPolicy DEFAULT =
      new PromotionPolicy(Duration.ofDays(7), false, HealthThresholds.DEFAULT);

  public PromotionPolicy {
    Objects.requireNonNull(soak, "soak");
    Objects.requireNonNull(thresholds, "thresholds");
    if (soak.isNegative()) {
      throw new IllegalArgumentException("soak must not be negative: " + soak);
    }
  }
}
