package dev.sluice.core.git;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.channel.Track;
import dev.sluice.core.version.ReleaseTag;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What a channel points at on the remote right now: the ref a node should fetch, the commit it
 * names, and the release tag on that commit if there is one.
 */
public record ChannelTarget(Channel channel, String ref, ObjectId commit, ReleaseTag release) {

  public ChannelTarget {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(commit, "commit");
  }

  public Optional<ReleaseTag> releaseTag() {
    return Optional.ofNullable(release);
  }

  /**
   * Resolves a channel against a remote's refs: the branch tip, or the newest release tag when the
   * channel tracks tags.
   *
   * @throws GitException {@code MISSING_REF} naming the branch or tag pattern and the remote
   */
  public static ChannelTarget resolve(Channel channel, ChannelSpec spec, RemoteRefs refs) {
    if (spec.track() == Track.TAG) {
      ReleaseTag newest =
          refs.newestRelease(spec.tagPattern())
              .orElseThrow(
                  () ->
                      new GitException(
                          GitException.Kind.MISSING_REF,
                          "remote "
                              + refs.remote()
                              + " has no release tag matching '"
                              + spec.tagPattern()
                              + "' for channel "
                              + channel));
      return new ChannelTarget(channel, newest.refName(), newest.commit(), newest);
    }
    RemoteRef branch =
        refs.branch(spec.branch())
            .orElseThrow(
                () ->
                    new GitException(
                        GitException.Kind.MISSING_REF,
                        "remote "
                            + refs.remote()
                            + " has no branch '"
                            + spec.branch()
                            + "' for channel "
                            + channel));
    if (branch.peeledId() != null && !branch.peeledId().equals(branch.objectId())) {
      // A branch names a commit; one that names a tag object (of a tree, say) is set up wrong.
      throw new GitException(
          GitException.Kind.CONFIG,
          "branch '"
              + spec.branch()
              + "' on "
              + refs.remote()
              + " names a tag object, not a commit: nothing to run for channel "
              + channel
              + " (point the branch at a commit)");
    }
    ObjectId commit = branch.commitId();
    ReleaseTag tag = refs.releaseAt(spec.tagPattern(), commit).orElse(null);
    return new ChannelTarget(channel, branch.name(), commit, tag);
  }
}
