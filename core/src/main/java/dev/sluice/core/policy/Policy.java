package dev.sluice.core.policy;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rollout policy, schema version 1: the content of {@code channels.json} on the {@code
 * rollout-policy} branch.
 *
 * <p>Read it with {@link PolicyParser} (strict, every error named) and write it with {@link
 * PolicyWriter} (stable, pretty JSON); the compact constructor re-checks the invariants so that no
 * invalid policy can exist in memory.
 *
 * @param schema the document's schema version, always {@value #SCHEMA}
 * @param channels every channel's entry (both channels are always present)
 * @param lottery the preprod lottery
 * @param promotion the promotion gates
 * @param frozen node ids and group names that never move
 * @param deadends commits no node moves onto
 * @param barriers commits every node below them passes through first
 * @param rollouts phased rollouts of single releases
 * @param maintenanceWindows when nodes may update (none = any time)
 * @param maxAttempts how many failed attempts at one commit make a node skip it (at least 1)
 * @param updateLimits how fast the fleet may move: update slots per channel or group
 */
public record Policy(
    int schema,
    Map<Channel, ChannelPolicy> channels,
    LotteryPolicy lottery,
    PromotionPolicy promotion,
    List<String> frozen,
    List<Deadend> deadends,
    List<Barrier> barriers,
    List<Rollout> rollouts,
    List<MaintenanceWindow> maintenanceWindows,
    int maxAttempts,
    UpdateLimits updateLimits) {

  /** The only schema version this code reads and writes. */
  public static final int SCHEMA = 1;

  /** Failed attempts at one commit before a node skips it, when nothing else is configured. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The branch that holds the policy. */
  public static final String BRANCH = "rollout-policy";

  /** The file on that branch. */
  public static final String FILE = "channels.json";

  /** A policy without update limits. */
  public Policy(
      int schema,
      Map<Channel, ChannelPolicy> channels,
      LotteryPolicy lottery,
      PromotionPolicy promotion,
      List<String> frozen,
      List<Deadend> deadends,
      List<Barrier> barriers,
      List<Rollout> rollouts,
      List<MaintenanceWindow> maintenanceWindows,
      int maxAttempts) {
    this(
        schema,
        channels,
        lottery,
        promotion,
        frozen,
        deadends,
        barriers,
        rollouts,
        maintenanceWindows,
        maxAttempts,
        UpdateLimits.none());
  }

  public Policy {
    if (schema != SCHEMA) {
      throw new IllegalArgumentException("schema " + schema + " is not supported, expected 1");
    }
    Objects.requireNonNull(channels, "channels");
    EnumMap<Channel, ChannelPolicy> all = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      all.put(channel, Objects.requireNonNull(channels.get(channel), "channels." + channel));
    }
    channels = Collections.unmodifiableMap(all);
    Objects.requireNonNull(lottery, "lottery");
    Objects.requireNonNull(promotion, "promotion");
    frozen = List.copyOf(frozen);
    deadends = List.copyOf(deadends);
    barriers = List.copyOf(barriers);
    rollouts = List.copyOf(rollouts);
    maintenanceWindows = List.copyOf(maintenanceWindows);
    Objects.requireNonNull(updateLimits, "updateLimits");
    PolicyLimits.require(
        maxAttempts >= 1 && maxAttempts <= PolicyLimits.MAX_ATTEMPTS,
        "maxAttempts " + maxAttempts + " is not between 1 and " + PolicyLimits.MAX_ATTEMPTS);
    PolicyLimits.requireSize(frozen.size(), PolicyLimits.MAX_FROZEN, "frozen");
    PolicyLimits.requireSize(deadends.size(), PolicyLimits.MAX_DEADENDS, "deadends");
    PolicyLimits.requireSize(barriers.size(), PolicyLimits.MAX_BARRIERS, "barriers");
    PolicyLimits.requireSize(rollouts.size(), PolicyLimits.MAX_ROLLOUTS, "rollouts");
    PolicyLimits.requireSize(
        maintenanceWindows.size(), PolicyLimits.MAX_WINDOWS, "maintenanceWindows");
    for (String name : frozen) {
      PolicyLimits.requireText(name, PolicyLimits.MAX_NAME, "a frozen name");
      if (lottery.groupWeights().containsKey(name)) {
        throw new IllegalArgumentException(
            "'" + name + "' is both frozen and weighted in lottery.groupWeights");
      }
    }
  }

  /**
   * The built-in policy used when the remote has no {@code rollout-policy} branch: the default
   * channel layout, nothing paused, probability 0.07 per calendar month, seven days of soak, three
   * attempts per commit, no holds of any kind.
   */
  public static Policy defaults() {
    Map<Channel, ChannelPolicy> channels = new EnumMap<>(Channel.class);
    for (Channel channel : Channel.values()) {
      channels.put(channel, ChannelPolicy.defaultFor(channel));
    }
    return new Policy(
        SCHEMA,
        channels,
        LotteryPolicy.defaults(),
        PromotionPolicy.defaults(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        DEFAULT_MAX_ATTEMPTS);
  }

  /** One channel's entry. */
  public ChannelPolicy channel(Channel channel) {
    return channels.get(channel);
  }

  /** Where a channel lives in git, for {@code ChannelTarget.resolve}. */
  public ChannelSpec spec(Channel channel) {
    return channel(channel).spec();
  }

  /** The frozen entry that matches this node id or one of its groups, if any. */
  public Optional<String> frozenMatch(String nodeId, Collection<String> groups) {
    for (String name : frozen) {
      if (name.equals(nodeId) || groups.contains(name)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /** This policy with one channel's entry replaced. */
  public Policy withChannel(Channel channel, ChannelPolicy entry) {
    Map<Channel, ChannelPolicy> changed = new EnumMap<>(channels);
    changed.put(channel, entry);
    return new Policy(
        schema,
        changed,
        lottery,
        promotion,
        frozen,
        deadends,
        barriers,
        rollouts,
        maintenanceWindows,
        maxAttempts,
        updateLimits);
  }

  /**
   * Replaces the entry with the same ref in place, or appends: order stays as the operator left it.
   */
  private static <T> void replaceOrAdd(List<T> entries, T entry, Function<T, String> ref) {
    for (int i = 0; i < entries.size(); i++) {
      if (ref.apply(entries.get(i)).equals(ref.apply(entry))) {
        entries.set(i, entry);
        return;
      }
    }
    entries.add(entry);
  }

  /** This policy with a dead-end added, replacing any entry for the same ref. */
  public Policy withDeadend(Deadend deadend) {
    List<Deadend> changed = new ArrayList<>(deadends);
    replaceOrAdd(changed, deadend, Deadend::ref);
    return new Policy(
        schema,
        channels,
        lottery,
        promotion,
        frozen,
        changed,
        barriers,
        rollouts,
        maintenanceWindows,
        maxAttempts,
        updateLimits);
  }

  /** This policy with a barrier added, replacing any entry for the same ref. */
  public Policy withBarrier(Barrier barrier) {
    List<Barrier> changed = new ArrayList<>(barriers);
    replaceOrAdd(changed, barrier, Barrier::ref);
    return new Policy(
        schema,
        channels,
        lottery,
        promotion,
        frozen,
        deadends,
        changed,
        rollouts,
        maintenanceWindows,
        maxAttempts,
        updateLimits);
  }

  /** This policy with a phased rollout added, replacing any entry for the same ref. */
  public Policy withRollout(Rollout rollout) {
    List<Rollout> changed = new ArrayList<>(rollouts);
    replaceOrAdd(changed, rollout, Rollout::ref);
    return new Policy(
        schema,
        channels,
        lottery,
        promotion,
        frozen,
        deadends,
        barriers,
        changed,
        maintenanceWindows,
        maxAttempts,
        updateLimits);
  }

  /**
   * This policy with another retry limit (a node's local override), brought into the policy's range
   * of 1 to {@value PolicyLimits#MAX_ATTEMPTS} so that no local setting can make the decision fail.
   */
  public Policy withMaxAttempts(int attempts) {
    attempts = Math.max(1, Math.min(attempts, PolicyLimits.MAX_ATTEMPTS));
    return new Policy(
        schema,
        channels,
        lottery,
        promotion,
        frozen,
        deadends,
        barriers,
        rollouts,
        maintenanceWindows,
        attempts,
        updateLimits);
  }

  /** This policy with other update limits. */
  public Policy withUpdateLimits(UpdateLimits limits) {
    return new Policy(
        schema,
        channels,
        lottery,
        promotion,
        frozen,
        deadends,
        barriers,
        rollouts,
        maintenanceWindows,
        maxAttempts,
        limits);
  }
}
