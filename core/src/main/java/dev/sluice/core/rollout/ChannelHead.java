package dev.sluice.core.rollout;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.ChannelTarget;
import java.util.Objects;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What a channel points at now.
 *
 * @param channel the channel
 * @param ref the ref it resolves through, e.g. {@code refs/heads/master} or {@code
 *     refs/tags/v5.2.0}
 * @param commit the commit that ref names
 * @param version the release tag on that commit (e.g. {@code v5.2.0}), or null
 */
public record ChannelHead(Channel channel, String ref, ObjectId commit, String version) {

  public ChannelHead {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(ref, "ref");
    commit = Objects.requireNonNull(commit, "commit").copy();
  }

  /** The head of a resolved channel target. */
  public static ChannelHead of(ChannelTarget target) {
    return new ChannelHead(
        target.channel(),
        target.ref(),
        target.commit(),
        target.releaseTag().map(tag -> tag.name()).orElse(null));
  }

  /** How people name it: the release tag if there is one, else the short ref. */
  public String label() {
    return RolloutDecision.label(version != null ? version : ref, commit);
  }
}
