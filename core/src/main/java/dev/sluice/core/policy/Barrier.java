package dev.sluice.core.policy;

/**
 * A commit every node below it must pass through before it may move to anything newer.
 *
 * @param ref a tag name ({@code v5.0.0}), a full ref or a commit id
 * @param reason why, for people
 */
public record Barrier(String ref, String reason) {
  public Barrier {
    PolicyRefs.require(ref);
    PolicyLimits.requireText(reason, PolicyLimits.MAX_REASON, "reason");
  }
}
