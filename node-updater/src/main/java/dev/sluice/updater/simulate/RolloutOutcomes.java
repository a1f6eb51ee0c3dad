package dev.sluice.updater.simulate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The standard scenarios of {@code scripts/simulate-rollout}, the table of their outcomes and the
 * goals they are held to.
 */
public final class RolloutOutcomes {

  private RolloutOutcomes() {}

  /**
   * The scenarios, with the rate limit given.
   *
   * @param concurrent {@code maxConcurrentUpdates} per channel in the limited scenarios
   * @param perHour {@code maxUpdatesPerHour} per channel in the limited scenarios
   */
  public static List<Scenario> scenarios(int concurrent, int perHour) {
    Duration day = Duration.ofDays(1);
    Duration phased = Duration.ofHours(48);
    List<Scenario> list = new ArrayList<>();
    list.add(good("good release to preprod", Scenario.Phase.RELEASE, null, 0, 0, null, day));
    list.add(
        good(
            "good release to preprod, rate limit",
            Scenario.Phase.RELEASE,
            null,
            concurrent,
            perHour,
            null,
            day));
    list.add(
        good(
            "good promotion to stable",
            Scenario.Phase.PROMOTE,
            null,
            0,
            0,
            null,
            day.multipliedBy(4)));
    list.add(
        good(
            "good promotion to stable, rate limit",
            Scenario.Phase.PROMOTE,
            null,
            concurrent,
            perHour,
            null,
            day.multipliedBy(4)));
    list.add(
        good(
            "good promotion to stable, phased PT48H",
            Scenario.Phase.PROMOTE,
            phased,
            0,
            0,
            null,
            day.multipliedBy(5)));
    list.add(
        good(
            "good promotion to stable, phased PT48H + rate limit",
            Scenario.Phase.PROMOTE,
            phased,
            concurrent,
            perHour,
            null,
            day.multipliedBy(6)));
    list.add(
        good(
            "good promotion, rate limit, fleet-web down 1 h at +12 h",
            Scenario.Phase.PROMOTE,
            null,
            concurrent,
            perHour,
            Duration.ofHours(12),
            day.multipliedBy(4)));
    for (double rate : new double[] {1.0, 0.3, 0.05}) {
      String share = String.format(Locale.ROOT, "%.0f %%", rate * 100);
      list.add(bad("bad release failing on " + share + ", default guard", rate, true, null));
      list.add(bad("bad release failing on " + share + ", no guard", rate, false, null));
    }
    list.add(
        bad(
            "bad release failing on 100 %, fleet-web down 1 h at +2 min",
            1.0, true, Duration.ofMinutes(2)));
    list.add(
        new Scenario(
            "bad release failing on 100 %, fleet-web down 1 h at +2 min, rate limit",
            Scenario.Phase.RELEASE,
            1.0,
            true,
            null,
            concurrent,
            perHour,
            Duration.ofMinutes(2),
            Duration.ofHours(1),
            Duration.ofHours(12)));
    return list;
  }

  private static Scenario good(
      String name,
      Scenario.Phase phase,
      Duration phased,
      int concurrent,
      int perHour,
      Duration outageStart,
      Duration horizon) {
    return new Scenario(
        name,
        phase,
        0.0,
        true,
        phased,
        concurrent,
        perHour,
        outageStart,
        Duration.ofHours(1),
        horizon);
  }

  private static Scenario bad(String name, double rate, boolean guard, Duration outageStart) {
    return new Scenario(
        name,
        Scenario.Phase.RELEASE,
        rate,
        guard,
        null,
        0,
        0,
        outageStart,
        Duration.ofHours(1),
        Duration.ofHours(12));
  }

  /** Runs every scenario, handing each result over as it is done. */
  public static List<RolloutSimulation.Result> runAll(
      List<Scenario> scenarios,
      RolloutSimulation.Fleet fleet,
      Consumer<RolloutSimulation.Result> done) {
    List<RolloutSimulation.Result> results = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      RolloutSimulation.Result result = RolloutSimulation.run(scenario, fleet);
      results.add(result);
      done.accept(result);
    }
    return results;
  }

  /** The results as a Markdown table. */
  public static String table(List<RolloutSimulation.Result> results) {
    StringBuilder text = new StringBuilder();
    text.append(
        "| scenario | nodes on the channel | 99 % after | 100 % after | guard tripped after |"
            + " ran the new version | ended on it | held for a slot |\n");
    text.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (RolloutSimulation.Result r : results) {
      text.append("| ")
          .append(r.scenario().name())
          .append(" | ")
          .append(r.channelNodes())
          .append(" | ")
          .append(human(r.to99()))
          .append(" | ")
          .append(human(r.toAll()))
          .append(" | ")
          .append(human(r.trippedAfter()))
          .append(" | ")
          .append(count(r.ran(), r.fleet()))
          .append(" | ")
          .append(count(r.endedOn(), r.fleet()))
          .append(" | ")
          .append(r.noSlot())
          .append(" |\n");
    }
    return text.toString();
  }

  /**
   * The goals: with the default guard a release that fails everywhere reaches at most 1 % of the
   * fleet; a good promotion reaches all of stable within its phased rollout plus 48 h with the rate
   * limit. One line per goal, starting with {@code met} or {@code NOT met}.
   */
  public static List<String> goals(List<RolloutSimulation.Result> results) {
    List<String> lines = new ArrayList<>();
    for (RolloutSimulation.Result r : results) {
      Scenario s = r.scenario();
      if (s.failureRate() == 1.0 && s.guard() && s.outageStart() == null) {
        boolean met = r.ran() <= r.fleet() * 0.01;
        lines.add(
            (met ? "met" : "NOT met")
                + ": a release failing on every node reached "
                + count(r.ran(), r.fleet())
                + " of the fleet with the default guard (goal: at most 1 %)");
      }
      if (s.failureRate() == 0 && s.phase() == Scenario.Phase.PROMOTE && s.outageStart() == null) {
        Duration bound =
            (s.phasedRollout() == null ? Duration.ZERO : s.phasedRollout())
                .plus(s.limited() ? Duration.ofHours(48) : Duration.ofHours(2));
        boolean met = r.toAll() != null && r.toAll().compareTo(bound) <= 0;
        lines.add(
            (met ? "met" : "NOT met")
                + ": "
                + s.name()
                + " reached all of stable after "
                + human(r.toAll())
                + " (goal: within "
                + human(bound)
                + ")");
      }
    }
    return lines;
  }

  private static String count(int n, int of) {
    return String.format(Locale.ROOT, "%d (%.2f %%)", n, 100.0 * n / of);
  }

  /** A duration as {@code 1 h 05 min} or {@code 3 min 20 s}; {@code –} for none. */
  static String human(Duration d) {
    if (d == null) {
      return "–";
    }
    long s = d.toSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
    return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }
}
