package dev.sluice.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.GuardAction;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.proof.PolicyProof;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard's rules, one by one, and the edit a trip makes. */
class GuardEvaluatorTest {

  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  static final String TARGET = "9f8e7d6c".repeat(5);
  static final String OTHER = "1a2b3c4d".repeat(5);

  private static List<Observation> sample(int runs, int failed, Instant at) {
    List<Observation> sample = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      sample.add(new Observation("ok-" + i, Observation.Outcome.RUNS, null, at));
    }
    for (int i = 0; i < failed; i++) {
      sample.add(
          new Observation(
              "bad-" + i, Observation.Outcome.FAILED, "health-check: HTTP 500", at.plusSeconds(i)));
    }
    return sample;
  }

  private static GuardVerdict judge(Policy policy, List<Observation> sample) {
    return GuardEvaluator.evaluate(policy, Channel.PREPROD, TARGET, "v5.2.0_pre", sample, NOW);
  }

  @Test
  void moreThanTheRatioOfAtLeastTheSampleTrips() {
    GuardVerdict verdict = judge(Policy.defaults(), sample(18, 2, NOW.minusSeconds(60)));

    assertThat(verdict.state()).isEqualTo(GuardVerdict.State.TRIPPED);
    assertThat(verdict.attempts()).isEqualTo(20);
    assertThat(verdict.failed()).isEqualTo(2);
    assertThat(verdict.firstFailures())
        .extracting(Observation::node)
        .containsExactly("bad-0", "bad-1");
    assertThat(verdict.summary()).contains("2 of 20 nodes (10.0%) failed v5.2.0_pre");
  }

  @Test
  void exactlyTheRatioDoesNotTrip() {
    assertThat(judge(Policy.defaults(), sample(19, 1, NOW)).state())
        .isEqualTo(GuardVerdict.State.HEALTHY);
  }

  @Test
  void fewerThanTheSampleWaitsEvenWhenAllFailed() {
    assertThat(judge(Policy.defaults(), sample(0, 19, NOW)).state())
        .isEqualTo(GuardVerdict.State.TOO_FEW);
    assertThat(judge(Policy.defaults(), sample(0, 20, NOW)).state())
        .isEqualTo(GuardVerdict.State.TRIPPED);
  }

  @Test
  void reportsOlderThanTheWindowDoNotCount() {
    List<Observation> old = sample(0, 30, NOW.minus(Duration.ofHours(2)).minusSeconds(31));

    assertThat(judge(Policy.defaults(), old).attempts()).isZero();
  }

  @Test
  void onlyTheLatestReportOfANodeCounts() {
    List<Observation> sample = new ArrayList<>(sample(19, 0, NOW.minusSeconds(600)));
    sample.add(new Observation("flaky", Observation.Outcome.FAILED, "hook", NOW.minusSeconds(500)));
    sample.add(new Observation("flaky", Observation.Outcome.RUNS, null, NOW.minusSeconds(100)));

    GuardVerdict verdict = judge(Policy.defaults(), sample);

    assertThat(verdict.attempts()).isEqualTo(20);
    assertThat(verdict.failed()).isZero();
  }

  @Test
  void aHaltedTargetAPausedChannelAndAnOffGuardDoNothing() {
    Policy policy = Policy.defaults();
    GuardVerdict tripped = judge(policy, sample(0, 20, NOW));
    Policy halted = new GuardTrip(Channel.PREPROD, tripped, "v5.2.0_pre", NOW).apply(policy);

    assertThat(judge(halted, sample(0, 40, NOW)).state()).isEqualTo(GuardVerdict.State.HALTED);
    assertThat(
            GuardEvaluator.evaluate(
                    halted, Channel.PREPROD, OTHER, "v5.2.1_pre", sample(0, 40, NOW), NOW)
                .state())
        .as("a new target on a channel still paused: nothing left to pause")
        .isEqualTo(GuardVerdict.State.ALREADY_HELD);
    Policy off =
        PolicyParser.parse(
            "{\"schema\": 1, \"channels\": {\"preprod\": {\"guard\": {\"action\": \"off\"}}}}");
    assertThat(judge(off, sample(0, 40, NOW)).state()).isEqualTo(GuardVerdict.State.OFF);
  }

  @Test
  void aPauseTripPausesTheChannelAndRecordsTheEvidence() {
    GuardVerdict tripped = judge(Policy.defaults(), sample(10, 12, NOW.minusSeconds(900)));
    GuardTrip trip = new GuardTrip(Channel.PREPROD, tripped, "v5.2.0_pre (9f8e7d6c)", NOW);

    Policy after = trip.apply(Policy.defaults());

    assertThat(after.channel(Channel.PREPROD).paused()).isTrue();
    assertThat(after.channel(Channel.PREPROD).pauseReason()).startsWith("guard: 12 of 22 nodes");
    assertThat(after.channel(Channel.PREPROD).halt().commit()).isEqualTo(TARGET);
    assertThat(after.channel(Channel.PREPROD).halt().at()).isEqualTo(NOW);
    assertThat(after.channel(Channel.STABLE)).isEqualTo(Policy.defaults().channel(Channel.STABLE));
    assertThat(PolicyProof.problems(after, NOW)).isEmpty();
    String message = trip.message(Policy.defaults());
    assertThat(message)
        .startsWith("guard: pause preprod, 12 of 22 nodes failed v5.2.0_pre (9f8e7d6c)\n\n")
        .contains("bad-0 at " + NOW.minusSeconds(900) + ": health-check: HTTP 500")
        .contains("bad-9")
        .doesNotContain("bad-10 ")
        .contains("Sluice-Guard: preprod\nSluice-Guard-Commit: " + TARGET);
  }

  @Test
  void aDeadEndTripMarksTheCommitAndLeavesTheChannelRunning() {
    Policy policy =
        PolicyParser.parse(
            "{\"schema\": 1, \"channels\": {\"preprod\": {\"guard\": {\"action\": \"dead-end\"}}}}");
    GuardVerdict tripped = judge(policy, sample(0, 20, NOW));

    Policy after = new GuardTrip(Channel.PREPROD, tripped, "v5.2.0_pre", NOW).apply(policy);

    assertThat(after.channel(Channel.PREPROD).paused()).isFalse();
    assertThat(after.deadends())
        .singleElement()
        .satisfies(d -> assertThat(d.ref()).isEqualTo(TARGET));
    assertThat(after.channel(Channel.PREPROD).halt().action()).isEqualTo(GuardAction.DEAD_END);
    assertThat(judge(after, sample(0, 40, NOW)).state()).isEqualTo(GuardVerdict.State.HALTED);
    assertThat(PolicyParser.parse(PolicyWriter.write(after))).isEqualTo(after);
  }

  @Test
  void afterResumeTheSameEvidenceDoesNotTripAgain() {
    GuardVerdict tripped = judge(Policy.defaults(), sample(0, 25, NOW.minusSeconds(600)));
    Policy halted =
        new GuardTrip(Channel.PREPROD, tripped, "v5.2.0_pre", NOW).apply(Policy.defaults());
    Instant resumedAt = NOW.plusSeconds(60);
    Policy resumed =
        halted.withChannel(Channel.PREPROD, halted.channel(Channel.PREPROD).resumeAt(resumedAt));

    GuardVerdict again =
        GuardEvaluator.evaluate(
            resumed,
            Channel.PREPROD,
            TARGET,
            "v5.2.0_pre",
            sample(0, 25, NOW.minusSeconds(600)),
            resumedAt.plusSeconds(60));
    assertThat(again.state()).isEqualTo(GuardVerdict.State.TOO_FEW);
    assertThat(again.attempts()).isZero();

    List<Observation> fresh = sample(0, 20, resumedAt.plusSeconds(10));
    assertThat(
            GuardEvaluator.evaluate(
                    resumed,
                    Channel.PREPROD,
                    TARGET,
                    "v5.2.0_pre",
                    fresh,
                    resumedAt.plusSeconds(60))
                .state())
        .isEqualTo(GuardVerdict.State.TRIPPED);
  }

  @Test
  void reportsAreClassifiedByWhatTheySayAboutTheTarget() {
    assertThat(Observation.classify("rolled-back", "health-check", OTHER, TARGET, TARGET))
        .contains(Observation.Outcome.FAILED);
    assertThat(Observation.classify("failed", null, null, TARGET, TARGET))
        .contains(Observation.Outcome.FAILED);
    assertThat(Observation.classify("held", "max-attempts", OTHER, TARGET, TARGET))
        .contains(Observation.Outcome.FAILED);
    assertThat(Observation.classify("updated", null, TARGET, TARGET, TARGET))
        .contains(Observation.Outcome.RUNS);
    assertThat(Observation.classify("unchanged", null, TARGET, TARGET, TARGET))
        .contains(Observation.Outcome.RUNS);
    assertThat(Observation.classify("held", "paused", OTHER, TARGET, TARGET)).isEmpty();
    assertThat(Observation.classify("rolled-back", "hook", OTHER, OTHER, TARGET)).isEmpty();
    assertThat(Observation.classify("offline", null, TARGET, TARGET, TARGET)).isEmpty();
  }
}
