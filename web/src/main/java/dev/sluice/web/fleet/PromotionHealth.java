package dev.sluice.web.fleet;

import java.time.Instant;

/**
 * How a commit fares on preprod since it was released: what {@code channel-admin promote --health
 * URL} asks before promoting it. Only nodes known before the release that reported after it count.
 *
 * @param releasedAt when the candidate was released (its tag time), as asked
 * @param healthyNodes preprod nodes running the commit whose last run updated, kept or was held on
 *     it
 * @param failedNodes preprod nodes whose last run failed or rolled back with the commit as target
 * @param failureRatio {@code failed / (healthy + failed)}, 0 when no node reported on the commit
 * @param preprodNodesSeen preprod nodes that reported since the release, whatever they run (the
 *     base of the proportional minimum of healthy nodes)
 */
public record PromotionHealth(
    String commit,
    Instant releasedAt,
    int healthyNodes,
    int failedNodes,
    double failureRatio,
    int preprodNodesSeen) {

  public static PromotionHealth of(
      String commit, Instant releasedAt, int healthy, int failed, int preprodNodesSeen) {
    int all = healthy + failed;
    return new PromotionHealth(
        commit,
        releasedAt,
        healthy,
        failed,
        all == 0 ? 0.0 : (double) failed / all,
        preprodNodesSeen);
  }
}
