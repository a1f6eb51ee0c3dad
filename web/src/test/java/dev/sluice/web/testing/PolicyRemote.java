package dev.sluice.web.testing;

import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.LotteryPolicy;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.promotion.RollbackRecord;
import dev.sluice.core.testing.TestRemote;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

/** Rollout-policy commits and rollbacks on a test remote, written the way channel-admin does. */
public final class PolicyRemote {

  private PolicyRemote() {}

  /** Commits a policy on {@code rollout-policy} at {@code at}, as one policy edit does. */
  public static ObjectId commit(TestRemote remote, Instant at, String subject, Policy policy) {
    remote.at(at);
    return remote.commit(Policy.BRANCH, subject, Map.of(Policy.FILE, PolicyWriter.write(policy)));
  }

  /** The policy with these frozen names and group weights. */
  public static Policy withFrozenAndWeights(
      Policy policy, List<String> frozen, Map<String, Double> weights) {
    return new Policy(
        policy.schema(),
        policy.channels(),
        new LotteryPolicy(policy.lottery().probability(), policy.lottery().period(), weights),
        policy.promotion(),
        frozen,
        policy.deadends(),
        policy.barriers(),
        policy.rollouts(),
        policy.maintenanceWindows(),
        policy.maxAttempts());
  }

  /**
   * Rolls a channel back as {@code channel-admin rollback} does, with core's record: the release
   * left becomes a dead-end in {@code policy} (one policy commit), the branch moves back to {@code
   * to}, and an annotated {@code rollback/<channel>/<time>} tag on the commit left records the
   * event. Returns the tag's name.
   */
  public static String rollBack(
      TestRemote remote,
      Policy policy,
      Instant at,
      String channel,
      String branch,
      String from,
      String to,
      String reason) {
    ObjectId fromCommit = remote.tagCommit(from);
    ObjectId toCommit = remote.tagCommit(to);
    commit(
        remote,
        at,
        "dead-end " + from + ": " + reason,
        policy.withDeadend(new Deadend(from, reason)));
    remote.at(at);
    remote.setBranch(branch, toCommit);
    RollbackRecord record =
        new RollbackRecord(
            channel, branch, from, fromCommit.name(), to, toCommit.name(), from, reason);
    String tag = RollbackRecord.tagName(channel, at);
    remote.tag(tag, fromCommit, record.tagMessage().stripTrailing());
    return tag;
  }
}
