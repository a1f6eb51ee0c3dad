package dev.sluice.web.channels;

import dev.sluice.core.promotion.GateResult;
import dev.sluice.web.fleet.PromotionHealth;
import dev.sluice.web.guard.GuardReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The channels of the remote as the dashboard shows them, as {@code GET /api/channels} returns it.
 *
 * @param checkedAt when the remote was read (on the dashboard's clock)
 * @param error why the remote could not be read; null when it was
 * @param channels one card per channel (empty when {@code error} is set)
 * @param promotion whether the preprod candidate could be promoted now (null on error)
 * @param note what the dashboard does not check that {@code channel-admin promote} does
 * @param lottery the preprod lottery of the policy in force and the share of the active nodes it is
 *     expected to put on preprod (null on error)
 */
public record ChannelsView(
    String remote,
    Instant checkedAt,
    String error,
    List<Card> channels,
    Promotion promotion,
    String note,
    Lottery lottery) {

  public ChannelsView {
    channels = List.copyOf(channels);
  }

  static ChannelsView unreachable(String remote, Instant checkedAt, String error) {
    return new ChannelsView(remote, checkedAt, error, List.of(), null, null, null);
  }

  /**
   * One channel's card.
   *
   * @param commit the branch tip (null when the branch is missing)
   * @param tag the release tag on the tip, null when the tip is untagged
   * @param newestRelease the channel's newest release tag by version
   * @param soakEndsAt preprod only: when the candidate's soak is over
   * @param promotable preprod only: whether promoting the candidate would pass every gate now
   * @param reasons preprod only: why not, one line per refusing gate
   * @param paused whether the rollout policy pauses the channel
   * @param pause the pause's reason and since when (null when not paused)
   * @param deadends the policy's dead-ends that concern this channel
   * @param frozen the policy's frozen groups and node ids, with this channel's nodes in them
   * @param rollout the phased rollout of the channel's target, null when there is none
   * @param rollback the channel's latest rollback while no release was tagged on it since, else
   *     null
   * @param halt the guard's halt of this channel (when, what, why), null when none
   */
  public record Card(
      String channel,
      String branch,
      String commit,
      String tag,
      String newestRelease,
      Instant soakEndsAt,
      Boolean promotable,
      List<String> reasons,
      boolean paused,
      Pause pause,
      List<DeadendEntry> deadends,
      List<FrozenEntry> frozen,
      PhasedRollout rollout,
      RolledBack rollback,
      GuardReport.HaltView halt) {
    public Card {
      reasons = reasons == null ? null : List.copyOf(reasons);
      deadends = List.copyOf(deadends);
      frozen = List.copyOf(frozen);
    }
  }

  /**
   * The policy commit that set an entry of the policy in force (the oldest of the unbroken run of
   * commits, back from the tip, that have it).
   *
   * @param commit the policy commit
   * @param time its author time: when the operator made the edit
   * @param by its author ({@code Name <email>})
   */
  public record Since(String commit, Instant time, String by) {}

  /**
   * @param reason the pause's reason (null when none was given)
   * @param since the commit that paused the channel, null when the history read does not say
   */
  public record Pause(String reason, Since since) {}

  /**
   * @param ref the dead-end as the policy names it
   * @param commit the commit it resolves to on the remote, null when it resolves to none
   * @param reason why
   * @param nodes active nodes of this channel still running it (null without fleet counts)
   * @param since the commit that marked it
   */
  public record DeadendEntry(
      String ref, String commit, String reason, Integer nodes, Since since) {}

  /**
   * @param name a group name or a node id
   * @param nodes active nodes of this channel in that group, or with that id (null without fleet
   *     counts)
   * @param since the commit that froze it
   */
  public record FrozenEntry(String name, Integer nodes, Since since) {}

  /**
   * A phased rollout of the channel's target.
   *
   * @param ref the release as the policy names it
   * @param commit the commit it resolves to (the channel's target)
   * @param start when the rollout starts
   * @param duration how long it takes to reach every ticket (ISO-8601)
   * @param startFraction the share of tickets admitted at the start
   * @param state {@code scheduled} (before the start), {@code active} or {@code complete}
   * @param allowedShare the share of tickets admitted now
   * @param completesAt when every ticket is admitted ({@code start + duration})
   * @param nodes active nodes of the channel (null without fleet counts)
   * @param onTarget those of them already running the target (null without fleet counts)
   * @param share {@code onTarget / nodes} (null without fleet counts or active nodes)
   * @param since the commit that set the rollout
   */
  public record PhasedRollout(
      String ref,
      String commit,
      Instant start,
      String duration,
      double startFraction,
      String state,
      double allowedShare,
      Instant completesAt,
      Integer nodes,
      Integer onTarget,
      Double share,
      Since since) {}

  /**
   * A rollback as recorded in its tag (the fields {@code channel-admin history --json} shows for a
   * rollback).
   *
   * @param tag the rollback tag
   * @param time when it was pushed (the tagger time)
   * @param by who did it
   * @param from the release the branch left
   * @param fromCommit its commit
   * @param to the release the branch went back to
   * @param toCommit its commit
   * @param deadend the ref marked a dead-end
   * @param reason why
   */
  public record RolledBack(
      String tag,
      Instant time,
      String by,
      String from,
      String fromCommit,
      String to,
      String toCommit,
      String deadend,
      String reason) {}

  /**
   * The preprod lottery of the policy in force, and what it should yield among the active nodes.
   *
   * @param probability the default weight (the preprod target)
   * @param activeNodes nodes heard from recently, all channels (null without fleet counts)
   * @param expectedShare the share of them the weights put on preprod: each node counts with the
   *     weight that applies to it (its best group weight, else the probability), so weighted groups
   *     explain a share above or below the target (null without counts or active nodes)
   * @param groupWeights every weighted group, with its active nodes
   */
  public record Lottery(
      double probability,
      Integer activeNodes,
      Double expectedShare,
      List<GroupWeight> groupWeights) {
    public Lottery {
      groupWeights = List.copyOf(groupWeights);
    }
  }

  /**
   * @param group the group name
   * @param weight its weight
   * @param nodes active nodes in the group (null without fleet counts)
   * @param preprodNodes those of them on preprod (null without fleet counts)
   */
  public record GroupWeight(String group, double weight, Integer nodes, Integer preprodNodes) {}

  /**
   * The promotion gates' verdict on the candidate.
   *
   * @param health the dashboard's own numbers for the candidate commit on preprod
   */
  public record Promotion(
      String candidate,
      String candidateCommit,
      boolean alreadyPromoted,
      boolean allowed,
      String soakRequired,
      String soakRemaining,
      Instant soakEndsAt,
      List<GateResult> gates,
      PromotionHealth health) {
    public Promotion {
      gates = List.copyOf(gates);
    }

    static String iso(Duration duration) {
      return duration == null ? null : duration.toString();
    }
  }
}
