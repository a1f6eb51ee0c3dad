package dev.sluice.core.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The promotion gates as one pure function: the same inputs always give the same decision, and a
 * refusal lists every gate that failed, not just the first.
 *
 * <p>Gates, in order: a candidate exists; its stable tag is free; the soak has been served
 * (overridable with a reason); master can fast-forward to it; the stable channel is not paused;
 * when dead-ends were checked, the rollout policy does not mark it one (never overridable); with
 * health evidence, the dashboard answered, enough preprod nodes are healthy on the candidate and
 * the failure ratio is at most the threshold.
 */
public final class PromotionGates {

  private PromotionGates() {}

  public static PromotionDecision decide(PromotionInputs in) {
    List<GateResult> gates = new ArrayList<>();
    Duration required = in.soak();
    if (in.candidateTag() == null) {
      gates.add(GateResult.failed(Gate.CANDIDATE, "there is no preprod release tag to promote"));
      addPaused(in, gates);
      return new PromotionDecision(null, required, Duration.ZERO, required, null, null, gates);
    }
    gates.add(GateResult.passed(Gate.CANDIDATE, "candidate is " + in.candidateTag()));

    if (in.stableTagTaken()) {
      gates.add(
          GateResult.failed(
              Gate.STABLE_TAG,
              "the stable tag for "
                  + in.candidateTag()
                  + " already exists on another commit; release a newer version"));
    } else {
      gates.add(GateResult.passed(Gate.STABLE_TAG, "the stable tag is free"));
    }

    Instant start = in.candidateTime();
    Duration served = Duration.between(start, in.now());
    if (served.isNegative()) {
      served = Duration.ZERO;
    }
    Duration remaining = required.minus(served);
    if (remaining.isNegative()) {
      remaining = Duration.ZERO;
    }
    Instant endsAt = start.plus(required);
    String soakFacts =
        in.candidateTag()
            + " has soaked "
            + Durations.human(served)
            + " of "
            + Durations.human(required);
    if (remaining.isZero()) {
      gates.add(GateResult.passed(Gate.SOAK, soakFacts));
    } else if (in.overrideSoakReason() != null) {
      gates.add(
          new GateResult(
              Gate.SOAK,
              GateResult.Outcome.OVERRIDDEN,
              soakFacts + "; soak overridden: " + in.overrideSoakReason()));
    } else {
      gates.add(
          GateResult.failed(
              Gate.SOAK,
              soakFacts + "; " + Durations.human(remaining) + " left (until " + endsAt + ")"));
    }

    if (in.masterIsAncestor()) {
      gates.add(
          GateResult.passed(Gate.FAST_FORWARD, "master fast-forwards to " + in.candidateTag()));
    } else {
      gates.add(
          GateResult.failed(
              Gate.FAST_FORWARD,
              "master has commits that "
                  + in.candidateTag()
                  + " does not contain, so it cannot be fast-forwarded; release a new"
                  + " preprod version that contains master"));
    }

    addPaused(in, gates);
    addDeadend(in, gates);
    addHealth(in, gates);
    String override = remaining.isZero() ? null : in.overrideSoakReason();
    return new PromotionDecision(
        in.candidateTag(), required, served, remaining, endsAt, override, gates);
  }

  private static void addPaused(PromotionInputs in, List<GateResult> gates) {
    if (in.stablePaused()) {
      gates.add(
          GateResult.failed(
              Gate.STABLE_NOT_PAUSED, "the stable channel is paused by the rollout policy"));
    } else {
      gates.add(GateResult.passed(Gate.STABLE_NOT_PAUSED, "the stable channel is not paused"));
    }
  }

  private static void addDeadend(PromotionInputs in, List<GateResult> gates) {
    if (in.deadends() == null) {
      return;
    }
    if (in.deadends().isEmpty()) {
      gates.add(
          GateResult.passed(
              Gate.NOT_DEADEND, in.candidateTag() + " is not a dead-end in the rollout policy"));
      return;
    }
    gates.add(
        GateResult.failed(
            Gate.NOT_DEADEND,
            in.candidateTag()
                + " is a dead-end in the rollout policy ("
                + String.join("; ", in.deadends())
                + "); it is never promoted, release a fixed version"));
  }

  private static void addHealth(PromotionInputs in, List<GateResult> gates) {
    HealthThresholds limits = in.thresholds();
    if (in.health() == null) {
      return;
    }
    if (in.health() instanceof HealthUnavailable unavailable) {
      gates.add(
          GateResult.failed(
              Gate.HEALTH_REPORT, "no health report for the candidate: " + unavailable.reason()));
      return;
    }
    HealthReport report = (HealthReport) in.health();
    gates.add(
        GateResult.passed(
            Gate.HEALTH_REPORT,
            "dashboard reports "
                + report.healthyNodes()
                + " healthy and "
                + report.failedNodes()
                + " failed preprod nodes on the candidate"));
    int seen = report.preprodNodesSeenOrZero();
    String healthy =
        report.healthyNodes()
            + " healthy preprod nodes on the candidate ("
            + limits.describeMinimum(seen)
            + ")";
    if (report.healthyNodes() >= limits.requiredHealthy(seen)) {
      gates.add(GateResult.passed(Gate.HEALTHY_NODES, healthy));
    } else {
      gates.add(GateResult.failed(Gate.HEALTHY_NODES, "only " + healthy));
    }
    String ratio =
        "failure ratio "
            + percent(report.failureRatio())
            + " (maximum "
            + percent(limits.maxFailureRatio())
            + ")";
    if (report.failureRatio() <= limits.maxFailureRatio()) {
      gates.add(GateResult.passed(Gate.FAILURE_RATIO, ratio));
    } else {
      gates.add(GateResult.failed(Gate.FAILURE_RATIO, ratio + " is too high"));
    }
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
  }
}
