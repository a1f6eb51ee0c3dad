package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.channel.Channel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code updateLimits} in the policy file: read, written back unchanged, edited by path. */
class UpdateLimitsPolicyTest {

  static final String DOCUMENT =
      """
      {"schema": 1, "updateLimits": {
        "channels": {"stable": {"maxConcurrentUpdates": 50, "maxUpdatesPerHour": 500}},
        "groups": {"farm-1": {"maxConcurrentUpdates": 5}},
        "slotExpiry": "PT30M",
        "onLockUnavailable": "proceed"}}
      """;

  @Test
  void readWrittenAndReadAgainUnchanged() {
    Policy policy = PolicyParser.parse(DOCUMENT);
    UpdateLimits limits = policy.updateLimits();

    assertThat(limits.channels()).containsEntry(Channel.STABLE, new UpdateLimit(50, 500));
    assertThat(limits.channels()).doesNotContainKey(Channel.PREPROD);
    assertThat(limits.groups()).containsEntry("farm-1", new UpdateLimit(5, 0));
    assertThat(limits.slotExpiry()).isEqualTo(Duration.ofMinutes(30));
    assertThat(limits.onLockUnavailable()).isEqualTo(UpdateLimits.OnLockUnavailable.PROCEED);
    String written = PolicyWriter.write(policy);
    assertThat(written)
        .contains("\"maxConcurrentUpdates\": 5")
        .doesNotContain("\"maxUpdatesPerHour\": 0");
    assertThat(PolicyParser.parse(written)).isEqualTo(policy);
  }

  @Test
  void noLimitsByDefaultSoNoNodeAsksForASlot() {
    UpdateLimits limits = Policy.defaults().updateLimits();

    assertThat(limits.isEmpty()).isTrue();
    assertThat(limits.limitFor("stable")).isEmpty();
    assertThat(limits.onLockUnavailable()).isEqualTo(UpdateLimits.OnLockUnavailable.WAIT);
    assertThat(limits.slotExpiry()).isEqualTo(UpdateLimits.DEFAULT_SLOT_EXPIRY);
    assertThat(PolicyParser.parse("{\"schema\": 1}").updateLimits()).isEqualTo(limits);
  }

  @Test
  void policySetEditsALimitByPath() {
    PolicyEditor.Result result =
        PolicyEditor.set(
            Policy.defaults(),
            List.of(
                "updateLimits.channels.preprod.maxUpdatesPerHour=20",
                "updateLimits.onLockUnavailable=proceed"));

    assertThat(result.policy().updateLimits().limitFor("preprod")).contains(new UpdateLimit(0, 20));
    assertThat(result.policy().updateLimits().onLockUnavailable())
        .isEqualTo(UpdateLimits.OnLockUnavailable.PROCEED);
    assertThat(result.changes()).hasSize(2);
  }

  @Test
  void aGroupLimitWinsOverTheChannelsAndTheFirstLimitedGroupIsTheLockGroup() {
    UpdateLimits limits = PolicyParser.parse(DOCUMENT).updateLimits();

    assertThat(limits.lockGroupFor(Channel.STABLE, List.of("rack-9", "farm-1")))
        .isEqualTo("farm-1");
    assertThat(limits.lockGroupFor(Channel.PREPROD, List.of("rack-9"))).isEqualTo("preprod");
    assertThat(limits.limitFor("farm-1")).contains(new UpdateLimit(5, 0));
    assertThat(limits.limitFor("preprod")).isEmpty();
    assertThat(limits.limitFor("default")).isEmpty();
  }
}
