package dev.sluice.admin.policy;

import dev.sluice.admin.AdminException;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.policy.Barrier;
import dev.sluice.core.policy.ChannelPolicy;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.PolicyEditor;
import dev.sluice.core.policy.PolicyRefs;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.rollout.GitFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.lib.ObjectId;

/** The policy edits channel-admin offers, each with a commit subject that says what and why. */
public final class PolicyChanges {

  private PolicyChanges() {}

  /** {@code pause CHANNEL --reason}: hold the channel's nodes where they are. */
  public static PolicyChange pause(Channel channel, String reason) {
    String why = requireReason(reason);
    return (current, git) -> {
      ChannelPolicy entry = current.channel(channel);
      return new PolicyChange.Edit(
          current.withChannel(channel, entry.pause(why)),
          "pause " + channel + ": " + why,
          List.of(),
          channel + " is already paused: " + why);
    };
  }

  /** {@code resume CHANNEL --reason}: let the channel's nodes move again. */
  public static PolicyChange resume(Channel channel, String reason) {
    String why = requireReason(reason);
    return (current, git) ->
        new PolicyChange.Edit(
            current.withChannel(channel, current.channel(channel).resume()),
            "resume " + channel + ": " + why,
            List.of(),
            channel + " is not paused");
  }

  /** {@code deadend REF --reason}: no node moves onto REF; nodes on it move off. */
  public static PolicyChange deadend(String ref, String reason) {
    String why = requireReason(reason);
    return (current, git) -> {
      ObjectId commit = requireRef(ref, git);
      return new PolicyChange.Edit(
          current.withDeadend(new Deadend(ref, why)),
          "dead-end " + ref + ": " + why,
          List.of("Commit: " + commit.name()),
          ref + " is already a dead-end for this reason");
    };
  }

  /** {@code barrier REF --reason}: nodes below REF pass through it first. */
  public static PolicyChange barrier(String ref, String reason) {
    String why = requireReason(reason);
    return (current, git) -> {
      ObjectId commit = requireRef(ref, git);
      return new PolicyChange.Edit(
          current.withBarrier(new Barrier(ref, why)),
          "barrier " + ref + ": " + why,
          List.of("Commit: " + commit.name()),
          ref + " is already a barrier for this reason");
    };
  }

  /** {@code rollout REF --duration D [--start T] [--start-fraction F]}: a phased rollout. */
  public static PolicyChange rollout(
      String ref, Instant start, Duration duration, double startFraction, String reason) {
    return (current, git) -> {
      ObjectId commit = requireRef(ref, git);
      Rollout rollout;
      try {
        rollout = new Rollout(ref, start, duration, startFraction);
      } catch (IllegalArgumentException e) {
        throw new AdminException.Usage("rollout of " + ref + ": " + e.getMessage());
      }
      String what =
          String.format(
              Locale.ROOT,
              "phased rollout of %s from %s over %s (start fraction %s)",
              ref,
              start,
              PolicyWriter.format(duration),
              startFraction);
      return new PolicyChange.Edit(
          current.withRollout(rollout),
          reason == null || reason.isBlank() ? what : what + ": " + reason.strip(),
          List.of("Commit: " + commit.name()),
          ref + " already has this rollout");
    };
  }

  /** {@code policy set KEY=VALUE...}: change fields by path. */
  public static PolicyChange set(List<String> assignments, String reason) {
    if (assignments.isEmpty()) {
      throw new AdminException.Usage("policy set needs at least one KEY=VALUE");
    }
    return (current, git) -> {
      PolicyEditor.Result result = PolicyEditor.set(current, assignments);
      String what = "policy set " + String.join(" ", assignments);
      return new PolicyChange.Edit(
          result.policy(),
          reason == null || reason.isBlank() ? what : what + ": " + reason.strip(),
          result.changes().stream().map(PolicyEditor.Change::toString).toList(),
          "the policy already has these values");
    };
  }

  private static String requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new AdminException.Usage("--reason TEXT is required: it is recorded in the commit");
    }
    return reason.strip();
  }

  private static ObjectId requireRef(String ref, GitFacts git) {
    if (!PolicyRefs.isValid(ref)) {
      throw new AdminException.Usage("'" + ref + "' is not " + PolicyRefs.expected());
    }
    return git.resolve(ref)
        .orElseThrow(
            () ->
                new AdminException.Usage(
                    "'" + ref + "' is not a tag, ref or commit on the remote"));
  }
}
