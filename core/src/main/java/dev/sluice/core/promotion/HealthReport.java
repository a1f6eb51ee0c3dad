package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Health of the preprod nodes running one commit, as the fleet dashboard serves it at {@code GET
 * /api/promotion-health?commit=<sha>}: {@code {"commit": sha, "healthyNodes": n, "failedNodes": n,
 * "failureRatio": x}}.
 *
 * @param commit the full commit id the numbers are about
 * @param healthyNodes preprod nodes whose last report put them on this commit without failure
 * @param failedNodes preprod nodes whose last report says this commit failed (failed or rolled
 *     back)
 * @param failureRatio {@code failedNodes / (healthyNodes + failedNodes)}, 0 when both are 0
 */
@JsonPropertyOrder({"commit", "healthyNodes", "failedNodes", "failureRatio"})
public record HealthReport(String commit, int healthyNodes, int failedNodes, double failureRatio)
    implements HealthEvidence {

  public HealthReport {
    Objects.requireNonNull(commit, "commit");
    if (healthyNodes < 0 || failedNodes < 0) {
      throw new IllegalArgumentException("node counts must not be negative");
    }
    if (!(failureRatio >= 0.0 && failureRatio <= 1.0)) {
      throw new IllegalArgumentException("failureRatio must be within [0, 1]: " + failureRatio);
    }
  }

  /** The report for counts, with the ratio computed the way the contract defines it. */
  public static HealthReport of(String commit, int healthyNodes, int failedNodes) {
    int total = healthyNodes + failedNodes;
    double ratio = total == 0 ? 0.0 : (double) failedNodes / total;
    return new HealthReport(commit, healthyNodes, failedNodes, ratio);
  }
}
