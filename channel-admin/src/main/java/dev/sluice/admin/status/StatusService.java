package dev.sluice.admin.status;

import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.admin.promote.PolicySource;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.channel.Track;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.history.RepositoryGitFacts;
import dev.sluice.core.policy.Halt;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyValidationException;
import dev.sluice.core.promotion.BranchState;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.Deadends;
import dev.sluice.core.promotion.PromotionDecision;
import dev.sluice.core.promotion.PromotionGates;
import dev.sluice.core.promotion.PromotionInputs;
import dev.sluice.core.promotion.PromotionRules;
import dev.sluice.core.promotion.Release;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/** Reads a remote's channels and judges, without changing anything, whether promote would pass. */
public final class StatusService {

  private final ChannelSpec stable;
  private final ChannelStatusReader reader;
  private final Clock clock;
  private final PolicySource policy;

  public StatusService(ChannelSpec stable, ChannelSpec preprod, Clock clock, PolicySource policy) {
    this.stable = Objects.requireNonNull(stable, "stable");
    this.reader = new ChannelStatusReader(stable, Objects.requireNonNull(preprod, "preprod"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * A service for the built-in layout ({@code master}/{@code v*}, {@code preprod}/{@code v*_pre}).
   */
  public static StatusService withDefaultChannels(Clock clock, PolicySource policy) {
    return new StatusService(
        ChannelSpec.defaultFor(Channel.STABLE),
        ChannelSpec.defaultFor(Channel.PREPROD),
        clock,
        policy);
  }

  /**
   * The status of the remote's channels.
   *
   * @param soak the soak a candidate must serve, or null for the policy's
   */
  public StatusReport status(RemoteAccess access, Duration soak) {
    ChannelState state;
    PromotionRules rules;
    List<String> deadends;
    Map<Channel, Halt> halts = new EnumMap<>(Channel.class);
    try (RemoteCache cache = access.openFetched()) {
      state = reader.read(cache.repository(), access.remote());
      rules = policy.read(cache.repository());
      halts(cache.repository(), halts);
      Release candidate = state.candidate();
      deadends =
          Deadends.matching(
              rules.deadends(),
              candidate,
              candidate == null ? null : stable.tagPattern().tagFor(candidate.semver()),
              new RepositoryGitFacts(cache.repository()));
    }
    Instant now = clock.instant();
    PromotionDecision decision =
        PromotionGates.decide(
            PromotionInputs.of(state, soak != null ? soak : rules.soak(), now, rules.stablePaused())
                .withDeadends(deadends));
    Release candidate = state.candidate();
    StatusReport.Next next =
        state.alreadyPromoted() && deadends.isEmpty()
            ? StatusReport.Next.ALREADY_PROMOTED
            : decision.allowed() ? StatusReport.Next.PROMOTE : StatusReport.Next.REFUSED;
    return new StatusReport(
        access.remote(),
        now,
        List.of(
            line(state.stable(), rules.layout().stable().track(), halts.get(Channel.STABLE)),
            line(state.preprod(), rules.layout().preprod().track(), halts.get(Channel.PREPROD))),
        state.preprodAhead(),
        state.preprodBehind(),
        candidate == null
            ? null
            : new StatusReport.Candidate(
                candidate.tag(),
                candidate.version(),
                candidate.commit(),
                candidate.time(),
                stable.tagPattern().tagFor(candidate.semver())),
        next,
        decision);
  }

  /** The guard's halts in the policy read (the policy was already checked by the source). */
  private static void halts(Repository repository, Map<Channel, Halt> halts) {
    try {
      PolicyReader.readRef(repository, Constants.R_HEADS + Policy.BRANCH)
          .ifPresent(
              read -> {
                for (Channel channel : Channel.values()) {
                  Halt halt = read.channel(channel).halt();
                  if (halt != null) {
                    halts.put(channel, halt);
                  }
                }
              });
    } catch (PolicyValidationException e) {
      // The policy source reports an invalid policy; nothing to add here.
    }
  }

  private static StatusReport.ChannelLine line(BranchState branch, Track track, Halt halt) {
    Release newest = branch.newestRelease();
    return new StatusReport.ChannelLine(
        branch.channel(),
        branch.branch(),
        branch.tip(),
        newest == null ? null : newest.tag(),
        newest == null ? null : newest.time(),
        branch.commitsSinceRelease(),
        track.id(),
        halt == null
            ? null
            : new StatusReport.Halt(halt.at(), halt.action().id(), halt.commit(), halt.reason()));
  }
}
