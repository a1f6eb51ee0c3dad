package dev.sluice.web.channels;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.GitException;
import dev.sluice.core.git.RemoteUrls;
import dev.sluice.core.history.ChannelStatusReader;
import dev.sluice.core.history.RepositoryGitFacts;
import dev.sluice.core.history.RollbackTags;
import dev.sluice.core.policy.LotteryPolicy;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyReader;
import dev.sluice.core.policy.PolicyValidationException;
import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.promotion.BranchState;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.Deadends;
import dev.sluice.core.promotion.Durations;
import dev.sluice.core.promotion.GateResult;
import dev.sluice.core.promotion.HealthReport;
import dev.sluice.core.promotion.HealthThresholds;
import dev.sluice.core.promotion.PromotionDecision;
import dev.sluice.core.promotion.PromotionGates;
import dev.sluice.core.promotion.PromotionInputs;
import dev.sluice.core.promotion.PromotionRules;
import dev.sluice.core.promotion.Release;
import dev.sluice.core.promotion.Rollback;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.web.fleet.ActiveCounts;
import dev.sluice.web.fleet.PromotionHealth;
import dev.sluice.web.guard.GuardReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the remote's channels through core (branch tips, release tags, the promotion candidate),
 * judges the candidate with core's promotion gates, using this dashboard's own health numbers, adds
 * the rollout policy's state (pause, dead-ends, freezes, phased rollouts, rollbacks; see {@link
 * PolicyCards}), and keeps the answer for a while so that dashboards polling every few seconds do
 * not fetch the remote on every request.
 */
public final class ChannelsService {

  /** How long an answer (or an error) is served before the remote is read again. */
  public static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(30);

  /** The policy's default soak. */
  public static final Duration DEFAULT_SOAK = Duration.ofDays(7);

  static final String NO_POLICY =
      "the remote has no rollout policy: built-in defaults (soak %s, default health thresholds)";
  static final String FROM_POLICY =
      "soak %s, pause and health thresholds from the rollout policy at %s";
  static final String INVALID_POLICY =
      "the remote's rollout policy is invalid (%s): showing built-in defaults; channel-admin"
          + " refuses to promote until it is fixed";
  static final String SOAK_OVERRIDE = "; soak %s set with --soak";

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsService.class);

  private final String remote;

  /** The remote as printed and served: without credentials. */
  private final String shownRemote;

  private final Path cacheDir;
  private final ChannelStatusReader reader;
  private final Clock clock;
  private final Duration soakOverride;
  private final BiFunction<String, Instant, PromotionHealth> health;
  private final LongSupplier nanoTime;
  private final long cacheForNanos;

  /** The fleet's counts for the cards; null without them. */
  private final ActiveCounts counts;

  private ChannelsView cached;
  private long cachedAtNanos;
  private volatile double preprodTarget = LotteryPolicy.defaults().probability();
  private volatile UpdateLimits updateLimits;

  /**
   * @param cacheDir where core keeps its mirror of the remote (safe to delete)
   * @param soakOverride the soak to judge by instead of the rollout policy's, or null
   * @param health the dashboard's health numbers for a commit released at a time
   * @param nanoTime a monotonic ticker for the answer cache ({@code System::nanoTime}); separate
   *     from {@code clock}, which may be a fixed {@code --now}
   */
  public ChannelsService(
      String remote,
      Path cacheDir,
      ChannelStatusReader reader,
      Clock clock,
      Duration soakOverride,
      BiFunction<String, Instant, PromotionHealth> health,
      LongSupplier nanoTime,
      Duration cacheFor) {
    this(remote, cacheDir, reader, clock, soakOverride, health, null, nanoTime, cacheFor);
  }

  /**
   * @param counts the fleet's counts of active nodes, for phased-rollout progress, nodes left on
   *     dead-ends, frozen nodes and the lottery's expected share; null to show the policy without
   *     them
   */
  public ChannelsService(
      String remote,
      Path cacheDir,
      ChannelStatusReader reader,
      Clock clock,
      Duration soakOverride,
      BiFunction<String, Instant, PromotionHealth> health,
      ActiveCounts counts,
      LongSupplier nanoTime,
      Duration cacheFor) {
    this.counts = counts;
    this.remote = Objects.requireNonNull(remote, "remote");
    this.shownRemote = RemoteUrls.redact(remote);
    this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.soakOverride = soakOverride;
    this.health = Objects.requireNonNull(health, "health");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.cacheForNanos = cacheFor.toNanos();
  }

  /** The channels, from the cache when it is fresh enough. Never throws for git trouble. */
  public synchronized ChannelsView status() {
    long now = nanoTime.getAsLong();
    if (cached == null || now - cachedAtNanos >= cacheForNanos) {
      cached = read();
      cachedAtNanos = nanoTime.getAsLong();
    }
    return cached;
  }

  /**
   * The preprod share the rollout policy asks for, as of the last read of the remote (the built-in
   * 0.07 before the first read, or without a policy). Never reads the remote itself.
   */
  public double preprodTarget() {
    return preprodTarget;
  }

  /**
   * The rollout policy's update limits, reading the remote when the cached answer is stale (as
   * {@link #status()} does); empty until the policy was read once. An unreachable remote keeps the
   * limits last read.
   */
  public Optional<UpdateLimits> updateLimits() {
    status();
    return Optional.ofNullable(updateLimits);
  }

  private ChannelsView read() {
    Instant now = clock.instant();
    ChannelState state;
    try {
      state = reader.fetch(remote, cacheDir, null);
    } catch (GitException e) {
      String reason = RemoteUrls.redactIn(e.getMessage());
      LOG.warn("channel status: {}", reason);
      return ChannelsView.unreachable(shownRemote, now, reason);
    }
    Repository mirror;
    try {
      mirror = new FileRepositoryBuilder().setGitDir(cacheDir.toFile()).build();
    } catch (IOException e) {
      LOG.warn("channel status: cannot open the mirror {}: {}", cacheDir, e.getMessage());
      return ChannelsView.unreachable(
          shownRemote, now, "cannot open the mirror: " + e.getMessage());
    }
    try (mirror) {
      Policy policy = Policy.defaults();
      ObjectId policyTip = null;
      String note;
      try {
        Optional<Policy> remotePolicy =
            PolicyReader.readRef(mirror, Constants.R_HEADS + Policy.BRANCH);
        if (remotePolicy.isPresent()) {
          policy = remotePolicy.get();
          policyTip = mirror.resolve(Constants.R_HEADS + Policy.BRANCH);
          note =
              String.format(
                  FROM_POLICY,
                  Durations.human(policy.promotion().soak()),
                  policyTip.abbreviate(8).name());
        } else {
          note = String.format(NO_POLICY, Durations.human(policy.promotion().soak()));
        }
      } catch (PolicyValidationException e) {
        LOG.warn("channel status: {}", e.getMessage());
        note = String.format(INVALID_POLICY, String.join("; ", e.errors()));
      } catch (IOException e) {
        LOG.warn("channel status: cannot read the rollout policy: {}", e.getMessage());
        note = String.format(NO_POLICY, Durations.human(policy.promotion().soak()));
      } catch (RuntimeException e) {
        // Whatever else goes wrong reading the policy makes it as unusable as an invalid one.
        policy = Policy.defaults();
        policyTip = null;
        LOG.warn("channel status: the rollout policy cannot be read: {}", e.toString());
        note = String.format(INVALID_POLICY, "it cannot be read: " + e.getMessage());
      }
      try {
        return judge(
            state,
            policy,
            note,
            now,
            policyCards(mirror, policy, policyTip, state, now),
            new RepositoryGitFacts(mirror));
      } catch (RuntimeException e) {
        if (policy.equals(Policy.defaults())) {
          throw e;
        }
        // A policy that throws when applied is treated exactly like an invalid one.
        LOG.warn("channel status: the rollout policy cannot be applied: {}", e.toString());
        Policy defaults = Policy.defaults();
        return judge(
            state,
            defaults,
            String.format(INVALID_POLICY, "it cannot be applied: " + e.getMessage()),
            now,
            policyCards(mirror, defaults, null, state, now),
            new RepositoryGitFacts(mirror));
      }
    }
  }

  /**
   * The policy's state for the cards. Its history, the rollback tags and the fleet's counts only
   * add detail: when one of them cannot be read the cards go without it.
   */
  private PolicyCards policyCards(
      Repository mirror, Policy policy, ObjectId policyTip, ChannelState state, Instant now) {
    PolicyHistory history = PolicyHistory.empty();
    if (policyTip != null) {
      try {
        history = PolicyHistory.read(mirror, policyTip);
      } catch (IOException | RuntimeException e) {
        LOG.warn("channel status: cannot read the history of the rollout policy: {}", e.toString());
      }
    }
    List<Rollback> rollbacks = List.of();
    try {
      rollbacks = RollbackTags.readAll(mirror);
    } catch (RuntimeException e) {
      LOG.warn("channel status: cannot read the rollback tags: {}", e.toString());
    }
    ActiveCounts.Snapshot snapshot = null;
    if (counts != null) {
      try {
        snapshot =
            counts.read(
                PolicyCards.commitsToCount(policy, state, mirror),
                PolicyCards.frozenNodeIds(policy),
                !policy.lottery().groupWeights().isEmpty() || !policy.frozen().isEmpty());
      } catch (RuntimeException e) {
        LOG.warn("channel status: cannot count the fleet's nodes: {}", e.toString());
      }
    }
    return new PolicyCards(
        policy, state, new RepositoryGitFacts(mirror), history, rollbacks, snapshot, now);
  }

  private ChannelsView judge(
      ChannelState state,
      Policy policy,
      String note,
      Instant now,
      PolicyCards cards,
      GitFacts git) {
    preprodTarget = policy.lottery().probability();
    updateLimits = policy.updateLimits();
    PromotionRules rules = PromotionRules.of(policy);
    Duration soak = soakOverride != null ? soakOverride : rules.soak();
    if (soakOverride != null) {
      note += String.format(SOAK_OVERRIDE, Durations.human(soakOverride));
    }
    boolean stablePaused = rules.stablePaused();
    HealthThresholds thresholds = rules.thresholds();
    Release candidate = state.candidate();
    // The dead-end gate as channel-admin promote judges it: a candidate the policy marks a
    // dead-end is never promotable.
    PromotionInputs inputs =
        PromotionInputs.of(state, soak, now, stablePaused)
            .withDeadends(
                Deadends.matching(
                    rules.deadends(),
                    candidate,
                    candidate == null
                        ? null
                        : reader.stable().tagPattern().tagFor(candidate.semver()),
                    git));
    PromotionHealth candidateHealth = null;
    if (candidate != null) {
      candidateHealth = health.apply(candidate.commit(), candidate.time());
      inputs =
          inputs.withHealth(
              HealthReport.of(
                  candidate.commit(),
                  candidateHealth.healthyNodes(),
                  candidateHealth.failedNodes(),
                  candidateHealth.preprodNodesSeen()),
              thresholds);
    }
    PromotionDecision decision = PromotionGates.decide(inputs);
    boolean promoted = state.alreadyPromoted();
    List<String> reasons =
        promoted
            ? List.of(
                candidate.tag()
                    + " is already promoted as "
                    + state.candidatePromotion().tag()
                    + "; cut a new preprod release")
            : decision.failures().stream().map(GateResult::text).toList();
    boolean promotable = !promoted && decision.allowed();

    ChannelsView.Card stable =
        card(state.stable(), null, null, null, cards.parts(state.stable()), policy);
    ChannelsView.Card preprod =
        card(
            state.preprod(),
            candidate == null ? null : decision.soakEndsAt(),
            promotable,
            reasons,
            cards.parts(state.preprod()),
            policy);
    ChannelsView.Promotion promotion =
        new ChannelsView.Promotion(
            decision.candidate(),
            candidate == null ? null : candidate.commit(),
            promoted,
            promotable,
            ChannelsView.Promotion.iso(decision.soakRequired()),
            ChannelsView.Promotion.iso(decision.soakRemaining()),
            decision.soakEndsAt(),
            decision.gates(),
            candidateHealth);
    return new ChannelsView(
        shownRemote, now, null, List.of(stable, preprod), promotion, note, cards.lottery());
  }

  private static ChannelsView.Card card(
      BranchState branch,
      Instant soakEndsAt,
      Boolean promotable,
      List<String> reasons,
      PolicyCards.Parts parts,
      Policy policy) {
    Release newest = branch.newestRelease();
    String tagAtTip = newest != null && newest.commit().equals(branch.tip()) ? newest.tag() : null;
    return new ChannelsView.Card(
        branch.channel(),
        branch.branch(),
        branch.tip(),
        tagAtTip,
        newest == null ? null : newest.tag(),
        soakEndsAt,
        promotable,
        reasons,
        parts.paused(),
        parts.pause(),
        parts.deadends(),
        parts.frozen(),
        parts.rollout(),
        parts.rollback(),
        GuardReport.HaltView.of(policy.channel(Channel.parse(branch.channel())).halt()));
  }
}
