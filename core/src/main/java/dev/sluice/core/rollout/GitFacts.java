package dev.sluice.core.rollout;

import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What the rollout decision needs to know about git history. Callers implement it over a JGit
 * repository ({@link dev.sluice.core.history.RepositoryGitFacts}) or, in tests, over a map.
 */
public interface GitFacts {

  /**
   * The commit a policy ref names: a tag name such as {@code v5.1.0}, a full ref such as {@code
   * refs/tags/v5.1.0}, or a (possibly abbreviated) commit id. Tags are peeled to their commit.
   * Empty when the ref is unknown.
   */
  Optional<ObjectId> resolve(String ref);

  /**
   * True when {@code ancestor} is reachable from {@code descendant} by following parents, or is the
   * same commit. False when either commit is unknown.
   */
  boolean isAncestor(ObjectId ancestor, ObjectId descendant);

  /**
   * True when the two commits share history as far as it is known. False only when both histories
   * are known to their roots and have no commit in common; a caller that cannot tell answers true.
   */
  default boolean related(ObjectId a, ObjectId b) {
    return true;
  }
}
