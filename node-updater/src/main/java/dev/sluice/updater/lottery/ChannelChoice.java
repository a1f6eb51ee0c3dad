package dev.sluice.updater.lottery;

import dev.sluice.core.channel.Channel;
import java.util.Locale;
import java.util.Optional;

/**
 * How the operator wants the node's channel chosen: by the lottery, pinned to one channel, or with
 * preprod refused. Neither override erases the stored ticket.
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
}
