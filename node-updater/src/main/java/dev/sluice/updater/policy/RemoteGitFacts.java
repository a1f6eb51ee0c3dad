package dev.sluice.updater.policy;

import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.git.RemoteRefs;
import dev.sluice.core.history.RepositoryGitFacts;
import dev.sluice.core.rollout.GitFacts;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Git facts for the node's decision: policy refs resolve against what the remote advertises (a tag
 * name, a branch name, a full ref or a commit id), ancestry is walked in the node's repository.
 * Ancestry needs history: the run fetches the target and any barrier with full history when the
 * policy has barriers.
 */
public final class RemoteGitFacts implements GitFacts {

  private final RemoteRefs refs;
  private final Repository repo;

  public RemoteGitFacts(RemoteRefs refs, Repository repo) {
    this.refs = refs;
    this.repo = repo;
  }

  /** The full ref name a policy ref stands for on the remote. */
  public Optional<RemoteRef> remoteRef(String ref) {
    for (String candidate : new String[] {ref, "refs/tags/" + ref, "refs/heads/" + ref}) {
      Optional<RemoteRef> found = refs.ref(candidate);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** A ref the remote advertises at exactly this commit, a release tag first; empty if none. */
  public Optional<RemoteRef> refAt(ObjectId commit) {
    RemoteRef branch = null;
    for (RemoteRef ref : refs.all()) {
      if (!ref.commitId().equals(commit)) {
        continue;
      }
      if (ref.name().startsWith("refs/tags/")) {
        return Optional.of(ref);
      }
      if (branch == null && ref.name().startsWith("refs/heads/")) {
        branch = ref;
      }
    }
    return Optional.ofNullable(branch);
  }

  @Override
  public Optional<ObjectId> resolve(String ref) {
    Optional<RemoteRef> named = remoteRef(ref);
    if (named.isPresent()) {
      return Optional.of(named.get().commitId());
    }
    if (ObjectId.isId(ref)) {
      return Optional.of(ObjectId.fromString(ref));
    }
    return Optional.empty();
  }

  @Override
  public boolean related(ObjectId a, ObjectId b) {
    return RepositoryGitFacts.related(repo, a, b);
  }

  @Override
  public boolean isAncestor(ObjectId ancestor, ObjectId descendant) {
    if (ancestor.equals(descendant)) {
      return true;
    }
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(descendant));
    } catch (IOException e) {
      return false; // not fetched: unknown history is not ancestry
    }
  }
}
