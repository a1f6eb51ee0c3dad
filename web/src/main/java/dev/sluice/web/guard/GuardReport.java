package dev.sluice.web.guard;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.guard.GuardVerdict;
import dev.sluice.core.policy.Guard;
import dev.sluice.core.policy.Halt;
import dev.sluice.core.policy.Policy;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What the guard concluded at its last check, as {@code GET /api/guard} returns it.
 *
 * @param checkedAt when (null before the first check)
 * @param error why the last check could not finish (the channels are then the previous ones)
 */
public record GuardReport(
    String remote, Instant checkedAt, String error, List<ChannelGuard> channels) {

  public GuardReport {
    channels = List.copyOf(channels);
  }

  static GuardReport notYet(String remote) {
    return new GuardReport(remote, null, null, List.of());
  }

  /**
   * One channel's guard.
   *
   * @param state the verdict ({@code too-few}, {@code healthy}, {@code tripped}, ...), or {@code
   *     no-target} when the channel's branch or tag is missing
   * @param policyCommit the guard's own commit when it tripped at this check
   */
  public record ChannelGuard(
      String channel,
      String target,
      String commit,
      String state,
      int attempts,
      int failed,
      Instant countingFrom,
      String summary,
      Settings guard,
      HaltView halt,
      List<String> firstFailures,
      String policyCommit) {

    public ChannelGuard {
      firstFailures = List.copyOf(firstFailures);
    }

    static ChannelGuard of(
        Channel channel, String label, GuardVerdict verdict, Policy policy, String policyCommit) {
      return new ChannelGuard(
          channel.id(),
          label,
          verdict.target(),
          verdict.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          verdict.attempts(),
          verdict.failed(),
          verdict.from(),
          verdict.summary(),
          Settings.of(policy.channel(channel).guard()),
          HaltView.of(policy.channel(channel).halt()),
          verdict.firstFailures().stream()
              .map(o -> o.node() + (o.reason() == null ? "" : ": " + o.reason()))
              .toList(),
          policyCommit);
    }

    static ChannelGuard missing(Channel channel, Policy policy) {
      return new ChannelGuard(
          channel.id(),
          null,
          null,
          "no-target",
          0,
          0,
          null,
          "the channel's branch or tag is missing: nothing to guard",
          Settings.of(policy.channel(channel).guard()),
          HaltView.of(policy.channel(channel).halt()),
          List.<String>of(),
          null);
    }
  }

  /** The guard's settings as the policy has them. */
  public record Settings(
      double maxFailureRatio, int minSample, String window, String action, Instant countFrom) {
    static Settings of(Guard guard) {
      return new Settings(
          guard.maxFailureRatio(),
          guard.minSample(),
          guard.window().toString(),
          guard.action().id(),
          guard.countFrom());
    }
  }

  /** A channel's halt as served: when, what, which commit and why. */
  public record HaltView(Instant at, String action, String commit, String reason) {
    /** The view of a halt, or null for none. */
    public static HaltView of(Halt halt) {
      return halt == null
          ? null
          : new HaltView(halt.at(), halt.action().id(), halt.commit(), halt.reason());
    }
  }
}
