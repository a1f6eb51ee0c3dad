package dev.sluice.admin.policy;

import dev.sluice.admin.AdminException;
import dev.sluice.core.channel.Channel;
import dev.sluice.core.json.Json;
import dev.sluice.core.policy.Barrier;
import dev.sluice.core.policy.ChannelPolicy;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyEditor;
import dev.sluice.core.policy.PolicyRefs;
import dev.sluice.core.policy.PolicyWriter;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.rollout.GitFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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

  /**
   * {@code resume CHANNEL --reason}: let the channel's nodes move again. A halt of the channel's
   * guard is cleared with the pause, and the guard counts only reports from {@code now} on, so the
   * evidence that tripped it cannot trip it again.
   */
  public static PolicyChange resume(Channel channel, String reason, Instant now) {
    String why = requireReason(reason);
    return (current, git) -> {
      ChannelPolicy entry = current.channel(channel);
      if (!entry.paused() && entry.halt() == null) {
        return new PolicyChange.Edit(
            current, "resume " + channel + ": " + why, List.of(), channel + " is not paused");
      }
      List<String> details = new ArrayList<>();
      if (entry.halt() != null) {
        details.add(
            "Clears the guard's halt of "
                + entry.halt().at()
                + " ("
                + entry.halt().action()
                + " of "
                + entry.halt().commit()
                + "): "
                + entry.halt().reason());
      }
      details.add("The guard of " + channel + " counts reports from " + now + " on.");
      return new PolicyChange.Edit(
          current.withChannel(channel, entry.resumeAt(now)),
          "resume " + channel + ": " + why,
          details,
          channel + " is not paused");
    };
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

  /** {@code deadend --remove REF --reason}: nodes may move onto REF again. */
  public static PolicyChange removeDeadend(String ref, String reason) {
    String why = requireReason(reason);
    return (current, git) ->
        remove(
            current,
            git,
            "deadends",
            current.deadends().stream().map(Deadend::ref).toList(),
            ref,
            "remove dead-end " + ref + ": " + why,
            ref + " is not a dead-end");
  }

  /** {@code barrier --remove REF --reason}: nodes no longer have to pass through REF. */
  public static PolicyChange removeBarrier(String ref, String reason) {
    String why = requireReason(reason);
    return (current, git) ->
        remove(
            current,
            git,
            "barriers",
            current.barriers().stream().map(Barrier::ref).toList(),
            ref,
            "remove barrier " + ref + ": " + why,
            ref + " is not a barrier");
  }

  /** {@code rollout --remove REF --reason}: REF is no longer phased in (everyone may take it). */
  public static PolicyChange removeRollout(String ref, String reason) {
    String why = requireReason(reason);
    return (current, git) ->
        remove(
            current,
            git,
            "rollouts",
            current.rollouts().stream().map(Rollout::ref).toList(),
            ref,
            "remove phased rollout of " + ref + ": " + why,
            ref + " has no phased rollout");
  }

  /** {@code freeze NAME --reason}: the node or group never moves. */
  public static PolicyChange freeze(String name, String reason) {
    String why = requireReason(reason);
    String frozen = requireName(name);
    return (current, git) -> {
      if (current.frozen().contains(frozen)) {
        return new PolicyChange.Edit(
            current, "freeze " + frozen + ": " + why, List.of(), frozen + " is already frozen");
      }
      PolicyEditor.Result result =
          PolicyEditor.set(
              current, List.of("frozen[" + current.frozen().size() + "]=" + Json.write(frozen)));
      return new PolicyChange.Edit(
          result.policy(),
          "freeze " + frozen + ": " + why,
          List.of(),
          frozen + " is already frozen");
    };
  }

  /** {@code freeze --remove NAME --reason}: the node or group follows its channel again. */
  public static PolicyChange unfreeze(String name, String reason) {
    String why = requireReason(reason);
    String frozen = requireName(name);
    return (current, git) -> {
      int index = current.frozen().indexOf(frozen);
      Policy after =
          index < 0
              ? current
              : PolicyEditor.set(current, List.of("frozen[" + index + "]=null")).policy();
      return new PolicyChange.Edit(
          after, "unfreeze " + frozen + ": " + why, List.of(), frozen + " is not frozen");
    };
  }

  /** {@code policy unset KEY...}: fields back to their defaults, entries out of their lists. */
  public static PolicyChange unset(List<String> keys, String reason) {
    if (keys.isEmpty()) {
      throw new AdminException.Usage("policy unset needs at least one KEY");
    }
    for (String key : keys) {
      if (key.contains("=")) {
        throw new AdminException.Usage(
            "policy unset takes KEY, not KEY=VALUE ('" + key + "'); use policy set to set values");
      }
    }
    return (current, git) -> {
      PolicyEditor.Result result =
          PolicyEditor.set(current, keys.stream().map(key -> key + "=null").toList());
      String what = "policy unset " + String.join(" ", keys);
      return new PolicyChange.Edit(
          result.policy(),
          reason == null || reason.isBlank() ? what : what + ": " + reason.strip(),
          result.changes().stream().map(PolicyEditor.Change::toString).toList(),
          "these fields are already unset");
    };
  }

  /**
   * Removes the entries of a policy list whose ref is {@code ref}, or (when none is) that name the
   * same commit as {@code ref} on the remote. Unchanged when nothing matches.
   */
  private static PolicyChange.Edit remove(
      Policy current,
      GitFacts git,
      String field,
      List<String> refs,
      String ref,
      String subject,
      String unchanged) {
    if (!PolicyRefs.isValid(ref)) {
      throw new AdminException.Usage("'" + ref + "' is not " + PolicyRefs.expected());
    }
    List<Integer> matches = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      if (refs.get(i).equals(ref)) {
        matches.add(i);
      }
    }
    Optional<ObjectId> commit = matches.isEmpty() ? git.resolve(ref) : Optional.empty();
    if (commit.isPresent()) {
      for (int i = 0; i < refs.size(); i++) {
        if (git.resolve(refs.get(i)).equals(commit)) {
          matches.add(i);
        }
      }
    }
    if (matches.isEmpty()) {
      return new PolicyChange.Edit(current, subject, List.of(), unchanged);
    }
    List<String> assignments = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (int i = matches.size() - 1; i >= 0; i--) {
      assignments.add(field + "[" + matches.get(i) + "]=null");
    }
    for (int index : matches) {
      details.add("Removed: " + field + " entry for " + refs.get(index));
    }
    return new PolicyChange.Edit(
        PolicyEditor.set(current, assignments).policy(), subject, details, unchanged);
  }

  private static String requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new AdminException.Usage("NAME is empty: give a node id or group name");
    }
    return name.strip();
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
