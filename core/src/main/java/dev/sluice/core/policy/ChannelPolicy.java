package dev.sluice.core.policy;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.channel.Track;
import dev.sluice.core.version.TagPattern;
import java.time.Instant;
import java.util.Objects;

/**
 * One channel's entry in the policy: where it lives in git, what it tracks, and whether it is
 * paused.
 *
 * @param branch the channel's branch, e.g. {@code master}
 * @param tagPattern the pattern of its release tags, e.g. {@code v*}
 * @param track whether nodes follow the branch tip or the newest release tag
 * @param paused whether the channel holds its nodes where they are
 * @param pauseReason why it was paused (null when none was given)
 * @param allowDowngrade whether its nodes follow a target that does not contain the commit they run
 *     (a force-pushed branch); off by default: such a target is held
 * @param guard when fleet-web halts the channel by itself ({@link Guard#defaults()} when not set)
 * @param halt the guard's last trip, until {@code channel-admin resume} clears it; null when none
 */
public record ChannelPolicy(
    String branch,
    TagPattern tagPattern,
    Track track,
    boolean paused,
    String pauseReason,
    boolean allowDowngrade,
    Guard guard,
    Halt halt) {

  /** An entry with the default guard and no halt. */
  public ChannelPolicy(
      String branch,
      TagPattern tagPattern,
      Track track,
      boolean paused,
      String pauseReason,
      boolean allowDowngrade) {
    this(branch, tagPattern, track, paused, pauseReason, allowDowngrade, Guard.defaults(), null);
  }

  /** An entry that keeps the no-downgrade rule. */
  public ChannelPolicy(
      String branch, TagPattern tagPattern, Track track, boolean paused, String pauseReason) {
    this(branch, tagPattern, track, paused, pauseReason, false);
  }

  public ChannelPolicy {
    Objects.requireNonNull(tagPattern, "tagPattern");
    Objects.requireNonNull(track, "track");
    guard = guard == null ? Guard.defaults() : guard;
    // Validates the branch name the same way ChannelSpec does.
    new ChannelSpec(branch, tagPattern, track);
    if (pauseReason != null && pauseReason.isBlank()) {
      pauseReason = null;
    }
    if (pauseReason != null) {
      PolicyLimits.requireText(pauseReason, PolicyLimits.MAX_REASON, "pauseReason");
    }
    PolicyLimits.require(
        tagPattern.toString().length() <= PolicyLimits.MAX_TAG_PATTERN,
        "tagPattern is longer than " + PolicyLimits.MAX_TAG_PATTERN + " characters");
    PolicyLimits.require(
        branch != null && branch.length() <= PolicyLimits.MAX_REF,
        "branch is longer than " + PolicyLimits.MAX_REF + " characters");
  }

  /** The built-in entry: the default layout, not paused. */
  public static ChannelPolicy defaultFor(Channel channel) {
    ChannelSpec spec = ChannelSpec.defaultFor(channel);
    return new ChannelPolicy(spec.branch(), spec.tagPattern(), spec.track(), false, null);
  }

  /** Where this channel lives in git, for ref resolution. */
  public ChannelSpec spec() {
    return new ChannelSpec(branch, tagPattern, track);
  }

  /** This entry paused with a reason. */
  public ChannelPolicy pause(String reason) {
    return new ChannelPolicy(branch, tagPattern, track, true, reason, allowDowngrade, guard, halt);
  }

  /** This entry no longer paused (the reason is dropped); a guard's halt stays. */
  public ChannelPolicy resume() {
    return new ChannelPolicy(branch, tagPattern, track, false, null, allowDowngrade, guard, halt);
  }

  /**
   * This entry resumed at {@code now}: not paused, the guard's halt cleared, and the guard counting
   * only reports from {@code now} on, so the evidence that tripped it cannot trip it again.
   */
  public ChannelPolicy resumeAt(Instant now) {
    return new ChannelPolicy(
        branch, tagPattern, track, false, null, allowDowngrade, guard.countingFrom(now), null);
  }

  /** This entry halted by its guard, paused with the halt's reason when the action is a pause. */
  public ChannelPolicy halted(Halt trip) {
    boolean pause = trip.action() == GuardAction.PAUSE;
    return new ChannelPolicy(
        branch,
        tagPattern,
        track,
        pause || paused,
        pause ? trip.reason() : pauseReason,
        allowDowngrade,
        guard,
        trip);
  }
}
