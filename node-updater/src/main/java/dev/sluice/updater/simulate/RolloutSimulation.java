package dev.sluice.updater.simulate;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.guard.GuardEvaluator;
import dev.sluice.core.guard.GuardTrip;
import dev.sluice.core.guard.GuardVerdict;
import dev.sluice.core.guard.Observation;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyEditor;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.policy.UpdateLimit;
import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.report.Action;
import dev.sluice.core.rollout.ChannelHead;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.core.rollout.NodeFacts;
import dev.sluice.core.rollout.Reason;
import dev.sluice.core.rollout.RolloutDecider;
import dev.sluice.core.rollout.RolloutDecision;
import dev.sluice.core.slots.SlotLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * A fleet of simulated nodes in virtual time, driven through the decisions the products make: each
 * node's channel by core's lottery rule ({@link LotteryRules#wins}), each run's decision by {@link
 * RolloutDecider} over the policy in force, the guard by {@link GuardEvaluator} over the reports
 * fleet-web would hold (classified by {@link Observation#classify}, as fleet-web does), and a trip
 * applied to the policy by {@link GuardTrip#apply} (the edit fleet-web pushes). What is modelled:
 * git (two commits on a line), the time an update takes, the health check (a node fails the new
 * version with the scenario's failure rate, fixed per node), when nodes run (an hourly timer at a
 * random minute per node, plus reboots about every three days), fleet-web's reachability, and the
 * rate limit's slots (core's {@link SlotLedger}, which fleet-web's slot store is tested against).
 *
 * <p>It is one class because the model is one state: the event queue and the per-node arrays
 * (ticket, channel, commit, failures, the run in progress) that every event handler reads and
 * writes, kept as arrays indexed by node. A class per handler would each need all of that state.
 */
public final class RolloutSimulation {

  /** The simulated start: the moment of the release or promotion. */
  public static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  static final ObjectId OLD = ObjectId.fromString("51000000".repeat(5));
  static final ObjectId NEW = ObjectId.fromString("52000000".repeat(5));

  /**
   * How the fleet behaves.
   *
   * @param nodes how many nodes
   * @param seed the random seed (tickets, timer minutes, reboots, who fails)
   * @param checkEvery the node timer's period
   * @param updateTakes how long a move takes (fetch, checkout, hook, health check)
   * @param meanUptime the mean time between reboots (a reboot runs the updater too)
   * @param guardInterval how often fleet-web's guard judges
   * @param pushTakes from a trip to the policy commit on the remote
   */
  public record Fleet(
      int nodes,
      long seed,
      Duration checkEvery,
      Duration updateTakes,
      Duration meanUptime,
      Duration guardInterval,
      Duration pushTakes) {
    /** A fleet the size of FluxOS's with the products' defaults. */
    public static Fleet of(int nodes, long seed) {
      return new Fleet(
          nodes,
          seed,
          Duration.ofHours(1),
          Duration.ofSeconds(90),
          Duration.ofDays(3),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5));
    }
  }

  /**
   * What happened.
   *
   * @param channelNodes nodes on the channel the scenario moves
   * @param toAll from the release or promotion until every node of the channel ran the new version,
   *     null when that never happened within the horizon
   * @param to99 the same for 99 % of them
   * @param ran nodes of the whole fleet that installed the new version at least once
   * @param endedOn nodes that run it at the end (after rollbacks)
   * @param trippedAfter when the guard tripped, after the start; null when it did not
   * @param noSlot runs held because no update slot was free or fleet-web was unreachable
   */
  public record Result(
      Scenario scenario,
      int fleet,
      int channelNodes,
      Duration toAll,
      Duration to99,
      int ran,
      int endedOn,
      Duration trippedAfter,
      String trip,
      int noSlot) {}

  private enum Kind {
    CHECK,
    DONE,
    GUARD,
    POLICY
  }

  private record Event(long at, int seq, Kind kind, int node) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int byTime = Long.compare(at, o.at);
      return byTime != 0 ? byTime : Integer.compare(seq, o.seq);
    }
  }

  /** Two commits on a line; the release tags name them. */
  private static final GitFacts GIT =
      new GitFacts() {
        @Override
        public Optional<ObjectId> resolve(String ref) {
          return switch (ref) {
            case "v5.1.0", "v5.1.0_pre" -> Optional.of(OLD);
            case "v5.2.0", "v5.2.0_pre" -> Optional.of(NEW);
            default -> {
              if (ref.equals(OLD.name())) {
                yield Optional.of(OLD);
              }
              yield ref.equals(NEW.name()) ? Optional.of(NEW) : Optional.empty();
            }
          };
        }

        @Override
        public boolean isAncestor(ObjectId ancestor, ObjectId descendant) {
          return ancestor.equals(descendant) || (ancestor.equals(OLD) && descendant.equals(NEW));
        }
      };

  private final Scenario scenario;
  private final Fleet fleet;
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private int seq;

  private final String[] ids;
  private final double[] tickets;
  private final Channel[] channels;
  private final ObjectId[] current;
  private final int[] failures;
  private final boolean[] failsNew;
  private final boolean[] busy;
  private final boolean[] ran;
  private final ObjectId[] moving;
  private final Observation[] observed;
  private final Random random;

  private Policy policy;
  private Policy pending;
  private final Map<Channel, ChannelHead> heads = new EnumMap<>(Channel.class);
  private final VirtualClock clock = new VirtualClock();
  private final SlotLedger slots = new SlotLedger(clock);
  private long trippedAt = -1;
  private String tripText;
  private int noSlot;

  private RolloutSimulation(Scenario scenario, Fleet fleet) {
    this.scenario = scenario;
    this.fleet = fleet;
    int n = fleet.nodes();
    ids = new String[n];
    tickets = new double[n];
    channels = new Channel[n];
    current = new ObjectId[n];
    failures = new int[n];
    failsNew = new boolean[n];
    busy = new boolean[n];
    ran = new boolean[n];
    moving = new ObjectId[n];
    observed = new Observation[n];
    random = new Random(fleet.seed());
  }

  /** Runs one scenario on a fleet. */
  public static Result run(Scenario scenario, Fleet fleet) {
    return new RolloutSimulation(scenario, fleet).simulate();
  }

  private Result simulate() {
    policy = initialPolicy();
    Channel moved = scenario.phase() == Scenario.Phase.RELEASE ? Channel.PREPROD : Channel.STABLE;
    double weight = policy.lottery().weightFor(Set.of()).value();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = String.format("node-%05d", i);
      tickets[i] = random.nextDouble();
      channels[i] = LotteryRules.wins(tickets[i], weight) ? Channel.PREPROD : Channel.STABLE;
      failsNew[i] = random.nextDouble() < scenario.failureRate();
      boolean preprodRunsNew = scenario.phase() == Scenario.Phase.PROMOTE;
      current[i] = channels[i] == Channel.PREPROD && preprodRunsNew ? NEW : OLD;
      schedule(random.nextLong(fleet.checkEvery().toSeconds()), Kind.CHECK, i);
      schedule(nextBoot(0), Kind.CHECK, -1 - i);
    }
    heads.put(
        Channel.PREPROD, new ChannelHead(Channel.PREPROD, "refs/heads/preprod", NEW, "v5.2.0_pre"));
    heads.put(
        Channel.STABLE,
        scenario.phase() == Scenario.Phase.PROMOTE
            ? new ChannelHead(Channel.STABLE, "refs/heads/master", NEW, "v5.2.0")
            : new ChannelHead(Channel.STABLE, "refs/heads/master", OLD, "v5.1.0"));
    schedule(0, Kind.GUARD, 0);

    int channelNodes = 0;
    for (Channel channel : channels) {
      channelNodes += channel == moved ? 1 : 0;
    }
    int onNew = 0;
    for (int i = 0; i < ids.length; i++) {
      onNew += channels[i] == moved && current[i].equals(NEW) ? 1 : 0;
    }
    long horizon = scenario.horizon().toSeconds();
    long toAll = -1;
    long to99 = -1;
    boolean good = scenario.failureRate() == 0;
    while (!events.isEmpty()) {
      Event event = events.poll();
      if (event.at() > horizon) {
        break;
      }
      int before = event.kind() == Kind.DONE ? onNewBefore(event.node(), moved) : 0;
      handle(event);
      if (event.kind() == Kind.DONE) {
        int i = event.node();
        onNew += (channels[i] == moved && current[i].equals(NEW) ? 1 : 0) - before;
        if (to99 < 0 && onNew >= Math.ceil(channelNodes * 0.99)) {
          to99 = event.at();
        }
        if (toAll < 0 && onNew == channelNodes) {
          toAll = event.at();
          if (good) {
            break;
          }
        }
      }
    }
    int ranNew = 0;
    int endedOn = 0;
    for (int i = 0; i < ids.length; i++) {
      ranNew += ran[i] ? 1 : 0;
      endedOn +=
          current[i].equals(NEW)
                  && !(channels[i] == Channel.PREPROD && scenario.phase() == Scenario.Phase.PROMOTE)
              ? 1
              : 0;
    }
    return new Result(
        scenario,
        ids.length,
        channelNodes,
        toAll < 0 ? null : Duration.ofSeconds(toAll),
        to99 < 0 ? null : Duration.ofSeconds(to99),
        ranNew,
        endedOn,
        trippedAt < 0 ? null : Duration.ofSeconds(trippedAt),
        tripText,
        noSlot);
  }

  private int onNewBefore(int node, Channel moved) {
    return channels[node] == moved && current[node].equals(NEW) ? 1 : 0;
  }

  /**
   * Whether the node may move now: true without a limit on its lock group, else whether fleet-web
   * grants it a slot as node-updater asks for one (fleet-web down: the policy's default, wait).
   */
  private boolean slotFor(int node, Channel channel, long at, Instant now) {
    UpdateLimits limits = policy.updateLimits();
    String lockGroup = limits.lockGroupFor(channel, Set.of());
    if (limits.limitFor(lockGroup).isEmpty()) {
      return true;
    }
    if (!fleetWebUp(at)) {
      return limits.onLockUnavailable() == UpdateLimits.OnLockUnavailable.PROCEED;
    }
    clock.now = now;
    return slots.acquire(limits, lockGroup, ids[node]).granted();
  }

  /** The simulation's virtual time, for the slot ledger. */
  private static final class VirtualClock extends Clock {
    private Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      VirtualClock outer = this;
      return new Clock() {
        @Override
        public ZoneId getZone() {
          return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
          return outer.withZone(other);
        }

        @Override
        public Instant instant() {
          return outer.now;
        }
      };
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private Policy initialPolicy() {
    Policy start = Policy.defaults();
    List<String> edits = new ArrayList<>();
    if (!scenario.guard()) {
      edits.add("channels.preprod.guard.action=off");
      edits.add("channels.stable.guard.action=off");
    }
    if (!edits.isEmpty()) {
      start = PolicyEditor.set(start, edits).policy();
    }
    if (scenario.phasedRollout() != null) {
      String ref = scenario.phase() == Scenario.Phase.RELEASE ? "v5.2.0_pre" : "v5.2.0";
      start = start.withRollout(new Rollout(ref, T0, scenario.phasedRollout(), 0.0));
    }
    if (scenario.limited()) {
      UpdateLimit limit =
          new UpdateLimit(scenario.maxConcurrentUpdates(), scenario.maxUpdatesPerHour());
      start =
          start.withUpdateLimits(
              new UpdateLimits(
                  Map.of(Channel.PREPROD, limit, Channel.STABLE, limit),
                  Map.of(),
                  UpdateLimits.DEFAULT_SLOT_EXPIRY,
                  UpdateLimits.OnLockUnavailable.WAIT));
    }
    return start;
  }

  private long nextBoot(long after) {
    double mean = fleet.meanUptime().toSeconds();
    return after + (long) (-Math.log(1 - random.nextDouble()) * mean);
  }

  private void schedule(long at, Kind kind, int node) {
    events.add(new Event(at, seq++, kind, node));
  }

  private Instant time(long at) {
    return T0.plusSeconds(at);
  }

  private boolean fleetWebUp(long at) {
    if (scenario.outageStart() == null) {
      return true;
    }
    long start = scenario.outageStart().toSeconds();
    return at < start || at >= start + scenario.outage().toSeconds();
  }

  private void handle(Event event) {
    switch (event.kind()) {
      case CHECK -> {
        if (event.node() < 0) {
          int node = -1 - event.node();
          schedule(nextBoot(event.at()), Kind.CHECK, event.node());
          check(node, event.at());
        } else {
          schedule(event.at() + fleet.checkEvery().toSeconds(), Kind.CHECK, event.node());
          check(event.node(), event.at());
        }
      }
      case DONE -> done(event.node(), event.at());
      case GUARD -> {
        schedule(event.at() + fleet.guardInterval().toSeconds(), Kind.GUARD, 0);
        if (fleetWebUp(event.at()) && pending == null) {
          guard(event.at());
        }
      }
      case POLICY -> {
        policy = pending;
        pending = null;
      }
    }
  }

  private void check(int node, long at) {
    if (busy[node]) {
      return; // the state lock: a run is already in progress
    }
    Channel channel = channels[node];
    ChannelHead head = heads.get(channel);
    Instant now = time(at);
    Map<ObjectId, Integer> failed = failures[node] == 0 ? Map.of() : Map.of(NEW, failures[node]);
    RolloutDecision decision =
        RolloutDecider.decide(
            policy,
            head,
            new NodeFacts(ids[node], Set.of(), tickets[node], current[node], failed, channel),
            GIT,
            now);
    if (decision.moves()) {
      if (!slotFor(node, channel, at, now)) {
        noSlot++;
        report(node, at, Action.HELD, "no-slot", decision.commit());
        return;
      }
      busy[node] = true;
      moving[node] = decision.commit();
      if (decision.commit().equals(NEW)) {
        ran[node] = true;
      }
      schedule(at + fleet.updateTakes().toSeconds(), Kind.DONE, node);
      return;
    }
    Reason reason = decision.reason();
    report(
        node,
        at,
        decision.held() ? Action.HELD : Action.UNCHANGED,
        reason == null ? null : reason.code(),
        decision.commit());
  }

  private void done(int node, long at) {
    busy[node] = false;
    ObjectId target = moving[node];
    moving[node] = null;
    if (target.equals(NEW) && failsNew[node]) {
      // As on a node: a failed update keeps its slot until the slot expires, so a bad release
      // slows itself down.
      failures[node]++;
      report(node, at, Action.ROLLED_BACK, "health-check", target);
    } else {
      current[node] = target;
      UpdateLimits limits = policy.updateLimits();
      slots.release(limits.lockGroupFor(channels[node], Set.of()), ids[node]);
      report(node, at, Action.UPDATED, null, target);
    }
  }

  /** What fleet-web stores of a report, as its guard will read it (lost while it is down). */
  private void report(int node, long at, Action action, String reasonCode, ObjectId target) {
    if (!fleetWebUp(at)) {
      return;
    }
    String channelTarget = heads.get(channels[node]).commit().name();
    Optional<Observation.Outcome> outcome =
        Observation.classify(
            action.id(), reasonCode, current[node].name(), target.name(), channelTarget);
    observed[node] =
        outcome
            .map(
                o ->
                    new Observation(
                        ids[node],
                        o,
                        o == Observation.Outcome.FAILED ? reasonCode : null,
                        time(at)))
            .orElse(null);
  }

  private void guard(long at) {
    Instant now = time(at);
    for (Channel channel : Channel.values()) {
      ChannelHead head = heads.get(channel);
      Instant from = policy.channel(channel).guard().evidenceFrom(now);
      List<Observation> observations = new ArrayList<>();
      for (int i = 0; i < ids.length; i++) {
        Observation o = observed[i];
        if (o != null && channels[i] == channel && !o.at().isBefore(from)) {
          observations.add(o);
        }
      }
      String label = head.version() + " (" + head.commit().abbreviate(8).name() + ")";
      GuardVerdict verdict =
          GuardEvaluator.evaluate(policy, channel, head.commit().name(), label, observations, now);
      if (verdict.tripped()) {
        GuardTrip trip = new GuardTrip(channel, verdict, label, now);
        pending = trip.apply(policy);
        trippedAt = at;
        tripText = trip.subject(policy);
        schedule(at + fleet.pushTakes().toSeconds(), Kind.POLICY, 0);
        return;
      }
    }
  }
}
