package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One channel's branch as read from git.
 *
 * @param channel {@code stable} or {@code preprod}
 * @param branch the short branch name, e.g. {@code master}
 * @param tip the full id of the branch's tip commit, null when the remote has no such branch
 * @param newestRelease the channel's newest release tag by version among the tags reachable from
 *     the tip (a tag on another branch, or left behind by a rollback, is not the channel's
 *     release), null when there is none
 * @param commitsSinceRelease commits on the branch after {@code newestRelease} (0: the release is
 *     at the tip, or there is no release)
 */
@JsonPropertyOrder({"channel", "branch", "tip", "newestRelease", "commitsSinceRelease"})
public record BranchState(
    String channel, String branch, String tip, Release newestRelease, int commitsSinceRelease) {

  public BranchState {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(branch, "branch");
    if (commitsSinceRelease < 0) {
      throw new IllegalArgumentException("commitsSinceRelease must not be negative");
    }
  }

  /** A branch whose newest release (if any) is at its tip. */
  public BranchState(String channel, String branch, String tip, Release newestRelease) {
    this(channel, branch, tip, newestRelease, 0);
  }

  public boolean exists() {
    return tip != null;
  }

  /** Whether the branch tip carries its newest release tag. */
  public boolean releaseAtTip() {
    return newestRelease != null && newestRelease.commit().equals(tip);
  }
}
