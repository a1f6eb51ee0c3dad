package dev.sluice.updater.run;

import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.git.RemoteRefs;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What a run has learnt so far, for its report: each phase returns a new value, only {@link Run}
 * keeps it.
 *
 * @param previous the commit the node ran when the run started (after recovery: what it ran then)
 * @param current the commit the working tree is at now
 * @param refs the remote's refs, once listed (to name the release at {@code current})
 * @param spec the channel's layout, once the policy is known
 * @param target where the channel points, once resolved
 * @param saved the ref holding local changes this run (or the one it recovered) saved
 */
record Facts(
    Optional<ObjectId> previous,
    Optional<ObjectId> current,
    RemoteRefs refs,
    ChannelSpec spec,
    ChannelTarget target,
    String saved) {

  static final Facts NOTHING =
      new Facts(Optional.empty(), Optional.empty(), null, null, null, null);

  static Facts at(Optional<ObjectId> head) {
    return new Facts(head, head, null, null, null, null);
  }

  Facts movedTo(Optional<ObjectId> commit) {
    return new Facts(previous, commit, refs, spec, target, saved);
  }

  Facts startingFrom(Optional<ObjectId> commit) {
    return new Facts(commit, commit, refs, spec, target, saved);
  }

  Facts withRemote(RemoteRefs newRefs) {
    return new Facts(previous, current, newRefs, spec, target, saved);
  }

  Facts withTarget(ChannelSpec newSpec, ChannelTarget newTarget) {
    return new Facts(previous, current, refs, newSpec, newTarget, saved);
  }

  Facts withSaved(String ref) {
    return ref == null ? this : new Facts(previous, current, refs, spec, target, ref);
  }

  /** The release tag at the current commit, when the remote's refs are known. */
  Optional<String> version() {
    if (refs == null || spec == null || current.isEmpty()) {
      return Optional.empty();
    }
    return refs.releaseAt(spec.tagPattern(), current.get()).map(tag -> tag.name());
  }
}
