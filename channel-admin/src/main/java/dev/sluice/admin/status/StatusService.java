package dev.sluice.admin.status;

import dev.sluice.admin.git.RemoteAccess;
import dev.sluice.core.channel.ChannelSpec;
import dev.sluice.core.promotion.BranchState;
import dev.sluice.core.promotion.ChannelState;
import dev.sluice.core.promotion.ChannelStatusReader;
import dev.sluice.core.promotion.PromotionDecision;
import dev.sluice.core.promotion.PromotionGates;
import dev.sluice.core.promotion.PromotionInputs;
import dev.sluice.core.promotion.Release;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Reads a remote's channels and judges, without changing anything, whether promote would pass. */
public final class StatusService {

  private final ChannelSpec stable;
  private final ChannelStatusReader reader;
  private final Clock clock;

  public StatusService(ChannelSpec stable, ChannelSpec preprod, Clock clock) {
    this.stable = Objects.requireNonNull(stable, "stable");
    this.reader = new ChannelStatusReader(stable, Objects.requireNonNull(preprod, "preprod"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The status of the remote's channels.
   *
   * @param soak the soak a candidate must serve
   * @param stablePaused whether the rollout policy pauses the stable channel
   */
  public StatusReport status(RemoteAccess access, Duration soak, boolean stablePaused) {
    Path dir = access.cacheDir();
    ChannelState state = reader.fetch(access.remote(), dir, access.credentials());
    Instant now = clock.instant();
    PromotionDecision decision =
        PromotionGates.decide(PromotionInputs.of(state, soak, now, stablePaused));
    Release candidate = state.candidate();
    StatusReport.Next next =
        state.alreadyPromoted()
            ? StatusReport.Next.ALREADY_PROMOTED
            : decision.allowed() ? StatusReport.Next.PROMOTE : StatusReport.Next.REFUSED;
    return new StatusReport(
        access.remote(),
        now,
        List.of(line(state.stable()), line(state.preprod())),
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

  private static StatusReport.ChannelLine line(BranchState branch) {
    Release newest = branch.newestRelease();
    return new StatusReport.ChannelLine(
        branch.channel(),
        branch.branch(),
        branch.tip(),
        newest == null ? null : newest.tag(),
        newest == null ? null : newest.time());
  }
}
