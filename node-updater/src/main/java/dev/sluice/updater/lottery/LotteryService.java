package dev.sluice.updater.lottery;

import dev.sluice.core.lottery.ChannelChoice;
import dev.sluice.core.lottery.LotteryRules;
import dev.sluice.updater.state.KeyValueStore;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's monthly lottery ticket in the state database and turns it into a channel.
 *
 * <p>The ticket and its draw time are stored together and rewritten together, only when the ticket
 * is at least one period old: a node restarted any number of times within the period keeps its
 * ticket (FluxOS kept the draw time in a field it never updated, so its nodes redrew at every
 * restart after the first month).
 */
public final class LotteryService {

  static final String TICKET = "lottery.ticket";
  static final String DRAWN_AT = "lottery.drawn_at";

  /** How far in the future a ticket's draw time may lie before it is redrawn. */
  static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59Z");

  private static final Logger LOG = LoggerFactory.getLogger(LotteryService.class);

  private final KeyValueStore store;
  private final RandomGenerator random;

  /**
   * @param random the source of tickets: {@code new SecureRandom()} in production
   */
  public LotteryService(KeyValueStore store, RandomGenerator random) {
    this.store = store;
    this.random = random;
  }

  /** Draws a ticket if there is none or it has expired, then decides the channel. */
  public LotteryResult draw(
      ChannelChoice choice, LotteryRules.Weight weight, Period period, Instant now) {
    Optional<StoredTicket> stored = readTicket();
    String warning = null;
    if (stored.isPresent() && stored.get().drawnAt().isAfter(now.plus(FUTURE_TOLERANCE))) {
      // A boot with the clock in 2099 must not freeze the node's channel until 2099.
      warning =
          "the lottery ticket was drawn in the future ("
              + stored.get().drawnAt()
              + ", now "
              + now
              + "): the clock was wrong then or is wrong now; drew a new ticket";
      LOG.warn("lottery: {}", warning);
      stored = Optional.empty();
    }
    boolean fresh = stored.isEmpty() || expired(stored.get().drawnAt(), period, now);
    StoredTicket ticket;
    if (fresh) {
      ticket = new StoredTicket(random.nextDouble(), now);
      store.putAll(
          Map.of(TICKET, Double.toString(ticket.value()), DRAWN_AT, ticket.drawnAt().toString()),
          now);
      LOG.info(
          "lottery: drew ticket {} ({})",
          LotteryRules.format(ticket.value()),
          stored.isEmpty() ? "no ticket yet" : "previous ticket from " + stored.get().drawnAt());
    } else {
      ticket = stored.get();
    }
    Instant next = nextDrawAt(ticket.drawnAt(), period);
    ChannelChoice.Pick pick = choice.pick(ticket.value(), weight);
    return new LotteryResult(
        ticket.value(),
        ticket.drawnAt(),
        next,
        fresh,
        weight.value(),
        weight.source(),
        pick.channel(),
        pick.reason(),
        warning);
  }

  /**
   * When a ticket is due again; a period that would end past the last representable instant ends
   * there, so no stored value or policy period can make a run fail.
   */
  private static Instant nextDrawAt(Instant drawnAt, Period period) {
    try {
      return LotteryRules.nextDrawAt(drawnAt, period);
    } catch (DateTimeException | ArithmeticException e) {
      return LAST;
    }
  }

  private static boolean expired(Instant drawnAt, Period period, Instant now) {
    return !now.isBefore(nextDrawAt(drawnAt, period));
  }

  /** The stored ticket without drawing, for {@code status}. */
  public Optional<StoredTicket> readTicket() {
    Optional<String> value = store.get(TICKET);
    Optional<String> drawnAt = store.get(DRAWN_AT);
    if (value.isEmpty() || drawnAt.isEmpty()) {
      return Optional.empty();
    }
    try {
      double ticket = Double.parseDouble(value.get());
      LotteryRules.requireTicket(ticket);
      return Optional.of(new StoredTicket(ticket, Instant.parse(drawnAt.get())));
    } catch (NumberFormatException | DateTimeException e) {
      LOG.warn(
          "lottery: stored ticket '{}' drawn at '{}' is unreadable; drawing a new one",
          value.get(),
          drawnAt.get());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      LOG.warn("lottery: stored ticket {} is out of range; drawing a new one", value.get());
      return Optional.empty();
    }
  }

  /** A ticket as stored. */
  public record StoredTicket(double value, Instant drawnAt) {}
}
