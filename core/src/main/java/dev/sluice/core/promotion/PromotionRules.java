package dev.sluice.core.promotion;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelLayout;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The rollout policy's say in a promotion: the default soak, whether the stable channel is paused,
 * the health thresholds, the dead-ends, and what the channels track. {@link #of} is the one place a
 * policy becomes these inputs, for channel-admin's promote and status and for fleet-web's channel
 * cards; {@link #DEFAULT} applies until the policy file exists.
 *
 * @param soak the soak a candidate must serve unless {@code --soak} says otherwise
 * @param stablePaused whether the stable channel is paused
 * @param thresholds what counts as healthy for {@code --health}
 * @param deadends the policy's dead-ends; a candidate that is one is never promoted
 * @param layout the channels' branches, tag patterns and what they track
 */
public record PromotionRules(
    Duration soak,
    boolean stablePaused,
    HealthThresholds thresholds,
    List<Deadend> deadends,
    ChannelLayout layout) {

  /** Seven days' soak, stable not paused, the default health thresholds, no dead-ends. */
  public static final PromotionRules DEFAULT =
      new PromotionRules(Duration.ofDays(7), false, HealthThresholds.DEFAULT);

  public PromotionRules {
    Objects.requireNonNull(soak, "soak");
    Objects.requireNonNull(thresholds, "thresholds");
    deadends = List.copyOf(deadends);
    Objects.requireNonNull(layout, "layout");
    if (soak.isNegative()) {
      throw new IllegalArgumentException("soak must not be negative: " + soak);
    }
  }

  /** A policy without dead-ends, on the default channel layout. */
  public PromotionRules(Duration soak, boolean stablePaused, HealthThresholds thresholds) {
    this(soak, stablePaused, thresholds, List.of(), ChannelLayout.DEFAULT);
  }

  /** What {@code policy} says about promotions. */
  public static PromotionRules of(Policy policy) {
    return new PromotionRules(
        policy.promotion().soak(),
        policy.channel(Channel.STABLE).paused(),
        new HealthThresholds(
            policy.promotion().minHealthyPreprodNodes(), policy.promotion().maxFailureRatio()),
        policy.deadends(),
        new ChannelLayout(policy.spec(Channel.STABLE), policy.spec(Channel.PREPROD)));
  }
}
