package dev.sluice.core.guard;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.ChannelPolicy;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Guard;
import dev.sluice.core.policy.GuardAction;
import dev.sluice.core.policy.Halt;
import dev.sluice.core.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A channel's guard as a pure function: given the policy, the channel's current target and what the
 * nodes reported about it, decide whether the guard trips now. fleet-web runs it on the reports it
 * holds; the rollout simulation runs it on its simulated reports.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>action {@code off}: never trips ({@code OFF});
 *   <li>the channel's halt names this target: already halted ({@code HALTED});
 *   <li>the action has nothing left to do (pause on a paused channel, dead-end on a target that is
 *       one already): {@code ALREADY_HELD};
 *   <li>only each node's latest report counts, and only from {@link Guard#evidenceFrom(Instant)}
 *       (the window, or {@code countFrom} when later): fewer than {@code minSample} nodes with a
 *       standing on the target is {@code TOO_FEW};
 *   <li>more than {@code maxFailureRatio} of them failed: {@code TRIPPED}, else {@code HEALTHY}.
 * </ol>
 */
public final class GuardEvaluator {

  /** How many failing nodes a trip names as evidence. */
  public static final int EVIDENCE_NODES = 10;

  private GuardEvaluator() {}

  /**
   * Judges one channel's target.
   *
   * @param target the channel's target commit (full id)
   * @param label how people name the target, e.g. {@code v5.2.0_pre (9f8e7d6c)}
   * @param observations what the nodes of the channel reported about the target
   */
  public static GuardVerdict evaluate(
      Policy policy,
      Channel channel,
      String target,
      String label,
      Collection<Observation> observations,
      Instant now) {
    ChannelPolicy entry = policy.channel(channel);
    Guard guard = entry.guard();
    Instant from = guard.evidenceFrom(now);
    if (guard.action() == GuardAction.OFF) {
      return new GuardVerdict(
          GuardVerdict.State.OFF, target, 0, 0, from, List.of(), "the guard is off");
    }
    Halt halt = entry.halt();
    if (halt != null && halt.commit().equals(target)) {
      return new GuardVerdict(
          GuardVerdict.State.HALTED,
          target,
          0,
          0,
          from,
          List.of(),
          "halted since " + halt.at() + ": " + halt.reason());
    }
    if (guard.action() == GuardAction.PAUSE && entry.paused()) {
      return new GuardVerdict(
          GuardVerdict.State.ALREADY_HELD,
          target,
          0,
          0,
          from,
          List.of(),
          channel + " is paused; the guard has nothing to pause");
    }
    if (guard.action() == GuardAction.DEAD_END && isDeadend(policy, target)) {
      return new GuardVerdict(
          GuardVerdict.State.ALREADY_HELD,
          target,
          0,
          0,
          from,
          List.of(),
          label + " is already a dead-end");
    }
    Map<String, Observation> latest = new HashMap<>(Math.max(16, observations.size() * 4 / 3 + 1));
    for (Observation observation : observations) {
      if (observation.at().isBefore(from)) {
        continue;
      }
      latest.merge(observation.node(), observation, (a, b) -> b.at().isAfter(a.at()) ? b : a);
    }
    List<Observation> failures = new ArrayList<>();
    for (Observation observation : latest.values()) {
      if (observation.outcome() == Observation.Outcome.FAILED) {
        failures.add(observation);
      }
    }
    failures.sort(Comparator.comparing(Observation::at).thenComparing(Observation::node));
    int attempts = latest.size();
    int failed = failures.size();
    List<Observation> evidence = failures.subList(0, Math.min(EVIDENCE_NODES, failed));
    String counts =
        failed
            + " of "
            + attempts
            + " nodes ("
            + percent(attempts == 0 ? 0 : (double) failed / attempts)
            + ") failed "
            + label
            + " since "
            + from;
    if (attempts < guard.minSample()) {
      return new GuardVerdict(
          GuardVerdict.State.TOO_FEW,
          target,
          attempts,
          failed,
          from,
          evidence,
          counts + "; the guard waits for " + guard.minSample() + " nodes");
    }
    boolean trips = failed > guard.maxFailureRatio() * attempts;
    return new GuardVerdict(
        trips ? GuardVerdict.State.TRIPPED : GuardVerdict.State.HEALTHY,
        target,
        attempts,
        failed,
        from,
        evidence,
        counts
            + (trips ? ", more than " : ", within ")
            + percent(guard.maxFailureRatio())
            + " of at least "
            + guard.minSample()
            + " in "
            + guard.window());
  }

  private static boolean isDeadend(Policy policy, String target) {
    for (Deadend deadend : policy.deadends()) {
      if (deadend.ref().equals(target)) {
        return true;
      }
    }
    return false;
  }

  /** A share as people read it: {@code 12.5%}. */
  public static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }
}
