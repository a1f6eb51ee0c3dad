package dev.sluice.web.channels;

import dev.sluice.core.git.GitException;
import dev.sluice.core.promotion.BranchState;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.ChannelStatusReader;
import dev.sluice.core.promotion.Durations;
import dev.sluice.core.promotion.Gate;
import dev.sluice.core.promotion.GateResult;
import dev.sluice.core.promotion.HealthReport;
import dev.sluice.core.promotion.HealthThresholds;
import dev.sluice.core.promotion.PromotionDecision;
import dev.sluice.core.promotion.PromotionGates;
import dev.sluice.core.promotion.PromotionInputs;
import dev.sluice.core.promotion.Release;
import dev.sluice.web.fleet.PromotionHealth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the remote's channels through core (branch tips, release tags, the promotion candidate),
 * judges the candidate with core's promotion gates, using this dashboard's own health numbers, and
 * keeps the answer for a while so that dashboards polling every few seconds do not fetch the remote
 * on every request.
 */
public final class ChannelsService {

  /** How long an answer (or an error) is served before the remote is read again. */
  public static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(30);

  /** The policy's default soak. */
  public static final Duration DEFAULT_SOAK = Duration.ofDays(7);

  static final String NOTE =
      "the dashboard does not read the rollout policy: it assumes a soak of %s and the default"
          + " health thresholds, and does not see a paused stable channel; channel-admin promote"
          + " checks all of them";

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsService.class);

  private final String remote;
  private final Path cacheDir;
  private final ChannelStatusReader reader;
  private final Clock clock;
  private final Duration soak;
  private final Function<String, PromotionHealth> health;
  private final LongSupplier nanoTime;
  private final long cacheForNanos;

  private ChannelsView cached;
  private long cachedAtNanos;

  /**
   * @param cacheDir where core keeps its mirror of the remote (safe to delete)
   * @param health the dashboard's health numbers for a commit
   * @param nanoTime a monotonic ticker for the answer cache ({@code System::nanoTime}); separate
   *     from {@code clock}, which may be a fixed {@code --now}
   */
  public ChannelsService(
      String remote,
      Path cacheDir,
      ChannelStatusReader reader,
      Clock clock,
      Duration soak,
      Function<String, PromotionHealth> health,
      LongSupplier nanoTime,
      Duration cacheFor) {
    this.remote = Objects.requireNonNull(remote, "remote");
    this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.soak = Objects.requireNonNull(soak, "soak");
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

  private ChannelsView read() {
    Instant now = clock.instant();
    ChannelState state;
    try {
      state = reader.fetch(remote, cacheDir, null);
    } catch (GitException e) {
      LOG.warn("channel status: {}", e.getMessage());
      return ChannelsView.unreachable(remote, now, e.getMessage());
    }
    PromotionInputs inputs = PromotionInputs.of(state, soak, now, false);
    Release candidate = state.candidate();
    PromotionHealth candidateHealth = null;
    if (candidate != null) {
      candidateHealth = health.apply(candidate.commit());
      inputs =
          inputs.withHealth(
              HealthReport.of(
                  candidate.commit(),
                  candidateHealth.healthyNodes(),
                  candidateHealth.failedNodes()),
              HealthThresholds.DEFAULT);
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

    ChannelsView.Card stable = card(state.stable(), null, null, null);
    ChannelsView.Card preprod =
        card(
            state.preprod(), candidate == null ? null : decision.soakEndsAt(), promotable, reasons);
    ChannelsView.Promotion promotion =
        new ChannelsView.Promotion(
            decision.candidate(),
            candidate == null ? null : candidate.commit(),
            promoted,
            promotable,
            ChannelsView.Promotion.iso(decision.soakRequired()),
            ChannelsView.Promotion.iso(decision.soakRemaining()),
            decision.soakEndsAt(),
            decision.gates().stream().filter(g -> g.gate() != Gate.STABLE_NOT_PAUSED).toList(),
            candidateHealth);
    return new ChannelsView(
        remote,
        now,
        null,
        List.of(stable, preprod),
        promotion,
        String.format(NOTE, Durations.human(soak)));
  }

  private static ChannelsView.Card card(
      BranchState branch, Instant soakEndsAt, Boolean promotable, List<String> reasons) {
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
        reasons);
  }
}
