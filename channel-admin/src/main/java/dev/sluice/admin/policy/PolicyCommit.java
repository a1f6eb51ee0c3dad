package dev.sluice.admin.policy;

import dev.sluice.admin.git.Signing;
import dev.sluice.core.policy.PolicyCommits;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;

/** Writes a commit on {@code rollout-policy} into the cache, ready to push; no ref is changed. */
public final class PolicyCommit {

  private PolicyCommit() {}

  /**
   * An unsigned commit on top of {@code parent} (none: a root commit) with channels.json replaced.
   */
  public static ObjectId write(
      Repository repo, ObjectId parent, String text, PersonIdent who, String message) {
    return write(repo, parent, text, who, Signing.NONE, message);
  }

  /**
   * A commit on top of {@code parent} (none: a root commit) with channels.json replaced, signed as
   * the operator signs (a {@code gpgsig} header, as {@code git commit -S} writes).
   */
  public static ObjectId write(
      Repository repo,
      ObjectId parent,
      String text,
      PersonIdent who,
      Signing signing,
      String message) {
    return PolicyCommits.write(
        repo,
        parent,
        text,
        who,
        message,
        signing.enabled() ? data -> signing.sign(repo, data, who, "the policy commit") : null);
  }
}
