package dev.sluice.admin.rollback;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code rollback} did (or, with {@code --dry-run}, would do).
 *
 * @param remote the remote URL
 * @param outcome {@code rolled-back} or {@code would-roll-back}
 * @param channel {@code stable} or {@code preprod}
 * @param branch the channel's branch
 * @param from the release the branch left: its tag, or its commit id when the tip had no tag
 * @param fromCommit the commit the branch left, now a dead-end
 * @param to the release tag the branch went back to
 * @param toCommit its commit, the branch's new tip
 * @param deadend the dead-end entry's ref in the rollout policy
 * @param deadendAdded false when the policy already marked {@code from} a dead-end (kept as it was)
 * @param reason the operator's reason
 * @param tag the annotated rollback tag (on {@code fromCommit})
 * @param previousPolicyCommit the rollout-policy tip before (null: no policy branch yet)
 * @param policyCommit the new rollout-policy commit (null when the dead-end was already there or on
 *     a dry run)
 * @param by who did it (null on a dry run)
 * @param message one line for people
 */
@JsonPropertyOrder({
  "remote",
  "outcome",
  "channel",
  "branch",
  "from",
  "fromCommit",
  "to",
  "toCommit",
  "deadend",
  "deadendAdded",
  "reason",
  "tag",
  "previousPolicyCommit",
  "policyCommit",
  "by",
  "message"
})
public record RollbackResult(
    String remote,
    Outcome outcome,
    String channel,
    String branch,
    String from,
    String fromCommit,
    String to,
    String toCommit,
    String deadend,
    boolean deadendAdded,
    String reason,
    String tag,
    String previousPolicyCommit,
    String policyCommit,
    String by,
    String message) {

  /** What happened. */
  public enum Outcome {
    ROLLED_BACK,
    WOULD_ROLL_BACK;

    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public RollbackResult {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
  }
}
