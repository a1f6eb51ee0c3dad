package dev.sluice.core.guard;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node's latest report says about the channel's target: it runs it, or it failed it.
 *
 * @param node the node id
 * @param outcome whether the node runs the target or failed it
 * @param reason why it failed (the report's reason code and text), null when it did not
 * @param at when the report counts from (when it arrived, or when the run finished for a
 *     simulation)
 */
public record Observation(String node, Outcome outcome, String reason, Instant at) {

  /** A node's standing on the target. */
  public enum Outcome {
    /** Runs the target (updated, unchanged or held on it). */
    RUNS,
    /** Tried the target and failed (failed, rolled back, or held because it failed too often). */
    FAILED
  }

  public Observation {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
  }

  /**
   * How a report counts for the guard of a channel whose target is {@code target}: failed when the
   * run failed or rolled back with the target as its target, or was held {@code max-attempts} on
   * it; runs when the node's current commit is the target after a run that did not fail; otherwise
   * it says nothing about the target.
   *
   * @param action the report's action ({@code updated}, {@code failed}, ...)
   * @param reasonCode the report's reason code, or null
   * @param currentCommit the commit the node runs, or null
   * @param targetCommit the commit the node was told to run, or null
   */
  public static Optional<Outcome> classify(
      String action, String reasonCode, String currentCommit, String targetCommit, String target) {
    boolean aimedAtTarget = target.equals(targetCommit);
    switch (action) {
      case "failed", "rolled-back" -> {
        return aimedAtTarget ? Optional.of(Outcome.FAILED) : Optional.empty();
      }
      case "held" -> {
        if (aimedAtTarget && "max-attempts".equals(reasonCode)) {
          return Optional.of(Outcome.FAILED);
        }
        return target.equals(currentCommit) ? Optional.of(Outcome.RUNS) : Optional.empty();
      }
      case "updated", "unchanged" -> {
        return target.equals(currentCommit) ? Optional.of(Outcome.RUNS) : Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }
}
