package dev.sluice.core.policy;

import dev.sluice.core.channel.Channel;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The update-rate limits of the fleet ({@code updateLimits} in the policy): nodes take a slot from
 * fleet-web before they move and give it back once healthy; a slot not given back expires.
 *
 * <p>Slots are counted per <em>lock group</em>, the FleetLock {@code group}: a node's lock group is
 * the first of its groups that has a limit here, else its channel's name. A lock group's limit is
 * the group's entry, else the channel's entry of that name; a lock group with neither has no limit,
 * and a node whose lock group has no limit does not ask for a slot at all.
 *
 * @param channels limits per channel
 * @param groups limits per group of nodes (or FleetLock group), sorted by name
 * @param slotExpiry how long a slot not given back stays taken (a node that died mid-update)
 * @param onLockUnavailable what a node does when fleet-web cannot be reached
 */
public record UpdateLimits(
    Map<Channel, UpdateLimit> channels,
    Map<String, UpdateLimit> groups,
    Duration slotExpiry,
    OnLockUnavailable onLockUnavailable) {

  /** How long a slot that is not given back stays taken, when nothing else is configured. */
  public static final Duration DEFAULT_SLOT_EXPIRY = Duration.ofHours(1);

  /** What a node does when it needs a slot and fleet-web cannot be reached. */
  public enum OnLockUnavailable {
    /** Hold where it is (reason {@code no-slot}) and try again on the next run. */
    WAIT,
    /** Move without a slot. */
    PROCEED;

    /** The name in the policy file. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code wait} or {@code proceed}. */
    public static OnLockUnavailable parse(String text) {
      for (OnLockUnavailable value : values()) {
        if (value.id().equals(text)) {
          return value;
        }
      }
      throw new IllegalArgumentException(
          "onLockUnavailable '" + text + "' is not \"wait\" or \"proceed\"");
    }
  }

  public UpdateLimits {
    EnumMap<Channel, UpdateLimit> byChannel = new EnumMap<>(Channel.class);
    channels.forEach(
        (channel, limit) ->
            byChannel.put(Objects.requireNonNull(channel), Objects.requireNonNull(limit)));
    channels = Collections.unmodifiableMap(byChannel);
    PolicyLimits.requireSize(groups.size(), PolicyLimits.MAX_LIMITED_GROUPS, "updateLimits.groups");
    Map<String, UpdateLimit> sorted = new TreeMap<>();
    for (Map.Entry<String, UpdateLimit> entry : groups.entrySet()) {
      PolicyLimits.requireText(entry.getKey(), PolicyLimits.MAX_NAME, "a group name");
      sorted.put(entry.getKey(), Objects.requireNonNull(entry.getValue()));
    }
    groups = Collections.unmodifiableMap(sorted);
    Objects.requireNonNull(slotExpiry, "slotExpiry");
    PolicyLimits.require(
        PolicyLimits.inRange(
            slotExpiry, PolicyLimits.MIN_SLOT_EXPIRY, PolicyLimits.MAX_SLOT_EXPIRY),
        "updateLimits.slotExpiry "
            + slotExpiry
            + " is not between "
            + PolicyLimits.MIN_SLOT_EXPIRY
            + " and "
            + PolicyLimits.MAX_SLOT_EXPIRY);
    Objects.requireNonNull(onLockUnavailable, "onLockUnavailable");
  }

  /** No limits: every node moves when the rest of the policy lets it. */
  public static UpdateLimits none() {
    return new UpdateLimits(Map.of(), Map.of(), DEFAULT_SLOT_EXPIRY, OnLockUnavailable.WAIT);
  }

  /** True when no channel and no group is limited. */
  public boolean isEmpty() {
    return channels.isEmpty() && groups.isEmpty();
  }

  /**
   * The lock group of a node on {@code channel} in {@code nodeGroups}: the first of its groups that
   * has a limit, else the channel's name.
   */
  public String lockGroupFor(Channel channel, Collection<String> nodeGroups) {
    for (String group : nodeGroups) {
      if (groups.containsKey(group)) {
        return group;
      }
    }
    return channel.id();
  }

  /** The limit of a lock group: the group's entry, else the channel's of that name, else none. */
  public Optional<UpdateLimit> limitFor(String lockGroup) {
    UpdateLimit limit = groups.get(lockGroup);
    if (limit != null) {
      return Optional.of(limit);
    }
    return Channel.find(lockGroup).map(channels::get);
  }
}
