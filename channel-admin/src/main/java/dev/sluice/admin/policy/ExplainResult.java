package dev.sluice.admin.policy;

import java.time.Instant;
import java.util.List;

/**
 * What a node with the given facts would do now, and why: the output of {@code explain}.
 *
 * @param remote the remote URL
 * @param policy where the policy comes from ({@code rollout-policy at ...} or the defaults)
 * @param now the decision time
 * @param node the node's facts as given
 * @param lottery how the channel was chosen
 * @param channel {@code stable} or {@code preprod}
 * @param target what the channel points at
 * @param decision the decision (with a trust file: a move to an untrusted target is a hold, reason
 *     {@code untrusted}, as a node with that trust file would do)
 * @param trust what the trust file said about the target and the policy, or null without one
 */
public record ExplainResult(
    String remote,
    String policy,
    Instant now,
    Node node,
    Lottery lottery,
    String channel,
    Target target,
    Decision decision,
    String trust) {

  /** The node's facts. */
  public record Node(String id, double ticket, List<String> groups, String currentCommit) {}

  /**
   * How the channel was chosen.
   *
   * @param weight the weight that applies to the node's groups
   * @param source where the weight comes from ({@code group farm-1}, {@code default probability})
   * @param preprod whether the ticket wins a preprod place at that weight
   * @param pinned whether the channel was given rather than drawn
   */
  public record Lottery(double weight, String source, boolean preprod, boolean pinned) {}

  /** What the channel points at. */
  public record Target(String ref, String commit, String version) {}

  /**
   * The decision: {@code move}, {@code stay} or {@code hold}, where to, and why.
   *
   * @param verdict {@code move}, {@code stay} or {@code hold}
   * @param ref where the node goes (or would go)
   * @param commit that commit
   * @param reason the hold reason or move note, or null
   * @param message one line for people
   */
  public record Decision(
      String verdict, String ref, String commit, Reason reason, String message) {}

  /** A stable code, a text, and when a hold lifts by itself (null: it waits). */
  public record Reason(String code, String text, Instant retryAt) {}
}
