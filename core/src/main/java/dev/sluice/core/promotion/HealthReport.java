package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param preprodNodesSeen preprod nodes known before the release that reported since, whatever they
 *     run: the base of the proportional minimum (null from a dashboard that does not say)
 */
@JsonPropertyOrder({"commit", "healthyNodes", "failedNodes", "failureRatio", "preprodNodesSeen"})
@JsonIgnoreProperties({"releasedAt"})
public record HealthReport(
    String commit,
    int healthyNodes,
    int failedNodes,
    double failureRatio,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer preprodNodesSeen)
    implements HealthEvidence {

  public HealthReport {
    Objects.requireNonNull(commit, "commit");
    if (healthyNodes < 0 || failedNodes < 0) {
      throw new IllegalArgumentException("node counts must not be negative");
    }
    if (!(failureRatio >= 0.0 && failureRatio <= 1.0)) {
      throw new IllegalArgumentException("failureRatio must be within [0, 1]: " + failureRatio);
    }
    if (preprodNodesSeen != null && preprodNodesSeen < 0) {
      throw new IllegalArgumentException("preprodNodesSeen must not be negative");
    }
  }

  /** A report from a dashboard that does not say how many preprod nodes it saw. */
  public HealthReport(String commit, int healthyNodes, int failedNodes, double failureRatio) {
    this(commit, healthyNodes, failedNodes, failureRatio, null);
  }

  /** The preprod nodes seen since the release, 0 when the dashboard did not say. */
  public int preprodNodesSeenOrZero() {
    return preprodNodesSeen == null ? 0 : preprodNodesSeen;
  }

  /** The report for counts, with the ratio computed the way the contract defines it. */
  public static HealthReport of(String commit, int healthyNodes, int failedNodes) {
    int total = healthyNodes + failedNodes;
    double ratio = total == 0 ? 0.0 : (double) failedNodes / total;
    return new HealthReport(commit, healthyNodes, failedNodes, ratio, null);
  }

  /** The report for counts and the preprod nodes seen since the release. */
  public static HealthReport of(
      String commit, int healthyNodes, int failedNodes, int preprodNodesSeen) {
    HealthReport counts = of(commit, healthyNodes, failedNodes);
    return new HealthReport(
        commit, healthyNodes, failedNodes, counts.failureRatio(), preprodNodesSeen);
  }
}
