package dev.sluice.admin.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * What a policy edit did, as printed (and with {@code --json}, serialised).
 *
 * @param remote the remote URL
 * @param outcome {@code committed}, or {@code unchanged} when the policy already said so
 * @param previousCommit the policy branch tip before (null: the branch did not exist)
 * @param commit the new tip (null when unchanged)
 * @param subject the commit subject
 * @param details the commit body lines
 * @param message one line for people
 * @param policy the policy now in force, as written to {@code channels.json}
 */
public record PolicyEditResult(
    String remote,
    String outcome,
    String previousCommit,
    String commit,
    String subject,
    List<String> details,
    String message,
    JsonNode policy) {

  public static final String COMMITTED = "committed";
  public static final String UNCHANGED = "unchanged";

  public PolicyEditResult {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(outcome, "outcome");
    details = List.copyOf(details);
  }
}
