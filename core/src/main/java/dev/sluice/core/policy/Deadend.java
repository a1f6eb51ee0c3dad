package dev.sluice.core.policy;

/**
 * A commit no node may ever move onto; a node sitting on it moves to its channel's target.
 *
 * @param ref a tag name ({@code v5.1.0}), a full ref ({@code refs/tags/v5.1.0}) or a commit id
 * @param reason why, for people
 */
public record Deadend(String ref, String reason) {
  public Deadend {
    PolicyRefs.require(ref);
    PolicyLimits.requireText(reason, PolicyLimits.MAX_REASON, "reason");
  }
}
