package dev.sluice.core.policy;

/**
 * How fast one lock group (a channel or a group of nodes) may move: how many nodes may be updating
 * at the same time and how many may start an update per hour. Zero means no limit of that kind; at
 * least one of the two is set.
 *
 * @param maxConcurrentUpdates the most slots held at once (0 = no limit)
 * @param maxUpdatesPerHour the most slots granted in any 60 minutes (0 = no limit)
 */
public record UpdateLimit(int maxConcurrentUpdates, int maxUpdatesPerHour) {

  public UpdateLimit {
    PolicyLimits.require(
        maxConcurrentUpdates >= 0 && maxConcurrentUpdates <= PolicyLimits.MAX_UPDATE_LIMIT,
        "maxConcurrentUpdates "
            + maxConcurrentUpdates
            + " is not between 1 and "
            + PolicyLimits.MAX_UPDATE_LIMIT);
    PolicyLimits.require(
        maxUpdatesPerHour >= 0 && maxUpdatesPerHour <= PolicyLimits.MAX_UPDATE_LIMIT,
        "maxUpdatesPerHour "
            + maxUpdatesPerHour
            + " is not between 1 and "
            + PolicyLimits.MAX_UPDATE_LIMIT);
    PolicyLimits.require(
        maxConcurrentUpdates > 0 || maxUpdatesPerHour > 0,
        "an update limit needs maxConcurrentUpdates or maxUpdatesPerHour");
  }

  /** True when the number of slots held at once is limited. */
  public boolean limitsConcurrency() {
    return maxConcurrentUpdates > 0;
  }

  /** True when the number of slots granted per hour is limited. */
  public boolean limitsRate() {
    return maxUpdatesPerHour > 0;
  }
}
