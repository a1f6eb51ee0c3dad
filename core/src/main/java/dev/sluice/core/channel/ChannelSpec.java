package dev.sluice.core.channel;

import dev.sluice.core.version.TagPattern;
import java.util.Objects;

/**
 * Where a channel lives in git: its branch, the pattern its release tags follow, and whether nodes
 * track the branch tip or the newest release tag.
 */
public record ChannelSpec(String branch, TagPattern tagPattern, Track track) {

  public ChannelSpec {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(tagPattern, "tagPattern");
    Objects.requireNonNull(track, "track");
    if (branch.isBlank() || branch.startsWith("refs/") || branch.contains("..")) {
      throw new IllegalArgumentException(
          "branch '" + branch + "' is not a short branch name such as 'master'");
    }
  }

  /** The built-in layout: {@code master} with {@code v*}, {@code preprod} with {@code v*_pre}. */
  public static ChannelSpec defaultFor(Channel channel) {
    return switch (channel) {
      case STABLE -> new ChannelSpec("master", TagPattern.parse("v*"), Track.BRANCH);
      case PREPROD -> new ChannelSpec("preprod", TagPattern.parse("v*_pre"), Track.BRANCH);
    };
  }

  public ChannelSpec withTrack(Track newTrack) {
    return new ChannelSpec(branch, tagPattern, newTrack);
  }

  /** The full ref name of the branch, e.g. {@code refs/heads/master}. */
  public String branchRef() {
    return "refs/heads/" + branch;
  }
}
