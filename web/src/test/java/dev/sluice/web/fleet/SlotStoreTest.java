package dev.sluice.web.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.UpdateLimit;
import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.slots.SlotDecision;
import dev.sluice.core.slots.SlotLedger;
import dev.sluice.web.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slots kept in fleet-web's database answer exactly like core's in-memory ledger (the code the
 * rollout simulation runs), over a long random sequence of requests, releases and passing time; and
 * they survive a restart.
 */
class SlotStoreTest {

  @TempDir Path dir;

  static final UpdateLimits LIMITS =
      new UpdateLimits(
          Map.of(Channel.STABLE, new UpdateLimit(3, 8), Channel.PREPROD, new UpdateLimit(0, 2)),
          Map.of("farm-1", new UpdateLimit(1, 0)),
          Duration.ofMinutes(20),
          UpdateLimits.OnLockUnavailable.WAIT);

  @Test
  void theDatabaseAnswersLikeTheInMemoryLedger() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    SlotLedger ledger = new SlotLedger(clock);
    Random random = new Random(42);
    String[] groups = {"stable", "preprod", "farm-1", "default"};
    int granted = 0;
    int refused = 0;
    try (FleetDatabase database = FleetDatabase.open(dir.resolve("fleet.db"))) {
      SlotStore store = new SlotStore(database);
      for (int i = 0; i < 600; i++) {
        String group = groups[random.nextInt(groups.length)];
        String node = "node-" + random.nextInt(12);
        int what = random.nextInt(10);
        if (what < 6) {
          SlotDecision expected = ledger.acquire(LIMITS, group, node);
          SlotDecision actual = store.acquire(LIMITS, group, node, clock.instant());
          assertThat(actual).as("request %d: %s in %s", i, node, group).isEqualTo(expected);
          if (actual.granted()) {
            granted++;
          } else {
            refused++;
          }
        } else if (what < 8) {
          assertThat(store.release(group, node))
              .as("release %d: %s in %s", i, node, group)
              .isEqualTo(ledger.release(group, node));
        } else {
          clock.advance(Duration.ofMinutes(1 + random.nextInt(9)));
        }
      }
    }
    assertThat(granted).isGreaterThan(50);
    assertThat(refused).isGreaterThan(50);
  }

  @Test
  void slotsSurviveARestart() {
    Instant now = Instant.parse("2026-11-20T10:00:00Z");
    Path file = dir.resolve("fleet.db");
    try (FleetDatabase database = FleetDatabase.open(file)) {
      new SlotStore(database).acquire(LIMITS, "farm-1", "node-1", now);
    }
    try (FleetDatabase database = FleetDatabase.open(file)) {
      SlotStore store = new SlotStore(database);
      assertThat(store.acquire(LIMITS, "farm-1", "node-2", now.plusSeconds(60)).outcome())
          .isEqualTo(SlotDecision.Outcome.REFUSED_CONCURRENT);
      assertThat(store.held(now.plusSeconds(60))).hasSize(1);
    }
  }
}
