package dev.sluice.core.rollout;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.Barrier;
import dev.sluice.core.policy.ChannelPolicy;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.MaintenanceWindow;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.Rollout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The node decision: given the policy, what the node's channel points at, what the node knows about
 * itself, git history and the time, where should the node be after this run? One pure function (no
 * I/O beyond the {@link GitFacts} the caller passes in, no clock of its own), shared by
 * node-updater and {@code channel-admin explain} (so explain can never drift from the node).
 *
 * <h2>Precedence</h2>
 *
 * The rules are applied in this order; the first that decides wins.
 *
 * <ol>
 *   <li><b>First install</b> (nothing installed): a node must be able to come up, so it goes
 *       straight to the channel's target; pause, frozen, barriers, phased rollouts and maintenance
 *       windows do not apply. Only a dead-end target ({@code deadend-target}: which older commit is
 *       safe cannot be worked out from the policy alone, so the node waits for a newer target) or a
 *       target that already failed {@code maxAttempts} times on this node ({@code max-attempts})
 *       hold it.
 *   <li><b>Already there</b>: the node runs the target: STAY, or HOLD {@code deadend-target} when
 *       that target is itself a dead-end (there is nowhere better to go until a newer commit).
 *   <li><b>Frozen</b>: the node id or one of its groups is in {@code frozen}: HOLD {@code frozen}.
 *       Nothing moves a frozen node, not even leaving a dead-end.
 *   <li><b>Destination</b>: the target, or, when the node is below a barrier (its commit is an
 *       ancestor of the barrier, the barrier an ancestor of the target, and the node is not on the
 *       barrier), the lowest such barrier. The node moves on from the barrier on a later run.
 *   <li><b>Dead-end destination</b>: the destination is a dead-end: HOLD {@code deadend-target}. No
 *       node ever moves onto a dead-end.
 *   <li><b>Max attempts</b>: the destination failed {@code maxAttempts} times on this node: HOLD
 *       {@code max-attempts} until the channel points at a newer commit.
 *   <li><b>Dead-end escape</b>: the node sits on a dead-end: MOVE now ({@code deadend-escape}),
 *       even while the channel is paused, the rollout has not reached the node or no window is
 *       open.
 *   <li><b>Paused</b>: the channel is paused: HOLD {@code paused}.
 *   <li><b>Phased rollout</b>: a rollout entry resolves to the destination and its fraction {@code
 *       startFraction + (1 - startFraction) * elapsed / duration} has not reached the node's ticket
 *       (or the rollout has not started): HOLD {@code phased-rollout}, {@code retryAt} the exact
 *       instant the fraction reaches the ticket, moved to the next window opening when that instant
 *       falls outside every maintenance window.
 *   <li><b>Maintenance window</b>: windows are configured and none is open: HOLD {@code
 *       maintenance-window}, {@code retryAt} the next opening.
 *   <li><b>No way back</b> (asked last: it is the one rule that needs history): the destination is
 *       not a descendant of the node's commit: HOLD {@code leaving-preprod} (the node rode preprod
 *       last time and now rides stable: it stays until stable reaches its commit), {@code
 *       unrelated-history} (no shared history) or {@code downgrade} (a force-push to an older or
 *       rewritten commit). A node moves backwards only off a dead-end (the rule above), which is
 *       what {@code channel-admin rollback} produces, or where the channel's {@code allowDowngrade}
 *       says so.
 *   <li>Otherwise MOVE to the destination (note {@code barrier} when it is a barrier).
 * </ol>
 *
 * <p>Policy refs that do not resolve (a dead-end tag the node has not fetched, a typo) match
 * nothing.
 */
public final class RolloutDecider {

  private RolloutDecider() {}

  /**
   * Decides where a node should be.
   *
   * @param policy the valid policy in force
   * @param head what the node's channel points at now
   * @param node the node's facts
   * @param git history lookups for policy refs
   * @param now the decision time (the injected clock, {@code --now})
   */
  public static RolloutDecision decide(
      Policy policy, ChannelHead head, NodeFacts node, GitFacts git, Instant now) {
    ObjectId target = head.commit();
    String targetRef = head.version() != null ? head.version() : head.ref();
    Optional<Deadend> targetDeadend = deadendAt(policy, git, target);

    if (node.firstInstall()) {
      if (targetDeadend.isPresent()) {
        return RolloutDecision.hold(
            targetRef, target, deadendHold(head.label(), targetDeadend.get(), true));
      }
      if (node.failuresOf(target) >= policy.maxAttempts()) {
        return RolloutDecision.hold(
            targetRef, target, maxAttemptsHold(head.label(), node.failuresOf(target), policy));
      }
      return RolloutDecision.move(
          targetRef,
          target,
          new Reason(
              Reason.FIRST_INSTALL,
              "nothing is installed: installing "
                  + head.label()
                  + " (pause, windows and rollouts do not apply to a first install)",
              null));
    }

    ObjectId current = node.currentCommit();
    if (current.equals(target)) {
      if (targetDeadend.isPresent()) {
        return RolloutDecision.hold(
            targetRef,
            target,
            new Reason(
                Reason.DEADEND_TARGET,
                "this node runs "
                    + head.label()
                    + ", a dead-end ("
                    + targetDeadend.get().reason()
                    + "), and channel "
                    + head.channel()
                    + " has nothing newer yet",
                null));
      }
      return RolloutDecision.stay(targetRef, target);
    }

    Optional<String> frozen = policy.frozenMatch(node.nodeId(), node.groups());
    if (frozen.isPresent()) {
      String what = frozen.get().equals(node.nodeId()) ? "node " : "group ";
      return RolloutDecision.hold(
          targetRef,
          target,
          new Reason(
              Reason.FROZEN,
              what + frozen.get() + " is frozen by the rollout policy: this node never moves",
              null));
    }

    Optional<Passage> barrier = lowestBarrier(policy, git, current, target);
    String destRef = barrier.map(b -> b.barrier().ref()).orElse(targetRef);
    ObjectId dest = barrier.map(Passage::commit).orElse(target);
    String destLabel = barrier.map(b -> RolloutDecision.label(destRef, dest)).orElse(head.label());

    Optional<Deadend> destDeadend =
        barrier.isPresent() ? deadendAt(policy, git, dest) : targetDeadend;
    if (destDeadend.isPresent()) {
      return RolloutDecision.hold(destRef, dest, deadendHold(destLabel, destDeadend.get(), false));
    }

    if (node.failuresOf(dest) >= policy.maxAttempts()) {
      return RolloutDecision.hold(
          destRef, dest, maxAttemptsHold(destLabel, node.failuresOf(dest), policy));
    }

    Reason barrierNote =
        barrier
            .map(
                b ->
                    new Reason(
                        Reason.BARRIER,
                        "barrier "
                            + destLabel
                            + " first ("
                            + b.barrier().reason()
                            + "); "
                            + head.label()
                            + " on a later run",
                        null))
            .orElse(null);

    Optional<Deadend> currentDeadend = deadendAt(policy, git, current);
    if (currentDeadend.isPresent()) {
      String text =
          "leaving dead-end "
              + RolloutDecision.label(currentDeadend.get().ref(), current)
              + " ("
              + currentDeadend.get().reason()
              + ") for "
              + destLabel
              + "; pause, rollouts and windows do not hold a node on a dead-end"
              + (barrierNote == null ? "" : "; " + barrierNote.text());
      return RolloutDecision.move(destRef, dest, new Reason(Reason.DEADEND_ESCAPE, text, null));
    }

    ChannelPolicy channel = policy.channel(head.channel());
    if (channel.paused()) {
      return RolloutDecision.hold(
          destRef,
          dest,
          new Reason(
              Reason.PAUSED,
              "channel "
                  + head.channel()
                  + " is paused"
                  + (channel.pauseReason() == null ? "" : ": " + channel.pauseReason()),
              null));
    }

    List<MaintenanceWindow> windows = policy.maintenanceWindows();
    Optional<Rollout> rollout = rolloutFor(policy, git, dest);
    if (rollout.isPresent() && !rollout.get().admits(node.ticket(), now)) {
      Rollout phased = rollout.get();
      Instant turn = phased.admitsFrom(node.ticket());
      Instant retryAt = MaintenanceWindow.firstOpenAtOrAfter(windows, turn);
      String progress =
          now.isBefore(phased.start())
              ? "starts at " + phased.start()
              : String.format(
                  Locale.ROOT, "has reached %.1f%% of the fleet", 100 * phased.fractionAt(now));
      return RolloutDecision.hold(
          destRef,
          dest,
          new Reason(
              Reason.PHASED_ROLLOUT,
              String.format(
                  Locale.ROOT,
                  "phased rollout of %s %s; this node's ticket %.4f comes up at %s%s",
                  destLabel,
                  progress,
                  node.ticket(),
                  turn,
                  retryAt.equals(turn) ? "" : ", in the maintenance window opening at " + retryAt),
              retryAt));
    }

    if (!MaintenanceWindow.anyOpen(windows, now)) {
      Instant opens = MaintenanceWindow.firstOpenAtOrAfter(windows, now);
      return RolloutDecision.hold(
          destRef,
          dest,
          new Reason(
              Reason.MAINTENANCE_WINDOW,
              "outside every maintenance window; the next one opens at " + opens,
              opens));
    }

    // Last, because it is the one rule that needs the target's history: a node held by pause,
    // rollout or window fetches nothing for it.
    if (!channel.allowDowngrade() && !git.isAncestor(current, dest)) {
      return RolloutDecision.hold(
          destRef, dest, noWayBack(head, node, git, current, dest, destLabel));
    }

    return RolloutDecision.move(destRef, dest, barrierNote);
  }

  private static Reason noWayBack(
      ChannelHead head,
      NodeFacts node,
      GitFacts git,
      ObjectId current,
      ObjectId dest,
      String label) {
    String runs = "this node runs " + current.abbreviate(7).name();
    if (node.lastChannel() == Channel.PREPROD && head.channel() == Channel.STABLE) {
      return new Reason(
          Reason.LEAVING_PREPROD,
          runs
              + ", which it took on preprod; stable's "
              + label
              + " does not contain it yet, so the node stays until stable reaches it or moves past"
              + " it (no downgrade)",
          null);
    }
    if (!git.related(current, dest)) {
      return new Reason(
          Reason.UNRELATED_HISTORY,
          runs
              + "; channel "
              + head.channel()
              + " now points at "
              + label
              + ", which shares no history with it (was the branch replaced?); holding",
          null);
    }
    return new Reason(
        Reason.DOWNGRADE,
        runs
            + "; channel "
            + head.channel()
            + " now points at "
            + label
            + ", which does not contain it (a force-push to an older or rewritten commit?);"
            + " holding: only a dead-end or a rollback moves a node backwards",
        null);
  }

  private record Passage(Barrier barrier, ObjectId commit) {}

  /** The lowest barrier between the node and the target that the node has not reached yet. */
  private static Optional<Passage> lowestBarrier(
      Policy policy, GitFacts git, ObjectId current, ObjectId target) {
    List<Passage> below = new ArrayList<>();
    for (Barrier barrier : policy.barriers()) {
      Optional<ObjectId> resolved = git.resolve(barrier.ref());
      if (resolved.isEmpty()) {
        continue;
      }
      ObjectId commit = resolved.get();
      if (!commit.equals(current)
          && !commit.equals(target)
          && git.isAncestor(current, commit)
          && git.isAncestor(commit, target)) {
        below.add(new Passage(barrier, commit));
      }
    }
    for (Passage candidate : below) {
      boolean lowest = true;
      for (Passage other : below) {
        if (!other.commit().equals(candidate.commit())
            && git.isAncestor(other.commit(), candidate.commit())) {
          lowest = false;
          break;
        }
      }
      if (lowest) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Optional<Deadend> deadendAt(Policy policy, GitFacts git, ObjectId commit) {
    for (Deadend deadend : policy.deadends()) {
      if (git.resolve(deadend.ref()).filter(commit::equals).isPresent()) {
        return Optional.of(deadend);
      }
    }
    return Optional.empty();
  }

  private static Optional<Rollout> rolloutFor(Policy policy, GitFacts git, ObjectId commit) {
    for (Rollout rollout : policy.rollouts()) {
      if (git.resolve(rollout.ref()).filter(commit::equals).isPresent()) {
        return Optional.of(rollout);
      }
    }
    return Optional.empty();
  }

  private static Reason deadendHold(String label, Deadend deadend, boolean firstInstall) {
    return new Reason(
        Reason.DEADEND_TARGET,
        label
            + " is a dead-end ("
            + deadend.reason()
            + "): "
            + (firstInstall
                ? "nothing is installed and no safe older commit can be chosen; waiting for a"
                    + " newer target"
                : "staying until the channel points at a newer commit"),
        null);
  }

  private static Reason maxAttemptsHold(String label, int failures, Policy policy) {
    return new Reason(
        Reason.MAX_ATTEMPTS,
        label
            + " failed "
            + failures
            + " times on this node (maxAttempts "
            + policy.maxAttempts()
            + "): skipped until the channel points at a newer commit",
        null);
  }
}
