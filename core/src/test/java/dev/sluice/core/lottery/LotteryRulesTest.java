package dev.sluice.core.lottery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LotteryRulesTest {

  @Test
  void ticketExpiresOneCalendarMonthLaterInUtc() {
    Instant drawn = Instant.parse("2026-01-31T10:00:00Z");
    assertThat(LotteryRules.nextDrawAt(drawn, Period.ofMonths(1)))
        .isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
    assertThat(
            LotteryRules.expired(drawn, Period.ofMonths(1), Instant.parse("2026-02-28T09:59:59Z")))
        .isFalse();
    assertThat(
            LotteryRules.expired(drawn, Period.ofMonths(1), Instant.parse("2026-02-28T10:00:00Z")))
        .isTrue();
  }

  @Test
  void ticketWinsStrictlyBelowWeight() {
    assertThat(LotteryRules.wins(0.069, 0.07)).isTrue();
    assertThat(LotteryRules.wins(0.07, 0.07)).isFalse();
    assertThat(LotteryRules.wins(0.0, 0.0)).isFalse();
    assertThat(LotteryRules.wins(0.999, 1.0)).isTrue();
  }

  @Test
  void raisingTheWeightOnlyAddsNodes() {
    double[] tickets = {0.01, 0.05, 0.08, 0.2, 0.5, 0.93};
    for (double ticket : tickets) {
      if (LotteryRules.wins(ticket, 0.07)) {
        assertThat(LotteryRules.wins(ticket, 0.10)).isTrue();
      }
    }
  }

  @Test
  void highestGroupWeightReplacesDefault() {
    Map<String, Double> weights = Map.of("farm-1", 1.0, "canary", 0.5);
    assertThat(LotteryRules.weightFor(List.of("canary", "farm-1"), weights, 0.07))
        .isEqualTo(new LotteryRules.Weight(1.0, "group farm-1"));
    assertThat(LotteryRules.weightFor(List.of("other"), weights, 0.07))
        .isEqualTo(new LotteryRules.Weight(0.07, "default probability"));
  }

  @Test
  void outOfRangeValuesAreRefused() {
    assertThatThrownBy(() -> LotteryRules.wins(1.0, 0.5)).hasMessageContaining("not in [0,1)");
    assertThatThrownBy(() -> LotteryRules.wins(0.5, 1.5)).hasMessageContaining("not in [0,1]");
    assertThatThrownBy(() -> LotteryRules.nextDrawAt(Instant.EPOCH, Period.ZERO))
        .hasMessageContaining("must be positive");
  }
}
