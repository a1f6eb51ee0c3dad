package dev.sluice.core.slots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.UpdateLimit;
import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.policy.UpdateLimits.OnLockUnavailable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotLedgerTest {

  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = T0;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final SlotLedger ledger = new SlotLedger(clock);

  private static UpdateLimits stable(int concurrent, int perHour) {
    return new UpdateLimits(
        Map.of(Channel.STABLE, new UpdateLimit(concurrent, perHour)),
        Map.of(),
        Duration.ofMinutes(30),
        OnLockUnavailable.WAIT);
  }

  @Test
  void concurrencyLimitRefusesUntilASlotIsGivenBack() {
    UpdateLimits limits = stable(2, 0);
    assertThat(ledger.acquire(limits, "stable", "a").outcome())
        .isEqualTo(SlotDecision.Outcome.GRANTED);
    assertThat(ledger.acquire(limits, "stable", "b").granted()).isTrue();
    SlotDecision refused = ledger.acquire(limits, "stable", "c");
    assertThat(refused.outcome()).isEqualTo(SlotDecision.Outcome.REFUSED_CONCURRENT);
    assertThat(refused.retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
    assertThat(refused.message()).contains("2 of 2 held").contains("maxConcurrentUpdates");

    assertThat(ledger.release("stable", "a")).isTrue();
    assertThat(ledger.release("stable", "a")).isFalse();
    assertThat(ledger.acquire(limits, "stable", "c").granted()).isTrue();
    assertThat(ledger.held("stable")).extracting(Slot::holder).containsExactly("b", "c");
  }

  @Test
  void aSlotNotGivenBackExpires() {
    UpdateLimits limits = stable(1, 0);
    ledger.acquire(limits, "stable", "dead-node");
    clock.advance(Duration.ofMinutes(29));
    assertThat(ledger.acquire(limits, "stable", "b").granted()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    SlotDecision decision = ledger.acquire(limits, "stable", "b");
    assertThat(decision.granted()).isTrue();
    assertThat(decision.expired()).extracting(Slot::holder).containsExactly("dead-node");
    assertThat(ledger.held("stable")).extracting(Slot::holder).containsExactly("b");
  }

  @Test
  void aHolderAskingAgainKeepsItsSlotWithANewExpiryAndCountsOnce() {
    UpdateLimits limits = stable(1, 2);
    ledger.acquire(limits, "stable", "a");
    clock.advance(Duration.ofMinutes(20));
    SlotDecision again = ledger.acquire(limits, "stable", "a");
    assertThat(again.outcome()).isEqualTo(SlotDecision.Outcome.RENEWED);
    assertThat(again.slot().grantedAt()).isEqualTo(T0);
    assertThat(again.slot().expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(50)));
    assertThat(ledger.grantedLastHour("stable")).isEqualTo(1);
  }

  @Test
  void hourlyRateCountsGrantsEvenWhenGivenBack() {
    UpdateLimits limits = stable(0, 2);
    ledger.acquire(limits, "stable", "a");
    ledger.release("stable", "a");
    clock.advance(Duration.ofMinutes(10));
    ledger.acquire(limits, "stable", "b");
    ledger.release("stable", "b");
    SlotDecision refused = ledger.acquire(limits, "stable", "c");
    assertThat(refused.outcome()).isEqualTo(SlotDecision.Outcome.REFUSED_RATE);
    assertThat(refused.retryAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    clock.advance(Duration.ofMinutes(49));
    assertThat(ledger.acquire(limits, "stable", "c").granted()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(ledger.acquire(limits, "stable", "c").granted()).isTrue();
    assertThat(ledger.acquire(limits, "stable", "d").granted()).isFalse();
  }

  @Test
  void aGroupLimitIsSeparateFromTheChannelsAndUnlimitedGroupsAlwaysGrant() {
    UpdateLimits limits =
        new UpdateLimits(
            Map.of(Channel.STABLE, new UpdateLimit(1, 0)),
            Map.of("farm-1", new UpdateLimit(1, 0)),
            Duration.ofMinutes(30),
            OnLockUnavailable.WAIT);
    assertThat(limits.lockGroupFor(Channel.STABLE, List.of("other", "farm-1"))).isEqualTo("farm-1");
    assertThat(limits.lockGroupFor(Channel.STABLE, List.of("other"))).isEqualTo("stable");
    assertThat(ledger.acquire(limits, "stable", "a").granted()).isTrue();
    assertThat(ledger.acquire(limits, "farm-1", "b").granted()).isTrue();
    assertThat(ledger.acquire(limits, "farm-1", "c").granted()).isFalse();
    for (int i = 0; i < 100; i++) {
      assertThat(ledger.acquire(limits, "default", "n" + i).granted()).isTrue();
    }
    assertThat(ledger.acquire(limits, "preprod", "p").granted()).isTrue();
  }

  @Test
  void bothLimitsRefusedNamesTheLaterRetry() {
    UpdateLimits limits = stable(1, 1);
    ledger.acquire(limits, "stable", "a");
    SlotDecision refused = ledger.acquire(limits, "stable", "b");
    assertThat(refused.outcome()).isEqualTo(SlotDecision.Outcome.REFUSED_CONCURRENT);
    assertThat(refused.retryAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
  }
}
