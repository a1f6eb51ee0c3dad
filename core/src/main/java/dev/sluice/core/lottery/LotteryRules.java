package dev.sluice.core.lottery;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * The pure arithmetic of the preprod lottery: when a ticket expires, which weight applies to a
 * node, and whether a ticket wins.
 *
 * <p>A node keeps a ticket {@code u} drawn uniformly from [0,1) and is in preprod iff {@code u <
 * weight}. Keeping the number rather than a yes/no makes membership stable for the period and
 * monotone in the weight: raising the probability only ever adds nodes.
 */
public final class LotteryRules {

  /** The share of the fleet that rides preprod when nothing else is configured. */
  public static final double DEFAULT_PROBABILITY = 0.07;

  /** How long a ticket lasts when nothing else is configured: one calendar month. */
  public static final Period DEFAULT_PERIOD = Period.ofMonths(1);

  private LotteryRules() {}

  /** When a ticket drawn at {@code drawnAt} expires: one period later, on the UTC calendar. */
  public static Instant nextDrawAt(Instant drawnAt, Period period) {
    Objects.requireNonNull(drawnAt, "drawnAt");
    requirePositive(period);
    return drawnAt.atZone(ZoneOffset.UTC).plus(period).toInstant();
  }

  /** True when the ticket is at least one period old at {@code now}. */
  public static boolean expired(Instant drawnAt, Period period, Instant now) {
    return !now.isBefore(nextDrawAt(drawnAt, period));
  }

  /** A ticket or weight for people: six significant digits, no trailing zeros. */
  public static String format(double value) {
    return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** True when the ticket wins a place in preprod at this weight. */
  public static boolean wins(double ticket, double weight) {
    requireTicket(ticket);
    requireWeight(weight, "weight");
    return ticket < weight;
  }

  /**
   * The weight that applies to a node: the highest weight among its groups that have one, else the
   * default probability.
   */
  public static Weight weightFor(
      Collection<String> groups, Map<String, Double> groupWeights, double defaultProbability) {
    requireWeight(defaultProbability, "probability");
    Weight best = null;
    for (String group : groups) {
      Double weight = groupWeights.get(group);
      if (weight != null && (best == null || weight > best.value())) {
        best = new Weight(weight, "group " + group);
      }
    }
    return best != null ? best : new Weight(defaultProbability, "default probability");
  }

  /** A lottery weight and where it came from, for messages. */
  public record Weight(double value, String source) {
    public Weight {
      requireWeight(value, "weight");
      Objects.requireNonNull(source, "source");
    }
  }

  public static void requireTicket(double ticket) {
    if (!(ticket >= 0.0 && ticket < 1.0)) {
      throw new IllegalArgumentException("ticket " + ticket + " is not in [0,1)");
    }
  }

  public static void requireWeight(double weight, String what) {
    if (!(weight >= 0.0 && weight <= 1.0)) {
      throw new IllegalArgumentException(what + " " + weight + " is not in [0,1]");
    }
  }

  private static void requirePositive(Period period) {
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("lottery period " + period + " must be positive");
    }
  }
}
