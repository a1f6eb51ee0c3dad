package dev.sluice.core.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the promotion gates look at, already read from git, the policy and the dashboard.
 *
 * @param candidateTag the preprod release tag to promote, null when there is none
 * @param candidateTime when the candidate's soak started (its tag time); null iff no candidate
 * @param soak how long a candidate must soak on preprod (the policy's {@code promotion.soak})
 * @param now the clock's current time
 * @param masterIsAncestor whether master is an ancestor of (or equal to) the candidate commit
 * @param stableTagTaken whether the stable tag for the candidate's version marks another commit
 * @param stablePaused whether the rollout policy pauses the stable channel
 * @param health the dashboard's health evidence, null when health is not checked
 * @param thresholds what counts as healthy (used only with health evidence)
 * @param overrideSoakReason the operator's reason for overriding the soak gate, null for none
 * @param deadends why the rollout policy marks the candidate a dead-end, one line per matching
 *     entry (empty: it is not one); null when dead-ends were not checked (the gate is left out)
 */
public record PromotionInputs(
    String candidateTag,
    Instant candidateTime,
    Duration soak,
    Instant now,
    boolean masterIsAncestor,
    boolean stableTagTaken,
    boolean stablePaused,
    HealthEvidence health,
    HealthThresholds thresholds,
    String overrideSoakReason,
    List<String> deadends) {

  /** Inputs without a dead-end check. */
  public PromotionInputs(
      String candidateTag,
      Instant candidateTime,
      Duration soak,
      Instant now,
      boolean masterIsAncestor,
      boolean stableTagTaken,
      boolean stablePaused,
      HealthEvidence health,
      HealthThresholds thresholds,
      String overrideSoakReason) {
    this(
        candidateTag,
        candidateTime,
        soak,
        now,
        masterIsAncestor,
        stableTagTaken,
        stablePaused,
        health,
        thresholds,
        overrideSoakReason,
        null);
  }

  public PromotionInputs {
    Objects.requireNonNull(soak, "soak");
    Objects.requireNonNull(now, "now");
    if (soak.isNegative()) {
      throw new IllegalArgumentException("soak must not be negative: " + soak);
    }
    if ((candidateTag == null) != (candidateTime == null)) {
      throw new IllegalArgumentException("a candidate needs its tag time, and only a candidate");
    }
    thresholds = thresholds == null ? HealthThresholds.DEFAULT : thresholds;
    if (overrideSoakReason != null) {
      overrideSoakReason = overrideSoakReason.strip().replaceAll("\\s+", " ");
      if (overrideSoakReason.isEmpty()) {
        throw new IllegalArgumentException("overriding the soak needs a reason");
      }
    }
    deadends =
        deadends == null
            ? null
            : deadends.stream().map(line -> line.strip().replaceAll("\\s+", " ")).toList();
  }

  /**
   * The inputs for a state read from git, with no health check and no override.
   *
   * @param soak the required soak (the policy's default, or an operator's {@code --soak})
   * @param stablePaused whether the rollout policy pauses the stable channel
   */
  public static PromotionInputs of(
      ChannelState state, Duration soak, Instant now, boolean stablePaused) {
    Release candidate = state.candidate();
    return new PromotionInputs(
        candidate == null ? null : candidate.tag(),
        candidate == null ? null : candidate.time(),
        soak,
        now,
        state.masterIsAncestorOfCandidate(),
        state.stableTagTaken(),
        stablePaused,
        null,
        HealthThresholds.DEFAULT,
        null);
  }

  /** These inputs with the dashboard's health evidence judged against thresholds. */
  public PromotionInputs withHealth(HealthEvidence evidence, HealthThresholds limits) {
    return new PromotionInputs(
        candidateTag,
        candidateTime,
        soak,
        now,
        masterIsAncestor,
        stableTagTaken,
        stablePaused,
        Objects.requireNonNull(evidence, "evidence"),
        limits,
        overrideSoakReason,
        deadends);
  }

  /** These inputs with the soak gate overridden for a reason that will be recorded. */
  public PromotionInputs withSoakOverride(String reason) {
    return new PromotionInputs(
        candidateTag,
        candidateTime,
        soak,
        now,
        masterIsAncestor,
        stableTagTaken,
        stablePaused,
        health,
        thresholds,
        Objects.requireNonNull(reason, "reason"),
        deadends);
  }

  /**
   * These inputs with the dead-end check: why the policy marks the candidate a dead-end, one line
   * per matching entry, or an empty list when it does not. No override lifts this gate.
   */
  public PromotionInputs withDeadends(List<String> reasons) {
    return new PromotionInputs(
        candidateTag,
        candidateTime,
        soak,
        now,
        masterIsAncestor,
        stableTagTaken,
        stablePaused,
        health,
        thresholds,
        overrideSoakReason,
        Objects.requireNonNull(reasons, "reasons"));
  }
}
