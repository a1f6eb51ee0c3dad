package dev.sluice.admin.policy;

import dev.sluice.core.git.GitException;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyValidationException;
import java.io.IOException;
import java.util.Objects;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * The rollout policy as the remote has it right now.
 *
 * @param remote the remote URL
 * @param commit the tip of {@code rollout-policy}, or null when the branch does not exist
 * @param text the raw {@code channels.json} at that commit, or null (no branch, or no file)
 * @param policy the policy in force: parsed from the file, the built-in defaults when there is no
 *     branch, or null when the file is invalid
 * @param invalid why the file cannot be used, or null when it is valid
 */
public record PolicySnapshot(
    String remote, ObjectId commit, String text, Policy policy, PolicyValidationException invalid) {

  public PolicySnapshot {
    Objects.requireNonNull(remote, "remote");
    if ((policy == null) == (invalid == null)) {
      throw new IllegalArgumentException("a snapshot has either a policy or a validation error");
    }
  }

  /**
   * Reads the policy from a fetched cache (or any repository holding the remote's branches under
   * {@code refs/heads/}).
   */
  public static PolicySnapshot read(Repository repository, String remote) {
    ObjectId tip;
    try {
      Ref ref = repository.exactRef(Constants.R_HEADS + Policy.BRANCH);
      tip = ref == null ? null : ref.getObjectId();
    } catch (IOException e) {
      throw new GitException(
          GitException.Kind.CORRUPT, "cannot read " + Policy.BRANCH + " of " + remote, e);
    }
    if (tip == null) {
      return new PolicySnapshot(remote, null, null, Policy.defaults(), null);
    }
    String text = PolicyReader.text(repository, tip).orElse(null);
    try {
      return new PolicySnapshot(remote, tip, text, PolicyReader.read(repository, tip), null);
    } catch (PolicyValidationException e) {
      return new PolicySnapshot(remote, tip, text, null, e);
    }
  }

  /** True when the remote has no policy branch and the built-in defaults apply. */
  public boolean defaults() {
    return commit == null;
  }

  public boolean valid() {
    return invalid == null;
  }

  /**
   * The policy in force.
   *
   * @throws PolicyValidationException when the remote's file is invalid
   */
  public Policy require() {
    if (invalid != null) {
      throw invalid;
    }
    return policy;
  }

  /**
   * Where the policy comes from, for people: {@code rollout-policy at 1a2b3c4d} or the defaults.
   */
  public String source() {
    return commit == null
        ? "built-in defaults (no " + Policy.BRANCH + " branch on " + remote + ")"
        : Policy.BRANCH + " at " + commit.abbreviate(8).name();
  }
}
