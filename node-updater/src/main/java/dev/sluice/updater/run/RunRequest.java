package dev.sluice.updater.run;

import dev.sluice.core.channel.ChannelLayout;
import dev.sluice.core.git.RemoteAccess;
import dev.sluice.core.lottery.ChannelChoice;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.updater.apply.ApplySettings;
import dev.sluice.updater.git.Reach;
import dev.sluice.updater.git.SavedRetention;
import dev.sluice.updater.state.NodeIdentity;
import java.nio.file.Path;
import java.time.Period;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code node-updater run} is asked to do.
 *
 * @param workdir the node's working tree
 * @param remote the git remote the node follows and how to reach it (credentials, ssh keys)
 * @param state the state database file
 * @param groups the node's groups (for group weights and frozen lists)
 * @param choice lottery, pinned channel or preprod refused
 * @param probability this node's preprod probability when no group weight applies; null: the
 *     rollout policy's
 * @param period how long a lottery ticket lasts; null: the rollout policy's
 * @param layout the channels' branches, tag patterns and tracking mode; null: the rollout policy's
 * @param apply hooks, health check and retry limit for applying a change
 * @param savedRetention how much saved local work the workdir keeps
 * @param identity where the node's id and name come from (machine id, host name, {@code
 *     --node-name})
 * @param reach fallback remotes and how long to retry an unreachable remote
 */
public record RunRequest(
    Path workdir,
    RemoteAccess remote,
    Path state,
    List<String> groups,
    ChannelChoice choice,
    Double probability,
    Period period,
    ChannelLayout layout,
    ApplySettings apply,
    SavedRetention savedRetention,
    NodeIdentity.Source identity,
    Reach reach) {

  public RunRequest {
    Objects.requireNonNull(workdir, "workdir");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(choice, "choice");
    Objects.requireNonNull(apply, "apply");
    Objects.requireNonNull(savedRetention, "savedRetention");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(reach, "reach");
    groups = List.copyOf(groups);
    if (probability != null) {
      LotteryRules.requireWeight(probability, "--preprod-probability");
    }
    if (period != null && (period.isNegative() || period.isZero())) {
      throw new IllegalArgumentException("--lottery-period must be positive");
    }
  }

  /**
   * A request with no machine id or name (the node id is a stored UUID) and one try of the one
   * remote: what simulated nodes in one process use.
   */
  public RunRequest(
      Path workdir,
      RemoteAccess remote,
      Path state,
      List<String> groups,
      ChannelChoice choice,
      Double probability,
      Period period,
      ChannelLayout layout,
      ApplySettings apply,
      SavedRetention savedRetention) {
    this(
        workdir,
        remote,
        state,
        groups,
        choice,
        probability,
        period,
        layout,
        apply,
        savedRetention,
        NodeIdentity.Source.NONE,
        Reach.ONCE);
  }

  /** A request with the default retention of saved work. */
  public RunRequest(
      Path workdir,
      RemoteAccess remote,
      Path state,
      List<String> groups,
      ChannelChoice choice,
      Double probability,
      Period period,
      ChannelLayout layout,
      ApplySettings apply) {
    this(
        workdir,
        remote,
        state,
        groups,
        choice,
        probability,
        period,
        layout,
        apply,
        SavedRetention.DEFAULT);
  }

  /**
   * A request that takes everything but the three paths from the rollout policy, for a remote that
   * needs no credentials beyond its URL.
   */
  public static RunRequest defaults(Path workdir, String remote, Path state) {
    return new RunRequest(
        workdir,
        RemoteAccess.of(remote),
        state,
        List.of(),
        ChannelChoice.AUTO,
        null,
        null,
        null,
        ApplySettings.none(defaultLogDir(state)));
  }

  /** Hook logs live beside the state file, in {@code logs/}. */
  public static Path defaultLogDir(Path state) {
    Path parent = state.toAbsolutePath().getParent();
    return parent.resolve("logs");
  }

  public RunRequest withChoice(ChannelChoice newChoice) {
    return new RunRequest(
        workdir,
        remote,
        state,
        groups,
        newChoice,
        probability,
        period,
        layout,
        apply,
        savedRetention,
        identity,
        reach);
  }

  public RunRequest withGroups(List<String> newGroups) {
    return new RunRequest(
        workdir,
        remote,
        state,
        newGroups,
        choice,
        probability,
        period,
        layout,
        apply,
        savedRetention,
        identity,
        reach);
  }

  public RunRequest withProbability(Double newProbability) {
    return new RunRequest(
        workdir,
        remote,
        state,
        groups,
        choice,
        newProbability,
        period,
        layout,
        apply,
        savedRetention,
        identity,
        reach);
  }

  public RunRequest withApply(ApplySettings newApply) {
    return new RunRequest(
        workdir,
        remote,
        state,
        groups,
        choice,
        probability,
        period,
        layout,
        newApply,
        savedRetention,
        identity,
        reach);
  }

  public RunRequest withLayout(ChannelLayout newLayout) {
    return new RunRequest(
        workdir,
        remote,
        state,
        groups,
        choice,
        probability,
        period,
        newLayout,
        apply,
        savedRetention,
        identity,
        reach);
  }

  public RunRequest withSavedRetention(SavedRetention newRetention) {
    return new RunRequest(
        workdir,
        remote,
        state,
        groups,
        choice,
        probability,
        period,
        layout,
        apply,
        newRetention,
        identity,
        reach);
  }

  public RunRequest withIdentity(NodeIdentity.Source newIdentity) {
    return new RunRequest(
        workdir,
        remote,
        state,
        groups,
        choice,
        probability,
        period,
        layout,
        apply,
        savedRetention,
        newIdentity,
        reach);
  }

  public RunRequest withReach(Reach newReach) {
    return new RunRequest(
        workdir,
        remote,
        state,
        groups,
        choice,
        probability,
        period,
        layout,
        apply,
        savedRetention,
        identity,
        newReach);
  }
}
