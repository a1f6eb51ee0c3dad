package dev.sluice.core.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A channel halted by its guard: written by fleet-web when the guard trips, cleared by {@code
 * channel-admin resume}.
 *
 * @param at when the guard tripped
 * @param action what it did: {@link GuardAction#PAUSE} or {@link GuardAction#DEAD_END}
 * @param commit the channel's target that failed (a full commit id)
 * @param reason the evidence in one line: counts, ratio, window
 */
public record Halt(Instant at, GuardAction action, String commit, String reason) {
  public Halt {
    Objects.requireNonNull(at, "at");
    PolicyLimits.require(PolicyLimits.inRange(at), "halt.at " + at + " is out of range");
    Objects.requireNonNull(action, "action");
    PolicyLimits.require(action != GuardAction.OFF, "halt.action must be pause or dead-end");
    PolicyLimits.require(
        commit != null && PolicyRefs.isValid(commit) && commit.length() <= PolicyLimits.MAX_REF,
        "halt.commit is not a commit id");
    PolicyLimits.requireText(reason, PolicyLimits.MAX_REASON, "halt.reason");
  }
}
