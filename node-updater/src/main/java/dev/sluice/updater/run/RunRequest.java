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

  /**
   * A request that takes everything but the three paths from the rollout policy, for a remote that
   * needs no credentials beyond its URL: the default retention of saved work, no machine id, one
   * try of the one remote.
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
        ApplySettings.none(defaultLogDir(state)),
        SavedRetention.DEFAULT);
  }

  /** Hook logs live beside the state file, in {@code logs/}. */
  public static Path defaultLogDir(Path state) {
    Path parent = state.toAbsolutePath().getParent();
    return parent.resolve("logs");
  }

  /** A builder holding this request's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public RunRequest withChoice(ChannelChoice value) {
    return toBuilder().choice(value).build();
  }

  public RunRequest withGroups(List<String> value) {
    return toBuilder().groups(value).build();
  }

  public RunRequest withProbability(Double value) {
    return toBuilder().probability(value).build();
  }

  public RunRequest withApply(ApplySettings value) {
    return toBuilder().apply(value).build();
  }

  public RunRequest withLayout(ChannelLayout value) {
    return toBuilder().layout(value).build();
  }

  public RunRequest withSavedRetention(SavedRetention value) {
    return toBuilder().savedRetention(value).build();
  }

  public RunRequest withIdentity(NodeIdentity.Source value) {
    return toBuilder().identity(value).build();
  }

  public RunRequest withReach(Reach value) {
    return toBuilder().reach(value).build();
  }

  /** The values of a request, set one by one; {@link #build} checks them as the record does. */
  public static final class Builder {
    private Path workdir;
    private RemoteAccess remote;
    private Path state;
    private List<String> groups;
    private ChannelChoice choice;
    private Double probability;
    private Period period;
    private ChannelLayout layout;
    private ApplySettings apply;
    private SavedRetention savedRetention;
    private NodeIdentity.Source identity;
    private Reach reach;

    private Builder(RunRequest from) {
      this.workdir = from.workdir;
      this.remote = from.remote;
      this.state = from.state;
      this.groups = from.groups;
      this.choice = from.choice;
      this.probability = from.probability;
      this.period = from.period;
      this.layout = from.layout;
      this.apply = from.apply;
      this.savedRetention = from.savedRetention;
      this.identity = from.identity;
      this.reach = from.reach;
    }

    public Builder workdir(Path value) {
      this.workdir = value;
      return this;
    }

    public Builder remote(RemoteAccess value) {
      this.remote = value;
      return this;
    }

    public Builder state(Path value) {
      this.state = value;
      return this;
    }

    public Builder groups(List<String> value) {
      this.groups = value;
      return this;
    }

    public Builder choice(ChannelChoice value) {
      this.choice = value;
      return this;
    }

    public Builder probability(Double value) {
      this.probability = value;
      return this;
    }

    public Builder period(Period value) {
      this.period = value;
      return this;
    }

    public Builder layout(ChannelLayout value) {
      this.layout = value;
      return this;
    }

    public Builder apply(ApplySettings value) {
      this.apply = value;
      return this;
    }

    public Builder savedRetention(SavedRetention value) {
      this.savedRetention = value;
      return this;
    }

    public Builder identity(NodeIdentity.Source value) {
      this.identity = value;
      return this;
    }

    public Builder reach(Reach value) {
      this.reach = value;
      return this;
    }

    public RunRequest build() {
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
          reach);
    }
  }
}
