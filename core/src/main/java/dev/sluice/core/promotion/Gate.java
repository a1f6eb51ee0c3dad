package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One promotion gate. Each has a stable id (what it checks) and a stable failure code (what a
 * refusal says), both safe for scripts to match on.
 */
public enum Gate {
  /** There is a preprod release tag to promote. */
  CANDIDATE("candidate", "no-candidate"),
  /** The stable tag for the candidate's version is not already taken by another commit. */
  STABLE_TAG("stable-tag", "stable-tag-taken"),
  /** The candidate has soaked on preprod for at least the required time. */
  SOAK("soak", "soak-not-over"),
  /** Master can be fast-forwarded to the candidate (master is an ancestor of it). */
  FAST_FORWARD("fast-forward", "not-fast-forward"),
  /** The stable channel is not paused by the rollout policy. */
  STABLE_NOT_PAUSED("stable-not-paused", "stable-paused"),
  /** The rollout policy does not mark the candidate a dead-end; no override lifts this gate. */
  NOT_DEADEND("not-deadend", "deadend"),
  /** The fleet dashboard answered with health numbers for the candidate. */
  HEALTH_REPORT("health-report", "health-unavailable"),
  /** Enough preprod nodes run the candidate healthily. */
  HEALTHY_NODES("healthy-nodes", "too-few-healthy-nodes"),
  /** The failure ratio of preprod nodes on the candidate is within the threshold. */
  FAILURE_RATIO("failure-ratio", "failure-ratio-too-high");

  private final String id;
  private final String failureCode;

  Gate(String id, String failureCode) {
    this.id = id;
    this.failureCode = failureCode;
  }

  @JsonValue
  public String id() {
    return id;
  }

  /** The code a refusal by this gate carries. */
  public String failureCode() {
    return failureCode;
  }

  /** The gate with this id. */
  public static Gate parse(String id) {
    for (Gate gate : values()) {
      if (gate.id.equals(id)) {
        return gate;
      }
    }
    throw new IllegalArgumentException("unknown promotion gate '" + id + "'");
  }

  @Override
  public String toString() {
    return id;
  }
}
