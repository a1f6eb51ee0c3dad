package dev.sluice.updater.run;

import dev.sluice.core.git.RemoteRef;
import dev.sluice.core.policy.Barrier;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.updater.git.Workdir;
import dev.sluice.updater.policy.RemoteGitFacts;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * The node's view of git history for one decision. Policy refs resolve against what the remote
 * advertises; the first ancestry question fetches the channel's target and the policy's barriers
 * with their history, so a node that is not asked anything about history (already at its target,
 * frozen) fetches nothing, and one that moves never fetches its target twice. A shallow node first
 * fetches the target back to the commit it runs ({@link Workdir#fetchDescendant}): when the target
 * descends from it, as on most moves, that answers the question without the whole history.
 */
final class History implements GitFacts {

  private final Workdir workdir;
  private final RemoteGitFacts remote;
  private final ProgressMonitor progress;
  private final String targetRef;
  private final Policy policy;
  private final Map<String, ObjectId> fetched = new HashMap<>();
  private boolean deep;
  private boolean triedDescendant;
  private ObjectId descendantBase;

  History(
      Workdir workdir,
      RemoteGitFacts remote,
      ProgressMonitor progress,
      String targetRef,
      Policy policy) {
    this.workdir = workdir;
    this.remote = remote;
    this.progress = progress;
    this.targetRef = targetRef;
    this.policy = policy;
  }

  @Override
  public Optional<ObjectId> resolve(String ref) {
    return remote.resolve(ref);
  }

  @Override
  public boolean isAncestor(ObjectId ancestor, ObjectId descendant) {
    if (ancestor.equals(descendant)) {
      return true;
    }
    if (!deep && descends(ancestor, descendant)) {
      return true;
    }
    deepen();
    return remote.isAncestor(ancestor, descendant);
  }

  /**
   * Whether the target, fetched back to the commit a shallow node runs, descends from it: the first
   * move after a shallow install, without the target's whole history. Tried once per decision and
   * only without barriers (they need the history anyway); any other answer falls back to the full
   * history.
   */
  private boolean descends(ObjectId ancestor, ObjectId descendant) {
    if (!triedDescendant && policy.barriers().isEmpty()) {
      triedDescendant = true;
      Optional<ObjectId> commit = workdir.fetchDescendant(targetRef, ancestor, progress);
      if (commit.isPresent()) {
        fetched.put(targetRef, commit.get());
        descendantBase = ancestor;
      }
    }
    return ancestor.equals(descendantBase) && descendant.equals(fetched.get(targetRef));
  }

  @Override
  public boolean related(ObjectId a, ObjectId b) {
    deepen();
    lineage(a);
    lineage(b);
    return remote.related(a, b);
  }

  /**
   * A commit the node took shallow has no history to compare: fetch its history through a ref the
   * remote still advertises at it (its release tag, say), so a replaced branch is told from a
   * rewound one. Without such a ref the comparison says "cannot tell", which holds all the same.
   */
  private void lineage(ObjectId commit) {
    try {
      if (!workdir.repository().getObjectDatabase().getShallowCommits().contains(commit)) {
        return;
      }
    } catch (IOException e) {
      return;
    }
    remote
        .refAt(commit)
        .filter(ref -> !fetched.containsKey(ref.name()))
        .ifPresent(ref -> fetched.put(ref.name(), workdir.fetch(ref.name(), progress, true)));
  }

  /** The remote ref a policy ref stands for. */
  Optional<RemoteRef> remoteRef(String ref) {
    return remote.remoteRef(ref);
  }

  /** Fetches the target and every barrier with full history, once. */
  void deepen() {
    if (deep) {
      return;
    }
    fetched.put(targetRef, workdir.fetch(targetRef, progress, true));
    for (Barrier barrier : policy.barriers()) {
      Optional<RemoteRef> ref = remote.remoteRef(barrier.ref());
      if (ref.isPresent() && !fetched.containsKey(ref.get().name())) {
        fetched.put(ref.get().name(), workdir.fetch(ref.get().name(), progress, true));
      }
    }
    deep = true;
  }

  /**
   * The commit {@code ref} names for checking out {@code expected}: what this decision already
   * fetched, the commit itself when the repository has it, else a fresh fetch (shallow unless the
   * policy has barriers, which need history on later runs too).
   */
  ObjectId commitFor(String ref, ObjectId expected) {
    ObjectId known = fetched.get(ref);
    if (known != null) {
      return known;
    }
    try {
      if (deep && workdir.repository().getObjectDatabase().has(expected)) {
        return expected;
      }
    } catch (IOException e) {
      // Fetch it then.
    }
    ObjectId commit = workdir.fetch(ref, progress, !policy.barriers().isEmpty());
    fetched.put(ref, commit);
    return commit;
  }
}
