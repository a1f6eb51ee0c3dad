package dev.sluice.web.guard;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.policy.Policy;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the remote looked like at one check: the policy in force, where each channel points, and the
 * rollback tags ({@code rollback/<channel>/<time>}) it holds.
 *
 * @param targets each channel's target; a channel whose branch or tag is missing is left out
 */
public record RemoteState(
    Instant readAt, Policy policy, Map<Channel, ChannelTarget> targets, Set<String> rollbackTags) {
  public RemoteState {
    Objects.requireNonNull(readAt, "readAt");
    Objects.requireNonNull(policy, "policy");
    EnumMap<Channel, ChannelTarget> copy = new EnumMap<>(Channel.class);
    copy.putAll(targets);
    targets = Collections.unmodifiableMap(copy);
    rollbackTags = Set.copyOf(rollbackTags);
  }

  /** How people name a channel's target: {@code v5.2.0_pre (9f8e7d6c)} or the short commit. */
  public static String label(ChannelTarget target) {
    String commit = target.commit().abbreviate(8).name();
    return target.releaseTag().map(tag -> tag.name() + " (" + commit + ")").orElse(commit);
  }
}
