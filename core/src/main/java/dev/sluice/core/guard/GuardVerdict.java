package dev.sluice.core.guard;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a channel's guard concludes about the channel's target now.
 *
 * @param state the conclusion
 * @param target the commit judged
 * @param attempts nodes that tried the target since {@code from}
 * @param failed of those, the nodes that failed it
 * @param from the earliest report time that counted
 * @param firstFailures the earliest failures, at most {@link GuardEvaluator#EVIDENCE_NODES}
 * @param summary one line for people: what the guard saw and why it acts or not
 */
public record GuardVerdict(
    State state,
    String target,
    int attempts,
    int failed,
    Instant from,
    List<Observation> firstFailures,
    String summary) {

  /** The guard's conclusions. */
  public enum State {
    /** The guard's action is {@code off}. */
    OFF,
    /** The guard already halted this target; nothing more to do until resume. */
    HALTED,
    /** The action has nothing to do: the channel is paused, or the target already a dead-end. */
    ALREADY_HELD,
    /** Fewer nodes than {@code minSample} tried the target. */
    TOO_FEW,
    /** Enough nodes tried it and the failure ratio is within bounds. */
    HEALTHY,
    /** Enough nodes tried it and too many failed: take the action. */
    TRIPPED
  }

  public GuardVerdict {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(target, "target");
    firstFailures = List.copyOf(firstFailures);
    Objects.requireNonNull(summary, "summary");
  }

  /** Whether the guard must act now. */
  public boolean tripped() {
    return state == State.TRIPPED;
  }

  /** The failed share of the attempts, 0 when there were none. */
  public double ratio() {
    return attempts == 0 ? 0.0 : (double) failed / attempts;
  }
}
