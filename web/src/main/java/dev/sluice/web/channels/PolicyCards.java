package dev.sluice.web.channels;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.Track;
import dev.sluice.core.history.RepositoryGitFacts;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.core.policy.ChannelPolicy;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.promotion.BranchState;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.Release;
import dev.sluice.core.promotion.Rollback;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.web.fleet.ActiveCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout policy's state as the channel cards show it: pause, dead-ends, frozen names, the
 * phased rollout of each channel's target, the latest rollback, and the lottery's expected preprod
 * share. Reads git (the mirror of the remote) and takes the fleet's counts as given; no clock of
 * its own.
 */
final class PolicyCards {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyCards.class);

  /** One channel's share of the policy's state. */
  record Parts(
      boolean paused,
      ChannelsView.Pause pause,
      List<ChannelsView.DeadendEntry> deadends,
      List<ChannelsView.FrozenEntry> frozen,
      ChannelsView.PhasedRollout rollout,
      ChannelsView.RolledBack rollback) {

    /** Nothing known about the policy (the remote's policy could not be used). */
    static final Parts NONE = new Parts(false, null, List.of(), List.of(), null, null);
  }

  private final Policy policy;
  private final ChannelState state;
  private final GitFacts git;
  private final PolicyHistory history;
  private final List<Rollback> rollbacks;
  private final ActiveCounts.Snapshot counts;
  private final Instant now;

  /**
   * @param git resolves the policy's refs on the remote's mirror
   * @param rollbacks every rollback of the remote, newest first
   * @param counts the fleet's counts, null when the dashboard has none
   */
  PolicyCards(
      Policy policy,
      ChannelState state,
      GitFacts git,
      PolicyHistory history,
      List<Rollback> rollbacks,
      ActiveCounts.Snapshot counts,
      Instant now) {
    this.policy = policy;
    this.state = state;
    this.git = git;
    this.history = history;
    this.rollbacks = List.copyOf(rollbacks);
    this.counts = counts;
    this.now = now;
  }

  /** The commits whose nodes the cards count: each channel's target and the dead-ends. */
  static Set<String> commitsToCount(Policy policy, ChannelState state, Repository mirror) {
    GitFacts git = new RepositoryGitFacts(mirror);
    Set<String> commits = new LinkedHashSet<>();
    for (BranchState branch : List.of(state.stable(), state.preprod())) {
      String target = target(policy, branch);
      if (target != null) {
        commits.add(target);
      }
    }
    for (Deadend deadend : policy.deadends()) {
      git.resolve(deadend.ref()).map(ObjectId::name).ifPresent(commits::add);
    }
    return commits;
  }

  /** The names in {@code frozen} that are node ids rather than group names, as far as can tell. */
  static Set<String> frozenNodeIds(Policy policy) {
    Set<String> ids = new LinkedHashSet<>();
    for (String name : policy.frozen()) {
      if (name.matches(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
        ids.add(name.toLowerCase(Locale.ROOT));
      }
    }
    return ids;
  }

  /**
   * The commit a channel's nodes are sent to: the tip, or the newest release when tracking tags.
   */
  static String target(Policy policy, BranchState branch) {
    ChannelPolicy entry = policy.channel(Channel.parse(branch.channel()));
    if (entry.track() == Track.TAG) {
      Release newest = branch.newestRelease();
      return newest == null ? null : newest.commit();
    }
    return branch.tip();
  }

  /** The channel's parts; never throws (a failure is logged and the card shows no policy state). */
  Parts parts(BranchState branch) {
    try {
      return read(branch);
    } catch (RuntimeException e) {
      LOG.warn(
          "channel status: the rollout policy's state of {}: {}", branch.channel(), e.toString());
      return Parts.NONE;
    }
  }

  private Parts read(BranchState branch) {
    Channel channel = Channel.parse(branch.channel());
    ChannelPolicy entry = policy.channel(channel);
    ChannelsView.Pause pause =
        entry.paused()
            ? new ChannelsView.Pause(
                entry.pauseReason(), history.since(p -> p.channel(channel).paused()).orElse(null))
            : null;
    return new Parts(
        entry.paused(),
        pause,
        deadends(channel, branch),
        frozen(channel),
        rollout(branch),
        rollback(channel, branch));
  }

  private List<ChannelsView.DeadendEntry> deadends(Channel channel, BranchState branch) {
    List<ChannelsView.DeadendEntry> entries = new ArrayList<>();
    for (Deadend deadend : policy.deadends()) {
      Optional<ObjectId> commit = git.resolve(deadend.ref());
      if (!concerns(deadend, commit, channel, branch)) {
        continue;
      }
      String ref = deadend.ref();
      entries.add(
          new ChannelsView.DeadendEntry(
              ref,
              commit.map(ObjectId::name).orElse(null),
              deadend.reason(),
              counts == null ? null : commit.map(c -> counts.on(channel.id(), c.name())).orElse(0),
              history
                  .since(p -> p.deadends().stream().anyMatch(d -> d.ref().equals(ref)))
                  .orElse(null)));
    }
    return entries;
  }

  /**
   * Whether a dead-end belongs on a channel's card: its name is one of the channel's release tags,
   * its commit is on the channel's branch, or a rollback of the channel set it. One that concerns
   * no channel in particular is shown on every card.
   */
  private boolean concerns(
      Deadend deadend, Optional<ObjectId> commit, Channel channel, BranchState branch) {
    if (concernsOnly(deadend, commit, channel, branch)) {
      return true;
    }
    for (BranchState other : List.of(state.stable(), state.preprod())) {
      if (!other.channel().equals(branch.channel())
          && concernsOnly(deadend, commit, Channel.parse(other.channel()), other)) {
        return false;
      }
    }
    return true;
  }

  private boolean concernsOnly(
      Deadend deadend, Optional<ObjectId> commit, Channel channel, BranchState branch) {
    String name =
        deadend.ref().startsWith(Constants.R_TAGS)
            ? deadend.ref().substring(Constants.R_TAGS.length())
            : deadend.ref();
    if (policy.spec(channel).tagPattern().versionOf(name).isPresent()) {
      return true;
    }
    if (commit.isPresent()
        && branch.tip() != null
        && git.isAncestor(commit.get(), ObjectId.fromString(branch.tip()))) {
      return true;
    }
    return rollbacks.stream()
        .filter(r -> r.record().channel().equals(channel.id()))
        .anyMatch(
            r ->
                r.record().deadend().equals(deadend.ref())
                    || commit.map(c -> c.name().equals(r.record().fromCommit())).orElse(false));
  }

  private List<ChannelsView.FrozenEntry> frozen(Channel channel) {
    List<ChannelsView.FrozenEntry> entries = new ArrayList<>();
    for (String name : policy.frozen()) {
      entries.add(
          new ChannelsView.FrozenEntry(
              name,
              counts == null ? null : frozenNodes(channel.id(), name),
              history.since(p -> p.frozen().contains(name)).orElse(null)));
    }
    return entries;
  }

  private int frozenNodes(String channel, String name) {
    int nodes =
        counts.groupSets().stream()
            .filter(set -> set.channel().equals(channel) && set.groups().contains(name))
            .mapToInt(ActiveCounts.GroupSet::nodes)
            .sum();
    String node = counts.nodeChannels().get(name.toLowerCase(Locale.ROOT));
    return nodes + (channel.equals(node) ? 1 : 0);
  }

  private ChannelsView.PhasedRollout rollout(BranchState branch) {
    String target = target(policy, branch);
    if (target == null) {
      return null;
    }
    for (Rollout rollout : policy.rollouts()) {
      if (!git.resolve(rollout.ref()).map(c -> c.name().equals(target)).orElse(false)) {
        continue;
      }
      Instant completesAt = rollout.start().plus(rollout.duration());
      String phase =
          now.isBefore(rollout.start())
              ? "scheduled"
              : now.isBefore(completesAt) ? "active" : "complete";
      Integer nodes = counts == null ? null : counts.active(branch.channel());
      Integer onTarget = counts == null ? null : counts.on(branch.channel(), target);
      String ref = rollout.ref();
      return new ChannelsView.PhasedRollout(
          ref,
          target,
          rollout.start(),
          rollout.duration().toString(),
          rollout.startFraction(),
          phase,
          rollout.fractionAt(now),
          completesAt,
          nodes,
          onTarget,
          nodes == null || nodes == 0 ? null : (double) onTarget / nodes,
          history.since(p -> p.rollouts().stream().anyMatch(r -> r.equals(rollout))).orElse(null));
    }
    return null;
  }

  /** The channel's newest rollback, unless a release was tagged on the channel after it. */
  private ChannelsView.RolledBack rollback(Channel channel, BranchState branch) {
    Release newest = branch.newestRelease();
    return rollbacks.stream()
        .filter(r -> r.record().channel().equals(channel.id()))
        .findFirst()
        .filter(r -> newest == null || !newest.time().isAfter(r.time()))
        .map(
            r ->
                new ChannelsView.RolledBack(
                    r.tag(),
                    r.time(),
                    r.tagger(),
                    r.record().from(),
                    r.record().fromCommit(),
                    r.record().to(),
                    r.record().toCommit(),
                    r.record().deadend(),
                    r.record().reason()))
        .orElse(null);
  }

  /** The lottery, with the share of the active nodes its weights put on preprod; never throws. */
  ChannelsView.Lottery lottery() {
    try {
      return readLottery();
    } catch (RuntimeException e) {
      LOG.warn("channel status: the lottery's expected share: {}", e.toString());
      return new ChannelsView.Lottery(policy.lottery().probability(), null, null, List.of());
    }
  }

  private ChannelsView.Lottery readLottery() {
    double probability = policy.lottery().probability();
    Map<String, Double> weights = policy.lottery().groupWeights();
    List<ChannelsView.GroupWeight> groups = new ArrayList<>();
    for (Map.Entry<String, Double> weight : weights.entrySet()) {
      String group = weight.getKey();
      Function<Boolean, Integer> count =
          preprodOnly ->
              counts == null
                  ? null
                  : counts.groupSets().stream()
                      .filter(set -> set.groups().contains(group))
                      .filter(set -> !preprodOnly || set.channel().equals(Channel.PREPROD.id()))
                      .mapToInt(ActiveCounts.GroupSet::nodes)
                      .sum();
      groups.add(
          new ChannelsView.GroupWeight(
              group, weight.getValue(), count.apply(false), count.apply(true)));
    }
    if (counts == null) {
      return new ChannelsView.Lottery(probability, null, null, groups);
    }
    int active = counts.active();
    if (active == 0) {
      return new ChannelsView.Lottery(probability, 0, null, groups);
    }
    // Nodes without groups, and groups without weights, count with the probability.
    double expected = probability * active;
    for (ActiveCounts.GroupSet set : counts.groupSets()) {
      LotteryRules.Weight weight = policy.lottery().weightFor(set.groups());
      expected += (weight.value() - probability) * set.nodes();
    }
    return new ChannelsView.Lottery(probability, active, expected / active, groups);
  }
}
