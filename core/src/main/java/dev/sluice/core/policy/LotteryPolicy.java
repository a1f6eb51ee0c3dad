package dev.sluice.core.policy;

import dev.sluice.core.lottery.LotteryRules;
import java.time.Period;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The preprod lottery settings.
 *
 * @param probability the default weight: the share of nodes that ride preprod
 * @param period how long a ticket lasts before it is drawn again (calendar period, UTC)
 * @param groupWeights weights that replace the default for nodes in these groups (1.0 = always
 *     preprod), sorted by name
 */
public record LotteryPolicy(double probability, Period period, Map<String, Double> groupWeights) {

  public LotteryPolicy {
    LotteryRules.requireWeight(probability, "lottery.probability");
    Objects.requireNonNull(period, "period");
    PolicyLimits.require(
        PolicyLimits.periodInRange(period),
        "lottery.period " + period + " is not between P1D and " + PolicyLimits.MAX_PERIOD);
    PolicyLimits.requireSize(
        groupWeights.size(), PolicyLimits.MAX_GROUP_WEIGHTS, "lottery.groupWeights");
    Map<String, Double> sorted = new TreeMap<>();
    for (Map.Entry<String, Double> entry : groupWeights.entrySet()) {
      PolicyLimits.requireText(entry.getKey(), PolicyLimits.MAX_NAME, "a group name");
      LotteryRules.requireWeight(entry.getValue(), "lottery.groupWeights." + entry.getKey());
      sorted.put(entry.getKey(), entry.getValue());
    }
    groupWeights = Collections.unmodifiableMap(sorted);
  }

  /** The built-in lottery: probability 0.07, a new ticket every calendar month, no groups. */
  public static LotteryPolicy defaults() {
    return new LotteryPolicy(
        LotteryRules.DEFAULT_PROBABILITY, LotteryRules.DEFAULT_PERIOD, Map.of());
  }

  /** The weight that applies to a node in these groups. */
  public LotteryRules.Weight weightFor(Collection<String> groups) {
    return LotteryRules.weightFor(groups, groupWeights, probability);
  }
}
