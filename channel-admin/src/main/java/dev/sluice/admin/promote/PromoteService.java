package dev.sluice.admin.promote;

import dev.sluice.admin.git.AtomicPush;
import dev.sluice.admin.git.Operator;
import dev.sluice.admin.git.PushHook;
import dev.sluice.admin.git.RefChange;
import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.admin.git.Tags;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.git.RemoteCache;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.history.RepositoryGitFacts;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.Deadends;
import dev.sluice.core.promotion.GateResult;
import dev.sluice.core.promotion.PromotionDecision;
import dev.sluice.core.promotion.PromotionGates;
import dev.sluice.core.promotion.PromotionInputs;
import dev.sluice.core.promotion.PromotionRecord;
import dev.sluice.core.promotion.PromotionRules;
import dev.sluice.core.promotion.Release;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes the preprod candidate (the newest preprod release tag) to stable: when every gate
 * passes, master is fast-forwarded to the exact tagged commit and the stable tag, recording the
 * soak and gates, is created, both in one atomic push guarded by the ids we read.
 */
public final class PromoteService {

  private static final Logger LOG = LoggerFactory.getLogger(PromoteService.class);

  private final ChannelSpec stable;
  private final ChannelSpec preprod;
  private final Clock clock;
  private final Supplier<Operator> operator;
  private final HealthClient health;
  private final PolicySource policy;
  private final PushHook hook;

  public PromoteService(
      ChannelSpec stable,
      ChannelSpec preprod,
      Clock clock,
      Supplier<Operator> operator,
      HealthClient health,
      PolicySource policy,
      PushHook hook) {
    this.stable = Objects.requireNonNull(stable, "stable");
    this.preprod = Objects.requireNonNull(preprod, "preprod");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.operator = Objects.requireNonNull(operator, "operator");
    this.health = Objects.requireNonNull(health, "health");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.hook = Objects.requireNonNull(hook, "hook");
  }

  /**
   * A service for the built-in layout ({@code master}/{@code v*}, {@code preprod}/{@code v*_pre}).
   */
  public static PromoteService withDefaultChannels(
      Clock clock,
      Supplier<Operator> operator,
      HealthClient health,
      PolicySource policy,
      PushHook hook) {
    return new PromoteService(
        ChannelSpec.defaultFor(Channel.STABLE),
        ChannelSpec.defaultFor(Channel.PREPROD),
        clock,
        operator,
        health,
        policy,
        hook);
  }

  /**
   * Decides, and unless refused or a dry run, pushes the promotion.
   *
   * @throws dev.sluice.admin.AdminException.PushRejected when the remote moved since our fetch
   */
  public PromoteResult promote(RemoteAccess access, PromoteRequest request) {
    try (RemoteCache cache = access.openFetched()) {
      ChannelState state =
          new ChannelStatusReader(stable, preprod).read(cache.repository(), access.remote());
      Release candidate = state.candidate();
      String previousMaster = state.stable().tip();
      PromotionRules rules = policy.read(cache.repository());
      String stableTag = candidate == null ? null : stable.tagPattern().tagFor(candidate.semver());
      List<String> deadends =
          Deadends.matching(
              rules.deadends(), candidate, stableTag, new RepositoryGitFacts(cache.repository()));
      if (state.alreadyPromoted() && deadends.isEmpty()) {
        String message =
            candidate.tag()
                + " is already promoted as "
                + state.candidatePromotion().tag()
                + " ("
                + abbrev(candidate.commit())
                + "); nothing to do";
        return new PromoteResult(
            access.remote(),
            PromoteResult.Outcome.ALREADY_PROMOTED,
            candidate.tag(),
            state.candidatePromotion().tag(),
            candidate.commit(),
            previousMaster,
            null,
            message);
      }

      Instant now = clock.instant();
      PromotionDecision decision =
          PromotionGates.decide(inputs(state, request, rules, now).withDeadends(deadends));
      String commit = candidate == null ? null : candidate.commit();
      if (!decision.allowed()) {
        String reasons =
            decision.failures().stream()
                .map(f -> f.code() + ": " + f.text())
                .collect(Collectors.joining("; "));
        LOG.info("promotion refused on {}: {}", access.remote(), reasons);
        return new PromoteResult(
            access.remote(),
            PromoteResult.Outcome.REFUSED,
            decision.candidate(),
            stableTag,
            commit,
            previousMaster,
            decision,
            "promotion of " + (candidate == null ? "preprod" : candidate.tag()) + " refused");
      }
      if (request.dryRun()) {
        return new PromoteResult(
            access.remote(),
            PromoteResult.Outcome.WOULD_PROMOTE,
            candidate.tag(),
            stableTag,
            commit,
            previousMaster,
            decision,
            "would promote "
                + candidate.tag()
                + " ("
                + abbrev(commit)
                + ") to "
                + stable.branch()
                + " as "
                + stableTag
                + " (dry run, nothing pushed)");
      }

      ObjectId target = ObjectId.fromString(commit);
      ObjectId tagId =
          Tags.annotated(
              cache.repository(),
              stableTag,
              target,
              operator.get().at(now),
              operator.get().signing(),
              PromotionRecord.of(decision, commit).tagMessage());
      List<RefChange> changes =
          List.of(
              RefChange.move(stable.branchRef(), previousMaster, target, false),
              RefChange.create(Constants.R_TAGS + stableTag, tagId));
      hook.beforePush(changes);
      AtomicPush.push(cache, changes);
      LOG.info(
          "promotion pushed: {} at {} to {} of {} as {}, soak served {}{}",
          candidate.tag(),
          commit,
          stable.branch(),
          access.remote(),
          stableTag,
          decision.soakServed(),
          decision.soakOverridden() ? ", soak overridden: " + decision.overrideReason() : "");
      return new PromoteResult(
          access.remote(),
          PromoteResult.Outcome.PROMOTED,
          candidate.tag(),
          stableTag,
          commit,
          previousMaster,
          decision,
          "promoted "
              + candidate.tag()
              + " ("
              + abbrev(commit)
              + ") to "
              + stable.branch()
              + " as "
              + stableTag);
    }
  }

  /** The gate inputs: the state, the soak (request or policy), pause, health and override. */
  private PromotionInputs inputs(
      ChannelState state, PromoteRequest request, PromotionRules rules, Instant now) {
    PromotionInputs inputs =
        PromotionInputs.of(state, request.soakUnder(rules), now, rules.stablePaused());
    if (request.healthUrl() != null && state.candidate() != null) {
      inputs =
          inputs.withHealth(
              health.fetch(
                  request.healthUrl(), state.candidate().commit(), state.candidate().time()),
              request.thresholdsUnder(rules));
    }
    if (request.overrideSoakReason() != null) {
      inputs = inputs.withSoakOverride(request.overrideSoakReason());
    }
    return inputs;
  }

  /** The reasons of a refused decision, one line each, for people. */
  public static List<String> reasons(PromotionDecision decision) {
    return decision.failures().stream().map(PromoteService::line).toList();
  }

  private static String line(GateResult gate) {
    return gate.code() + ": " + gate.text();
  }

  private static String abbrev(String id) {
    return id.substring(0, Math.min(8, id.length()));
  }
}
