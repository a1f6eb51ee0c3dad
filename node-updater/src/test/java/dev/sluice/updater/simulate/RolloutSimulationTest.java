package dev.sluice.updater.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The rollout simulation at a small size (the CI run of {@code scripts/simulate-rollout}): the
 * default guard stops a release that fails everywhere early, a good promotion reaches every stable
 * node, a phased rollout and a rate limit stretch it as they say.
 */
class RolloutSimulationTest {

  static final RolloutSimulation.Fleet FLEET = RolloutSimulation.Fleet.of(2000, 7);
  static final RolloutSimulation.Fleet SMALL = RolloutSimulation.Fleet.of(1000, 7);

  private static Scenario bad(double rate, boolean guard, int perHour, Duration outageStart) {
    return new Scenario(
        "bad",
        Scenario.Phase.RELEASE,
        rate,
        guard,
        null,
        0,
        perHour,
        outageStart,
        Duration.ofHours(1),
        Duration.ofHours(3));
  }

  private static Scenario promote(Duration phased, int perHour) {
    return new Scenario(
        "good",
        Scenario.Phase.PROMOTE,
        0.0,
        true,
        phased,
        0,
        perHour,
        null,
        Duration.ofHours(1),
        Duration.ofDays(1));
  }

  @Test
  void theDefaultGuardStopsAReleaseThatFailsEverywhereEarly() {
    RolloutSimulation.Result guarded = RolloutSimulation.run(bad(1.0, true, 0, null), FLEET);
    RolloutSimulation.Result unguarded = RolloutSimulation.run(bad(1.0, false, 0, null), FLEET);

    assertThat(unguarded.ran()).isEqualTo(unguarded.channelNodes());
    assertThat(unguarded.trippedAfter()).isNull();
    assertThat(guarded.trip()).startsWith("guard: pause preprod, ");
    assertThat(guarded.trippedAfter()).isLessThan(Duration.ofMinutes(30));
    assertThat(guarded.ran()).isGreaterThanOrEqualTo(20).isLessThan(unguarded.ran() / 3);
    assertThat(guarded.endedOn()).as("every node that took it rolled back").isZero();
  }

  @Test
  void aPartlyFailingReleaseIsStoppedAndItsHealthyNodesStay() {
    RolloutSimulation.Result guarded = RolloutSimulation.run(bad(0.3, true, 0, null), FLEET);

    assertThat(guarded.trippedAfter()).isNotNull();
    assertThat(guarded.endedOn()).isPositive().isLessThan(guarded.ran());
  }

  @Test
  void withFleetWebDownTheRateLimitHoldsTheNodesThatWouldRunABadRelease() {
    RolloutSimulation.Result open = RolloutSimulation.run(bad(1.0, true, 0, Duration.ZERO), FLEET);
    RolloutSimulation.Result limited =
        RolloutSimulation.run(bad(1.0, true, 600, Duration.ZERO), FLEET);

    assertThat(open.ran())
        .as("without slots nobody waits for fleet-web")
        .isEqualTo(open.channelNodes());
    assertThat(limited.noSlot()).isPositive();
    assertThat(limited.ran()).isLessThan(open.ran() / 2);
  }

  @Test
  void aGoodPromotionReachesEveryStableNodeAsFastAsTheRolloutAndTheLimitAllow() {
    RolloutSimulation.Result plain = RolloutSimulation.run(promote(null, 0), SMALL);
    RolloutSimulation.Result phased =
        RolloutSimulation.run(promote(Duration.ofHours(12), 0), SMALL);
    RolloutSimulation.Result limited = RolloutSimulation.run(promote(null, 300), SMALL);

    assertThat(plain.toAll()).isLessThanOrEqualTo(Duration.ofMinutes(62));
    assertThat(plain.endedOn()).isEqualTo(plain.channelNodes());
    assertThat(plain.trippedAfter()).isNull();
    assertThat(phased.toAll()).isBetween(Duration.ofHours(10), Duration.ofHours(13));
    assertThat(phased.to99()).isGreaterThan(Duration.ofHours(10));
    // About 930 stable nodes at 300 starts an hour: more than three hours.
    assertThat(limited.toAll()).isGreaterThan(Duration.ofHours(3)).isLessThan(Duration.ofHours(6));
    assertThat(limited.noSlot()).isPositive();
  }
}
