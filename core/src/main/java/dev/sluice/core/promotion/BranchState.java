package dev.sluice.core.promotion;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One channel's branch as read from git.
 *
 * @param channel {@code stable} or {@code preprod}
 * @param branch the short branch name, e.g. {@code master}
 * @param tip the full id of the branch's tip commit, null when the remote has no such branch
 * @param newestRelease the channel's newest release tag by version, null when there is none
 */
@JsonPropertyOrder({"channel", "branch", "tip", "newestRelease"})
public record BranchState(String channel, String branch, String tip, Release newestRelease) {

  public BranchState {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(branch, "branch");
  }

  public boolean exists() {
    return tip != null;
  }
}
