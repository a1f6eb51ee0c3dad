package dev.sluice.core.proof;

import dev.sluice.core.channel.Channel;
import dev.sluice.core.guard.GuardEvaluator;
import dev.sluice.core.guard.GuardTrip;
import dev.sluice.core.guard.GuardVerdict;
import dev.sluice.core.guard.Observation;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.core.policy.Barrier;
import dev.sluice.core.policy.Deadend;
import dev.sluice.core.policy.GuardAction;
import dev.sluice.core.policy.MaintenanceWindow;
import dev.sluice.core.policy.Policy;
import dev.sluice.core.policy.PolicyLimits;
import dev.sluice.core.policy.PolicyParser;
import dev.sluice.core.policy.PolicyValidationException;
import dev.sluice.core.policy.Rollout;
import dev.sluice.core.policy.UpdateLimits;
import dev.sluice.core.promotion.Durations;
import dev.sluice.core.promotion.HealthReport;
import dev.sluice.core.promotion.HealthThresholds;
import dev.sluice.core.promotion.PromotionDecision;
import dev.sluice.core.promotion.PromotionGates;
import dev.sluice.core.promotion.PromotionInputs;
import dev.sluice.core.rollout.ChannelHead;
import dev.sluice.core.rollout.GitFacts;
import dev.sluice.core.rollout.NodeFacts;
import dev.sluice.core.rollout.RolloutDecider;
import dev.sluice.core.slots.Slot;
import dev.sluice.core.slots.SlotBook;
import dev.sluice.core.slots.SlotLedger;
import dev.sluice.core.slots.SlotRules;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Proves that a policy loads and decides before anyone relies on it: the bytes to be pushed are
 * parsed back, then every piece of arithmetic the programs do with a policy runs over a spread of
 * times and tickets, and the node decision runs for each channel over a made-up history in which
 * every ref of the policy resolves. Anything that throws is a problem naming the field it came
 * from.
 *
 * <p>A pure function: no git, no clock, no I/O. channel-admin runs it before every push; any
 * program can run it on a policy it is about to apply.
 */
public final class PolicyProof {

  /** Tickets tried: the lowest, the default probability, the middle and the highest. */
  static final List<Double> TICKETS = List.of(0.0, 0.07, 0.5, Math.nextDown(1.0));

  private static final String NODE = "policy-proof";

  private PolicyProof() {}

  /**
   * Parses the bytes back and proves the result, naming {@code source} in the exception.
   *
   * @return the policy the bytes hold
   * @throws PolicyValidationException when the bytes do not parse, or the policy they hold throws
   *     anywhere in the proof; every message starts with a field path
   */
  public static Policy require(byte[] document, Instant now, String source) {
    Policy policy = PolicyParser.parse(new String(document, StandardCharsets.UTF_8), source);
    List<String> problems = problems(policy, now);
    if (!problems.isEmpty()) {
      throw new PolicyValidationException(source, problems);
    }
    return policy;
  }

  /** Every problem found, each starting with the field path it came from; empty when none. */
  public static List<String> problems(Policy policy, Instant now) {
    Proof proof = new Proof(policy, now);
    proof.run();
    return List.copyOf(proof.problems.values());
  }

  /** One run of the proof, collecting at most one problem per field. */
  private static final class Proof {
    final Policy policy;
    final Instant now;
    final Map<String, String> problems = new LinkedHashMap<>();
    final List<Instant> times = new ArrayList<>();

    Proof(Policy policy, Instant now) {
      this.policy = policy;
      this.now = now;
    }

    void run() {
      check("(now)", this::baseTimes);
      check("lottery.period", this::lotteryTimes);
      check("lottery", this::lottery);
      check("promotion", this::promotion);
      for (int i = 0; i < policy.rollouts().size(); i++) {
        Rollout rollout = policy.rollouts().get(i);
        check("rollouts[" + i + "]", () -> rollout(rollout));
      }
      for (int i = 0; i < policy.maintenanceWindows().size(); i++) {
        MaintenanceWindow window = policy.maintenanceWindows().get(i);
        check("maintenanceWindows[" + i + "]", () -> window(window));
      }
      check(
          "maintenanceWindows",
          () ->
              times.forEach(
                  t -> MaintenanceWindow.firstOpenAtOrAfter(policy.maintenanceWindows(), t)));
      check("updateLimits", this::updateLimits);
      if (problems.isEmpty()) {
        for (Channel channel : Channel.values()) {
          check("channels." + channel.id() + ".guard", () -> guard(channel));
        }
        History history = new History(policy);
        for (Channel channel : Channel.values()) {
          check("channels." + channel.id(), () -> decisions(channel, history));
        }
      }
    }

    void check(String field, Runnable probe) {
      try {
        probe.run();
      } catch (RuntimeException e) {
        problems.putIfAbsent(
            field,
            field
                + ": the policy cannot be applied ("
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + ")");
      }
    }

    /** Now, an hour and a day ahead, a day back, and the first and last valid instants. */
    void baseTimes() {
      times.add(now);
      times.add(now.plus(Duration.ofHours(1)));
      times.add(now.plus(Duration.ofDays(1)));
      times.add(now.minus(Duration.ofDays(1)));
      times.add(PolicyLimits.MIN_INSTANT);
      times.add(PolicyLimits.MAX_INSTANT);
    }

    /** When tickets drawn at each time expire; the next draw after now is tried too. */
    void lotteryTimes() {
      for (Instant t : List.copyOf(times)) {
        Instant next = LotteryRules.nextDrawAt(t, policy.lottery().period());
        LotteryRules.expired(t, policy.lottery().period(), next);
        if (t.equals(now)) {
          times.add(next);
        }
      }
    }

    void lottery() {
      List<Set<String>> groupSets = new ArrayList<>();
      groupSets.add(Set.of());
      groupSets.add(policy.lottery().groupWeights().keySet());
      policy.lottery().groupWeights().keySet().forEach(group -> groupSets.add(Set.of(group)));
      for (Set<String> groups : groupSets) {
        LotteryRules.Weight weight = policy.lottery().weightFor(groups);
        for (double ticket : TICKETS) {
          LotteryRules.wins(ticket, weight.value());
        }
      }
    }

    void promotion() {
      Duration soak = policy.promotion().soak();
      Durations.human(soak);
      times.add(now.plus(soak));
      HealthThresholds thresholds =
          new HealthThresholds(
              policy.promotion().minHealthyPreprodNodes(), policy.promotion().maxFailureRatio());
      for (Instant t : times) {
        for (Instant tagged : List.of(t, t.minus(soak), t.minus(Duration.ofDays(1)))) {
          for (boolean paused : List.of(false, true)) {
            PromotionInputs inputs =
                new PromotionInputs(
                    "v1.0.0_pre", tagged, soak, t, true, false, paused, null, thresholds, null);
            PromotionDecision decision = PromotionGates.decide(inputs);
            Durations.human(decision.soakRemaining());
            PromotionGates.decide(inputs.withHealth(HealthReport.of("c", 0, 0), thresholds));
            PromotionGates.decide(
                inputs
                    .withHealth(
                        HealthReport.of("c", thresholds.minHealthyPreprodNodes(), 1), thresholds)
                    .withSoakOverride("proof"));
          }
        }
      }
    }

    /**
     * Slots for every lock group the policy names (and one it does not), at every time tried: a few
     * grants, a renewal, a refusal once full, a release and an expiry.
     */
    void updateLimits() {
      UpdateLimits limits = policy.updateLimits();
      Set<String> lockGroups = new HashSet<>(limits.groups().keySet());
      for (Channel channel : Channel.values()) {
        lockGroups.add(limits.lockGroupFor(channel, List.of()));
        lockGroups.add(limits.lockGroupFor(channel, limits.groups().keySet()));
      }
      lockGroups.add("default");
      for (Instant t : times) {
        for (String lockGroup : lockGroups) {
          limits.limitFor(lockGroup);
          SlotLedger ledger = new SlotLedger(Clock.fixed(t, ZoneOffset.UTC));
          for (int i = 0; i < 3; i++) {
            ledger.acquire(limits, lockGroup, NODE + "-" + i);
          }
          ledger.acquire(limits, lockGroup, NODE + "-0");
          ledger.release(lockGroup, NODE + "-1");
          ledger.held(lockGroup);
          ledger.grantedLastHour(lockGroup);
          SlotRules.acquire(
              limits,
              lockGroup,
              new SlotBook(
                  List.of(new Slot(lockGroup, NODE, t, t.plus(limits.slotExpiry()))), List.of(t)),
              NODE + "-late",
              t.plus(limits.slotExpiry()));
        }
      }
    }

    void rollout(Rollout rollout) {
      for (double ticket : TICKETS) {
        rollout.admitsFrom(ticket);
        List<Instant> at = new ArrayList<>(times);
        at.addAll(ownTimes(rollout));
        for (Instant t : at) {
          rollout.fractionAt(t);
          rollout.admits(ticket, t);
        }
      }
    }

    /** A rollout's start, middle and end. */
    static List<Instant> ownTimes(Rollout rollout) {
      return List.of(
          rollout.start(),
          rollout.start().plus(rollout.duration().dividedBy(2)),
          rollout.start().plus(rollout.duration()));
    }

    /**
     * The channel's guard at every time, on a failing and a healthy sample, and the edit a trip
     * makes (it must leave a valid policy, e.g. room for one more dead-end).
     */
    void guard(Channel channel) {
      String target = "0".repeat(40);
      for (Instant t : times) {
        List<Observation> sample = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          sample.add(
              new Observation(
                  NODE + i,
                  i == 0 ? Observation.Outcome.RUNS : Observation.Outcome.FAILED,
                  "proof",
                  t));
        }
        GuardEvaluator.evaluate(policy, channel, target, "proof", sample, t);
      }
      GuardVerdict tripped =
          new GuardVerdict(GuardVerdict.State.TRIPPED, target, 3, 2, now, List.of(), "proof");
      GuardTrip trip = new GuardTrip(channel, tripped, "proof", now);
      if (policy.channel(channel).guard().action() != GuardAction.OFF) {
        trip.apply(policy);
        trip.message(policy);
      }
    }

    void window(MaintenanceWindow window) {
      for (Instant t : times) {
        window.contains(t);
        window.nextOpeningAfter(t);
      }
    }

    /** The node decision for one channel: each target, from each kind of node, at each time. */
    void decisions(Channel channel, History history) {
      Map<ObjectId, Rollout> targets = new LinkedHashMap<>();
      targets.put(history.tip, null);
      for (Rollout rollout : policy.rollouts()) {
        targets.putIfAbsent(history.commits.get(rollout.ref()), rollout);
      }
      Set<String> allGroups = new HashSet<>(policy.lottery().groupWeights().keySet());
      for (Map.Entry<ObjectId, Rollout> entry : targets.entrySet()) {
        ObjectId target = entry.getKey();
        ChannelHead head = new ChannelHead(channel, "refs/heads/proof", target, "v1.0.0");
        // The tip at every time; a rollout's release at its own start, middle and end.
        List<Instant> at = entry.getValue() == null ? times : ownTimes(entry.getValue());
        for (Instant t : at) {
          for (double ticket : TICKETS) {
            decide(head, new NodeFacts(NODE, Set.of(), ticket, history.base, Map.of()), history, t);
          }
        }
        List<ObjectId> currents = new ArrayList<>();
        currents.add(null);
        currents.add(target);
        history.firstDeadend.ifPresent(currents::add);
        for (ObjectId current : currents) {
          decide(head, new NodeFacts(NODE, allGroups, 0.5, current, Map.of()), history, now);
        }
        decide(
            head,
            new NodeFacts(NODE, Set.of(), 0.5, history.base, Map.of(target, policy.maxAttempts())),
            history,
            now);
      }
    }

    void decide(ChannelHead head, NodeFacts node, GitFacts git, Instant t) {
      RolloutDecider.decide(policy, head, node, git, t).describe();
    }
  }

  /**
   * A straight line of made-up commits: a base, one commit per distinct ref named by the policy
   * (barriers, rollouts, dead-ends, in that order), and a tip.
   */
  private static final class History implements GitFacts {
    final Map<String, ObjectId> commits = new LinkedHashMap<>();
    final Map<ObjectId, Integer> order = new LinkedHashMap<>();
    final ObjectId base;
    final ObjectId tip;
    final Optional<ObjectId> firstDeadend;

    History(Policy policy) {
      base = add(null);
      for (Barrier barrier : policy.barriers()) {
        commits.computeIfAbsent(barrier.ref(), this::add);
      }
      for (Rollout rollout : policy.rollouts()) {
        commits.computeIfAbsent(rollout.ref(), this::add);
      }
      for (Deadend deadend : policy.deadends()) {
        commits.computeIfAbsent(deadend.ref(), this::add);
      }
      tip = add(null);
      firstDeadend = policy.deadends().stream().findFirst().map(d -> commits.get(d.ref()));
    }

    private ObjectId add(String ref) {
      int index = order.size();
      // Every word carries the index: ObjectId hashes on its second word.
      ObjectId id = ObjectId.fromString(String.format("%08x", index + 1).repeat(5));
      order.put(id, index);
      return id;
    }

    @Override
    public Optional<ObjectId> resolve(String ref) {
      return Optional.ofNullable(commits.get(ref));
    }

    @Override
    public boolean isAncestor(ObjectId ancestor, ObjectId descendant) {
      Integer a = order.get(ancestor);
      Integer d = order.get(descendant);
      return a != null && d != null && a <= d;
    }
  }
}
