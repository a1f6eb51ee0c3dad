package dev.sluice.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.Track;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEditorTest {

  private static PolicyValidationException rejected(Policy policy, String... assignments) {
    PolicyValidationException e =
        catchThrowableOfType(
            PolicyValidationException.class, () -> PolicyEditor.set(policy, List.of(assignments)));
    assertThat(e).as("expected %s to be rejected", List.of(assignments)).isNotNull();
    return e;
  }

  @Test
  void setsScalarsNestedFieldsAndMapEntriesAndSaysWhatChanged() {
    PolicyEditor.Result result =
        PolicyEditor.set(
            Policy.defaults(),
            List.of(
                "lottery.probability=0.1",
                "promotion.soak=P3D",
                "channels.preprod.track=tag",
                "lottery.groupWeights.farm-1=1.0",
                "maxAttempts=5",
                "frozen=[\"hpc\"]"));

    Policy policy = result.policy();
    assertThat(policy.lottery().probability()).isEqualTo(0.1);
    assertThat(policy.promotion().soak()).isEqualTo(Duration.ofDays(3));
    assertThat(policy.channel(Channel.PREPROD).track()).isEqualTo(Track.TAG);
    assertThat(policy.lottery().groupWeights()).containsExactly(Map.entry("farm-1", 1.0));
    assertThat(policy.maxAttempts()).isEqualTo(5);
    assertThat(policy.frozen()).containsExactly("hpc");
    assertThat(result.changes())
        .extracting(PolicyEditor.Change::toString)
        .containsExactly(
            "lottery.probability=0.1 (was 0.07)",
            "promotion.soak=\"P3D\" (was \"P7D\")",
            "channels.preprod.track=\"tag\" (was \"branch\")",
            "lottery.groupWeights.farm-1=1.0 (was unset)",
            "maxAttempts=5 (was 3)",
            "frozen=[\"hpc\"] (was [])");
  }

  @Test
  void arrayEntriesAreAddressedByIndexAndNullRestoresTheDefault() {
    Policy withWindow =
        PolicyEditor.set(
                Policy.defaults(),
                List.of(
                    "maintenanceWindows[0]={\"days\":[\"SAT\"],\"start\":\"02:00\","
                        + "\"length\":\"PT4H\",\"zone\":\"UTC\"}",
                    "maxAttempts=7"))
            .policy();

    Policy edited =
        PolicyEditor.set(
                withWindow, List.of("maintenanceWindows[0].start=03:30", "maxAttempts=null"))
            .policy();

    assertThat(edited.maintenanceWindows().get(0).start()).isEqualTo(LocalTime.of(3, 30));
    assertThat(edited.maxAttempts()).isEqualTo(3);
    assertThat(PolicyEditor.set(edited, List.of("maintenanceWindows[0]=null")).policy())
        .isEqualTo(Policy.defaults());
  }

  @Test
  void unchangedValuesAreNotReportedAsChanges() {
    assertThat(PolicyEditor.set(Policy.defaults(), List.of("maxAttempts=3")).changes()).isEmpty();
  }

  @Test
  void badValuesAreReportedLikeAnyInvalidDocument() {
    assertThat(rejected(Policy.defaults(), "lottery.probability=2", "lottery.colour=red").errors())
        .containsExactlyInAnyOrder(
            "lottery.probability: 2 is not a number in [0,1]",
            "lottery.colour: unknown field; expected one of probability, period, groupWeights");
    assertThat(
            rejected(Policy.defaults(), "lottery.groupWeights.hpc=1", "frozen=[\"hpc\"]").errors())
        .singleElement()
        .asString()
        .startsWith("frozen[0]: \"hpc\" also has a weight");
  }

  @Test
  void duplicateKeysInAValueAndFieldsSetTwiceAreRefused() {
    assertThat(rejected(Policy.defaults(), "lottery.groupWeights={\"a\": 1, \"a\": 0}").errors())
        .singleElement()
        .asString()
        .startsWith("lottery.groupWeights: the value has a duplicate key")
        .contains("'a'");
    assertThat(rejected(Policy.defaults(), "maxAttempts=2", "maxAttempts=5").errors())
        .containsExactly("maxAttempts: is set twice; set each field once");
  }

  @Test
  void malformedAssignmentsNameTheKey() {
    assertThat(
            rejected(
                    Policy.defaults(),
                    "probability",
                    "lottery..probability=1",
                    "maintenanceWindows[3].start=02:00",
                    "maxAttempts.x=1")
                .errors())
        .containsExactly(
            "probability: not KEY=VALUE, e.g. lottery.probability=0.1",
            "lottery..probability: not a field path such as lottery.probability or"
                + " maintenanceWindows[0].start",
            "maintenanceWindows[3].start: maintenanceWindows[3] is out of range (0 entries)",
            "maxAttempts.x: maxAttempts is 3, not an object or array");
  }
}
