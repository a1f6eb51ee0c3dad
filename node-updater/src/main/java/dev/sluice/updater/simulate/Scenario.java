package dev.sluice.updater.simulate;

import java.time.Duration;
import java.util.Objects;

/**
 * One rollout to simulate.
 *
 * @param name how the table names it
 * @param phase which move is measured: a {@code release} to preprod, or a {@code promote} to stable
 * @param failureRate the share of nodes on which the new version fails its health check
 * @param guard whether fleet-web runs the channels' guards (the default guard of the policy)
 * @param phasedRollout the phased rollout of the new version, or null for none
 * @param maxConcurrentUpdates the rate limit's concurrent bound per channel (0: none)
 * @param maxUpdatesPerHour the rate limit's hourly bound per channel (0: none)
 * @param outageStart when fleet-web becomes unreachable, after the release or promotion (null:
 *     never)
 * @param outage how long it stays unreachable
 * @param horizon how long the simulation runs after the release or promotion
 */
public record Scenario(
    String name,
    Phase phase,
    double failureRate,
    boolean guard,
    Duration phasedRollout,
    int maxConcurrentUpdates,
    int maxUpdatesPerHour,
    Duration outageStart,
    Duration outage,
    Duration horizon) {

  /** The move a scenario measures. */
  public enum Phase {
    RELEASE,
    PROMOTE
  }

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(horizon, "horizon");
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("failureRate must be in [0,1]");
    }
  }

  /** Whether the rate limit applies. */
  public boolean limited() {
    return maxConcurrentUpdates > 0 || maxUpdatesPerHour > 0;
  }
}
