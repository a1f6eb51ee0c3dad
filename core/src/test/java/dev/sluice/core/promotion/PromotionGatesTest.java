package dev.sluice.core.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionGatesTest {

  private static final Instant TAGGED = Instant.parse("2026-11-01T10:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private static PromotionInputs inputs(Instant now) {
    return new PromotionInputs(
        "v1.2.0_pre", TAGGED, WEEK, now, true, false, false, null, null, null);
  }

  @Test
  void soakOneSecondShortIsRefused() {
    PromotionDecision decision = PromotionGates.decide(inputs(TAGGED.plus(WEEK).minusSeconds(1)));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.failures()).extracting(GateResult::code).containsExactly("soak-not-over");
    assertThat(decision.soakRemaining()).isEqualTo(Duration.ofSeconds(1));
    assertThat(decision.soakServed()).isEqualTo(WEEK.minusSeconds(1));
    assertThat(decision.soakEndsAt()).isEqualTo(TAGGED.plus(WEEK));
    assertThat(decision.failures().get(0).text()).contains("1s left");
  }

  @Test
  void soakExactlyMetPasses() {
    PromotionDecision decision = PromotionGates.decide(inputs(TAGGED.plus(WEEK)));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.failures()).isEmpty();
    assertThat(decision.soakRemaining()).isZero();
    assertThat(decision.gates())
        .extracting(GateResult::gate)
        .containsExactly(
            Gate.CANDIDATE, Gate.STABLE_TAG, Gate.SOAK, Gate.FAST_FORWARD, Gate.STABLE_NOT_PAUSED);
  }

  @Test
  void refusalListsEveryFailedGate() {
    PromotionInputs in =
        new PromotionInputs(
                "v1.2.0_pre",
                TAGGED,
                WEEK,
                TAGGED.plusSeconds(60),
                false,
                true,
                true,
                null,
                null,
                null)
            .withHealth(new HealthReport(SHA, 2, 1, 1.0 / 3), new HealthThresholds(3, 0.05));

    PromotionDecision decision = PromotionGates.decide(in);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.failures())
        .extracting(GateResult::code)
        .containsExactly(
            "stable-tag-taken",
            "soak-not-over",
            "not-fast-forward",
            "stable-paused",
            "too-few-healthy-nodes",
            "failure-ratio-too-high");
  }

  @Test
  void soakOverrideLetsAnEarlyPromotionThroughAndKeepsTheReason() {
    PromotionDecision decision =
        PromotionGates.decide(
            inputs(TAGGED.plus(Duration.ofHours(5))).withSoakOverride("  CVE fix,\n approved  "));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.soakOverridden()).isTrue();
    assertThat(decision.overrideReason()).isEqualTo("CVE fix, approved");
    assertThat(decision.gates().get(2).outcome()).isEqualTo(GateResult.Outcome.OVERRIDDEN);
    assertThat(decision.gates().get(2).code()).isEqualTo("soak");
  }

  @Test
  void overrideIsNotRecordedWhenTheSoakWasServedAnyway() {
    PromotionDecision decision =
        PromotionGates.decide(inputs(TAGGED.plus(WEEK).plusSeconds(1)).withSoakOverride("hurry"));

    assertThat(decision.soakOverridden()).isFalse();
    assertThat(decision.overrideReason()).isNull();
  }

  @Test
  void overrideDoesNotLiftOtherGates() {
    PromotionInputs in =
        new PromotionInputs("v1.2.0_pre", TAGGED, WEEK, TAGGED, true, false, true, null, null, null)
            .withSoakOverride("hurry");

    assertThat(PromotionGates.decide(in).failures())
        .extracting(GateResult::code)
        .containsExactly("stable-paused");
  }

  @Test
  void aDeadEndCandidateIsRefusedWithTheReasonAndNoOverrideLiftsIt() {
    PromotionInputs in =
        inputs(TAGGED.plusSeconds(60))
            .withSoakOverride("hurry")
            .withDeadends(List.of("v1.2.0_pre: db migration\n corrupts state"));

    PromotionDecision decision = PromotionGates.decide(in);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.failures()).extracting(GateResult::code).containsExactly("deadend");
    assertThat(decision.failures().get(0).text())
        .isEqualTo(
            "v1.2.0_pre is a dead-end in the rollout policy (v1.2.0_pre: db migration corrupts"
                + " state); it is never promoted, release a fixed version");
  }

  @Test
  void theDeadEndGateIsRecordedAsPassedWhenCheckedAndLeftOutWhenNot() {
    PromotionDecision checked =
        PromotionGates.decide(inputs(TAGGED.plus(WEEK)).withDeadends(List.of()));
    PromotionDecision unchecked = PromotionGates.decide(inputs(TAGGED.plus(WEEK)));

    assertThat(checked.allowed()).isTrue();
    assertThat(checked.gates()).extracting(GateResult::gate).contains(Gate.NOT_DEADEND);
    assertThat(unchecked.gates()).extracting(GateResult::gate).doesNotContain(Gate.NOT_DEADEND);
  }

  @Test
  void missingCandidateIsRefused() {
    PromotionDecision decision =
        PromotionGates.decide(
            new PromotionInputs(null, null, WEEK, TAGGED, true, false, false, null, null, null));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.failures()).extracting(GateResult::code).containsExactly("no-candidate");
  }

  @Test
  void unavailableHealthIsRefusedWithItsReason() {
    PromotionDecision decision =
        PromotionGates.decide(
            inputs(TAGGED.plus(WEEK))
                .withHealth(
                    new HealthUnavailable("dashboard answered 503"), HealthThresholds.DEFAULT));

    assertThat(decision.failures())
        .extracting(GateResult::code)
        .containsExactly("health-unavailable");
    assertThat(decision.failures().get(0).text()).contains("dashboard answered 503");
  }

  @Test
  void healthAtTheThresholdsPasses() {
    PromotionDecision decision =
        PromotionGates.decide(
            inputs(TAGGED.plus(WEEK))
                .withHealth(new HealthReport(SHA, 19, 1, 0.05), new HealthThresholds(19, 0.05)));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.gates())
        .extracting(GateResult::gate)
        .contains(Gate.HEALTH_REPORT, Gate.HEALTHY_NODES, Gate.FAILURE_RATIO);
  }

  @Test
  void healthGateIsNeverVacuous() {
    PromotionDecision decision =
        PromotionGates.decide(
            inputs(TAGGED.plus(WEEK))
                .withHealth(HealthReport.of(SHA, 0, 0, 0), HealthThresholds.DEFAULT));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.failures())
        .extracting(GateResult::text)
        .containsExactly(
            "only 0 healthy preprod nodes on the candidate (minimum 3 = max(3, 10 % of 0"
                + " preprod nodes seen since the release))");
  }

  @Test
  void defaultMinimumIsTenPercentOfThePreprodNodesSeen() {
    HealthThresholds limits = HealthThresholds.DEFAULT;

    assertThat(limits.requiredHealthy(0)).isEqualTo(3);
    assertThat(limits.requiredHealthy(30)).isEqualTo(3);
    assertThat(limits.requiredHealthy(41)).isEqualTo(5);
    assertThat(limits.requiredHealthy(900)).isEqualTo(90);
    assertThat(new HealthThresholds(7, 0.05).requiredHealthy(900)).isEqualTo(7);
    assertThat(
            PromotionGates.decide(
                    inputs(TAGGED.plus(WEEK)).withHealth(HealthReport.of(SHA, 89, 0, 900), limits))
                .failures())
        .extracting(GateResult::text)
        .containsExactly(
            "only 89 healthy preprod nodes on the candidate (minimum 90 = max(3, 10 % of 900"
                + " preprod nodes seen since the release))");
    assertThat(
            PromotionGates.decide(
                    inputs(TAGGED.plus(WEEK)).withHealth(HealthReport.of(SHA, 90, 0, 900), limits))
                .allowed())
        .isTrue();
  }

  @Test
  void soakStartingInTheFutureCountsAsNotServed() {
    PromotionDecision decision = PromotionGates.decide(inputs(TAGGED.minusSeconds(30)));

    assertThat(decision.soakServed()).isZero();
    assertThat(decision.soakRemaining()).isEqualTo(WEEK);
  }

  @Test
  void inputsRejectAnOverrideWithoutReason() {
    assertThatThrownBy(() -> inputs(TAGGED).withSoakOverride("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason");
  }

  @Test
  void decisionJsonHasVerdictDurationsAndCodes() throws Exception {
    PromotionDecision decision = PromotionGates.decide(inputs(TAGGED.plusSeconds(3600)));

    JsonNode json = Json.mapper().readTree(Json.write(decision));

    assertThat(json.get("allowed").asBoolean()).isFalse();
    assertThat(json.get("candidate").asText()).isEqualTo("v1.2.0_pre");
    assertThat(json.get("soakRequired").asText()).isEqualTo("PT168H");
    assertThat(json.get("soakServed").asText()).isEqualTo("PT1H");
    assertThat(json.get("soakEndsAt").asText()).isEqualTo("2026-11-08T10:00:00Z");
    assertThat(json.get("failures").get(0).get("code").asText()).isEqualTo("soak-not-over");
    assertThat(json.get("failures").get(0).get("gate").asText()).isEqualTo("soak");
    assertThat(json.get("failures").get(0).get("outcome").asText()).isEqualTo("failed");
    assertThat(json.get("gates")).hasSize(5);
  }

  @Test
  void healthReportRoundTripsThroughTheDashboardContract() throws Exception {
    String body =
        "{\"commit\":\"" + SHA + "\",\"healthyNodes\":4,\"failedNodes\":1,\"failureRatio\":0.2}";

    HealthReport report = Json.mapper().readValue(body, HealthReport.class);

    assertThat(report).isEqualTo(HealthReport.of(SHA, 4, 1));
    assertThat(Json.mapper().readTree(Json.write(report))).isEqualTo(Json.mapper().readTree(body));
  }
}
