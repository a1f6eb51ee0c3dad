package dev.sluice.core.rollout;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.lottery.LotteryRules;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What a node knows about itself when it decides where to go.
 *
 * @param nodeId the node's stable id
 * @param groups the node's groups ({@code --group})
 * @param ticket the node's lottery ticket in [0,1), also its place in phased rollouts
 * @param currentCommit the commit checked out now, or null when nothing is installed yet
 * @param failedAttempts how often each commit has failed to install on this node
 * @param lastChannel the channel the node rode on its previous run, or null when unknown
 */
public record NodeFacts(
    String nodeId,
    Set<String> groups,
    double ticket,
    ObjectId currentCommit,
    Map<ObjectId, Integer> failedAttempts,
    Channel lastChannel) {

  /** Facts without the previous run's channel ({@code explain}, tests). */
  public NodeFacts(
      String nodeId,
      Set<String> groups,
      double ticket,
      ObjectId currentCommit,
      Map<ObjectId, Integer> failedAttempts) {
    this(nodeId, groups, ticket, currentCommit, failedAttempts, null);
  }

  public NodeFacts {
    Objects.requireNonNull(nodeId, "nodeId");
    groups = Set.copyOf(groups);
    LotteryRules.requireTicket(ticket);
    currentCommit = currentCommit == null ? null : currentCommit.copy();
    Map<ObjectId, Integer> attempts = new HashMap<>();
    failedAttempts.forEach((commit, count) -> attempts.put(commit.copy(), count));
    failedAttempts = Map.copyOf(attempts);
  }

  /** How often {@code commit} has failed on this node. */
  public int failuresOf(ObjectId commit) {
    return failedAttempts.getOrDefault(commit.copy(), 0);
  }

  /** True when nothing is installed yet. */
  public boolean firstInstall() {
    return currentCommit == null;
  }
}
