package dev.sluice.admin.policy;

import dev.sluice.core.policy.Policy;
import dev.sluice.core.rollout.GitFacts;
import java.util.List;
import java.util.Objects;

/** One edit of the rollout policy: what it does to the policy in force, and how to say so. */
@FunctionalInterface
public interface PolicyChange {

  /**
   * Applies the edit.
   *
   * @param current the valid policy in force on the remote
   * @param git the remote's history (fetched), to check that refs exist
   * @throws dev.sluice.admin.AdminException.Usage when the request cannot apply (unknown ref)
   * @throws dev.sluice.core.policy.PolicyValidationException when the result would be invalid
   */
  Edit apply(Policy current, GitFacts git);

  /**
   * The edited policy and its description.
   *
   * @param policy the policy after the edit
   * @param subject the commit subject: what changed and why, one line
   * @param details further lines for the commit body (e.g. each field set), may be empty
   * @param unchanged what to tell the operator when the policy is already like this
   */
  record Edit(Policy policy, String subject, List<String> details, String unchanged) {
    public Edit {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(subject, "subject");
      details = List.copyOf(details);
      Objects.requireNonNull(unchanged, "unchanged");
    }
  }
}
