package dev.sluice.core.lottery;

import dev.sluice.core.channel.Channel;
import java.util.Locale;
import java.util.Optional;

/**
 * How the operator wants the node's channel chosen: by the lottery, pinned to one channel, or with
 * preprod refused. Neither override erases the stored ticket. {@link #pick} is the one place a
 * ticket becomes a channel: node-updater's run and {@code channel-admin explain} both ask it.
 */
public record ChannelChoice(Optional<Channel> pinned, boolean preprodDisabled) {

  public static final ChannelChoice AUTO = new ChannelChoice(Optional.empty(), false);

  public ChannelChoice {
    if (pinned.isPresent() && pinned.get() == Channel.PREPROD && preprodDisabled) {
      throw new IllegalArgumentException(
          "--channel preprod and --disable-preprod contradict each other");
    }
  }

  /** Parses {@code auto}, {@code stable} or {@code preprod}. */
  public static ChannelChoice of(String channel, boolean preprodDisabled) {
    String text = channel == null ? "auto" : channel.trim().toLowerCase(Locale.ROOT);
    Optional<Channel> pinned =
        "auto".equals(text) ? Optional.empty() : Optional.of(Channel.parse(text));
    return new ChannelChoice(pinned, preprodDisabled);
  }

  /**
   * The channel for a ticket at a weight, and why.
   *
   * @param weight the weight that applies to the node ({@link LotteryRules#weightFor})
   */
  public Pick pick(double ticket, LotteryRules.Weight weight) {
    boolean wins = LotteryRules.wins(ticket, weight.value());
    if (pinned.isPresent()) {
      Channel channel = pinned.get();
      return new Pick(channel, wins, "pinned to " + channel + " (--channel " + channel + ")");
    }
    if (preprodDisabled) {
      return new Pick(Channel.STABLE, wins, "preprod disabled on this node (--disable-preprod)");
    }
    return new Pick(
        wins ? Channel.PREPROD : Channel.STABLE,
        wins,
        "ticket "
            + LotteryRules.format(ticket)
            + (wins ? " < " : " >= ")
            + weight.source()
            + " "
            + LotteryRules.format(weight.value()));
  }

  /**
   * A channel picked for a ticket.
   *
   * @param wins whether the ticket wins preprod at its weight, whatever an override made of it
   */
  public record Pick(Channel channel, boolean wins, String reason) {}
}
