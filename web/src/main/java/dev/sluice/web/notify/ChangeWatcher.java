package dev.sluice.web.notify;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.git.ChannelTarget;
import dev.sluice.core.guard.GuardTrip;
import dev.sluice.core.guard.GuardVerdict;
import dev.sluice.core.guard.Observation;
import dev.sluice.core.policy.ChannelPolicy;
import dev.sluice.core.policy.GuardAction;
import dev.sluice.core.policy.Halt;
import dev.sluice.core.policy.Policy;
import dev.sluice.web.guard.GuardListener;
import dev.sluice.web.guard.RemoteState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Turns what the guard sees into notifications, once per change: it compares each state of the
 * remote with the previous one (a channel paused or resumed, a halt, stable moved by a promotion, a
 * new rollback tag), notices the first time failures on a channel's target reach a threshold, and
 * the moment the count of nodes not seen recently reaches one. The first state after start is the
 * baseline: what was already so when fleet-web started is not announced.
 */
public final class ChangeWatcher implements GuardListener {

  private final Notifier notifier;
  private final Clock clock;
  private final int failureThreshold;
  private final int staleThreshold;
  private final IntSupplier staleNodes;

  private RemoteState previous;
  private final Set<String> announcedHalts = new HashSet<>();
  private final Set<String> announcedFailures = new HashSet<>();
  private Boolean staleOver;

  /**
   * @param failureThreshold failed nodes on one target that make the first failure notice
   * @param staleThreshold nodes not seen recently that make a notice (0: never)
   * @param staleNodes how many nodes are not seen recently now
   */
  public ChangeWatcher(
      Notifier notifier,
      Clock clock,
      int failureThreshold,
      int staleThreshold,
      IntSupplier staleNodes) {
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (failureThreshold < 1 || staleThreshold < 0) {
      throw new IllegalArgumentException("thresholds must be at least 1 (stale: 0 = off)");
    }
    this.failureThreshold = failureThreshold;
    this.staleThreshold = staleThreshold;
    this.staleNodes = Objects.requireNonNull(staleNodes, "staleNodes");
  }

  @Override
  public synchronized void state(RemoteState state) {
    if (previous != null) {
      for (Channel channel : Channel.values()) {
        compare(channel, previous, state);
      }
      Set<String> rollbacks = new HashSet<>(state.rollbackTags());
      rollbacks.removeAll(previous.rollbackTags());
      for (String tag : rollbacks.stream().sorted().toList()) {
        String[] parts = tag.split("/");
        String channel = parts.length > 1 ? parts[1] : null;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("tag", tag);
        Channel known = channelOf(channel);
        if (known != null && state.targets().get(known) != null) {
          details.put("target", RemoteState.label(state.targets().get(known)));
        }
        publish(FleetEvent.ROLLED_BACK, channel, channel + " rolled back (" + tag + ")", details);
      }
    } else {
      for (Channel channel : Channel.values()) {
        Halt halt = state.policy().channel(channel).halt();
        if (halt != null) {
          announcedHalts.add(key(channel, halt));
        }
      }
    }
    previous = state;
    stale();
  }

  private void compare(Channel channel, RemoteState before, RemoteState after) {
    ChannelPolicy was = before.policy().channel(channel);
    ChannelPolicy now = after.policy().channel(channel);
    Halt halt = now.halt();
    boolean newHalt = halt != null && announcedHalts.add(key(channel, halt));
    if (newHalt) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("action", halt.action().id());
      details.put("commit", halt.commit());
      details.put("reason", halt.reason());
      publish(
          FleetEvent.GUARD_TRIPPED,
          channel.id(),
          "guard halted " + channel + " (" + halt.action() + "): " + halt.reason(),
          details);
    }
    boolean pausedByHalt =
        halt != null && halt.action() == GuardAction.PAUSE && !halt.equals(was.halt());
    if (!was.paused() && now.paused() && !pausedByHalt) {
      publish(
          FleetEvent.CHANNEL_PAUSED,
          channel.id(),
          channel + " paused" + (now.pauseReason() == null ? "" : ": " + now.pauseReason()),
          Map.of());
    } else if (was.paused() && !now.paused()) {
      publish(FleetEvent.CHANNEL_RESUMED, channel.id(), channel + " resumed", Map.of());
    }
    ChannelTarget from = before.targets().get(channel);
    ChannelTarget to = after.targets().get(channel);
    boolean rolledBack =
        after.rollbackTags().stream()
            .anyMatch(
                tag ->
                    tag.startsWith("rollback/" + channel.id() + "/")
                        && !before.rollbackTags().contains(tag));
    if (channel == Channel.STABLE
        && to != null
        && !rolledBack
        && (from == null || !from.commit().equals(to.commit()))) {
      Map<String, String> details = new LinkedHashMap<>();
      details.put("commit", to.commit().name());
      if (from != null) {
        details.put("previous", RemoteState.label(from));
      }
      publish(
          FleetEvent.PROMOTED, channel.id(), "stable now runs " + RemoteState.label(to), details);
    }
  }

  @Override
  public synchronized void verdict(Channel channel, String label, GuardVerdict verdict) {
    if (verdict.failed() < failureThreshold
        || !announcedFailures.add(channel.id() + " " + verdict.target())) {
      return;
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("target", label);
    details.put("commit", verdict.target());
    details.put("failed", Integer.toString(verdict.failed()));
    details.put("attempts", Integer.toString(verdict.attempts()));
    List<String> nodes = new ArrayList<>();
    for (Observation failure : verdict.firstFailures()) {
      nodes.add(failure.node() + (failure.reason() == null ? "" : " (" + failure.reason() + ")"));
    }
    details.put("firstFailingNodes", String.join("; ", nodes));
    publish(
        FleetEvent.FAILURES,
        channel.id(),
        verdict.failed() + " nodes failed " + label + " on " + channel,
        details);
  }

  @Override
  public synchronized void tripped(GuardTrip trip, Policy before, String policyCommit) {
    Halt halt = trip.halt(before);
    announcedHalts.add(key(trip.channel(), halt));
    Map<String, String> details = new LinkedHashMap<>();
    details.put("action", halt.action().id());
    details.put("target", trip.label());
    details.put("commit", halt.commit());
    details.put("failed", Integer.toString(trip.verdict().failed()));
    details.put("attempts", Integer.toString(trip.verdict().attempts()));
    details.put("reason", halt.reason());
    details.put("policyCommit", policyCommit);
    List<String> nodes = new ArrayList<>();
    for (Observation failure : trip.verdict().firstFailures()) {
      nodes.add(failure.node() + (failure.reason() == null ? "" : " (" + failure.reason() + ")"));
    }
    details.put("firstFailingNodes", String.join("; ", nodes));
    publish(FleetEvent.GUARD_TRIPPED, trip.channel().id(), trip.subject(before), details);
  }

  /** Checks the nodes not seen recently when there is no remote to read (no guard). */
  public synchronized void tick() {
    stale();
  }

  private void stale() {
    if (staleThreshold == 0) {
      return;
    }
    int count = staleNodes.getAsInt();
    boolean over = count >= staleThreshold;
    if (staleOver != null && over && !staleOver) {
      publish(
          FleetEvent.NODES_NOT_SEEN,
          null,
          count + " nodes have not reported recently",
          Map.of("nodes", Integer.toString(count)));
    }
    staleOver = over;
  }

  private void publish(String kind, String channel, String title, Map<String, String> details) {
    notifier.publish(new FleetEvent(kind, channel, title, clock.instant(), details));
  }

  private static String key(Channel channel, Halt halt) {
    return channel.id() + " " + halt.at() + " " + halt.commit();
  }

  private static Channel channelOf(String id) {
    for (Channel channel : Channel.values()) {
      if (channel.id().equals(id)) {
        return channel;
      }
    }
    return null;
  }
}
