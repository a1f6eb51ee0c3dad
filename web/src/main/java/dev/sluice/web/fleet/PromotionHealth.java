package dev.sluice.web.fleet;

/**
 * How a commit fares on preprod: what {@code channel-admin promote --health URL} asks before
 * promoting it.
 *
 * @param healthyNodes preprod nodes running the commit whose last run updated, kept or was held on
 *     it
 * @param failedNodes preprod nodes whose last run failed or rolled back with the commit as target
 * @param failureRatio {@code failed / (healthy + failed)}, 0 when no node reported on the commit
 */
public record PromotionHealth(
    String commit, int healthyNodes, int failedNodes, double failureRatio) {

  public static PromotionHealth of(String commit, int healthy, int failed) {
    int all = healthy + failed;
    return new PromotionHealth(commit, healthy, failed, all == 0 ? 0.0 : (double) failed / all);
  }
}
